import { dutchHolidays, type HolidayOptions } from './dutch-holidays';

/**
 * Business-hours arithmetic for one inbox: a weekly schedule in an IANA time zone, minus Dutch public holidays
 * and extra closed dates. Promises and speed targets are counted in these hours, so a question sent on Friday
 * evening does not "breach" over the weekend. Wall-clock conversion uses Intl, so DST changes are exact.
 */
export interface OpenInterval {
  /** Local time "HH:MM" (24h); `end` may be "24:00". */
  start: string;
  end: string;
}

export interface BusinessCalendar {
  timeZone: string;
  /** Index 0 = Sunday … 6 = Saturday; an empty list is a closed day. */
  week: OpenInterval[][];
  /** Close on Dutch public holidays. */
  dutchHolidays: boolean;
  holidayOptions?: HolidayOptions;
  /** Extra closed local dates (YYYY-MM-DD), e.g. a company day out. */
  closedDates?: string[];
}

const nine2five = [{ start: '09:00', end: '17:00' }];
export const defaultCalendar: BusinessCalendar = {
  timeZone: 'Europe/Amsterdam',
  week: [[], nine2five, nine2five, nine2five, nine2five, nine2five, []],
  dutchHolidays: true,
};

/** Always open: for channels a team staffs around the clock. */
export const alwaysOpen: BusinessCalendar = {
  timeZone: 'UTC',
  week: Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]),
  dutchHolidays: false,
};

const MINUTE = 60_000;
/** Searching further than this for open time means the calendar is (nearly) always closed. */
const MAX_DAYS = 800;

interface LocalDate {
  y: number;
  m: number;
  d: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(timeZone: string, at: number) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(at))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year!, m: p.month!, d: p.day!, h: p.hour!, min: p.minute!, s: p.second! };
}

/** Offset of the zone from UTC at an instant, in ms. */
function offsetAt(timeZone: string, at: number): number {
  const p = partsIn(timeZone, at);
  const asUtc = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a local wall-clock time happens. A time in the spring-forward gap does not exist; like Temporal's
 * "compatible" mode we move it forward by the gap (02:30 becomes 03:30). A repeated autumn time takes the later one.
 */
export function zonedTime(timeZone: string, date: LocalDate, minutes: number): number {
  const guess = Date.UTC(date.y, date.m - 1, date.d) + minutes * MINUTE;
  const o1 = offsetAt(timeZone, guess - offsetAt(timeZone, guess));
  const t = guess - o1;
  return t;
}

export function localDateOf(timeZone: string, at: Date | number): LocalDate {
  const p = partsIn(timeZone, typeof at === 'number' ? at : at.getTime());
  return { y: p.y, m: p.m, d: p.d };
}

const isoDate = (d: LocalDate) => `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;
const nextDate = (d: LocalDate, n = 1): LocalDate => {
  const t = new Date(Date.UTC(d.y, d.m - 1, d.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
};
const toMinutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + (m ?? 0);
};

const holidayCache = new Map<string, Set<string>>();
function closedOn(cal: BusinessCalendar, date: LocalDate): boolean {
  const key = isoDate(date);
  if (cal.closedDates?.includes(key)) return true;
  if (!cal.dutchHolidays) return false;
  const cacheKey = `${date.y}:${JSON.stringify(cal.holidayOptions ?? {})}`;
  let set = holidayCache.get(cacheKey);
  if (!set) {
    set = new Set(dutchHolidays(date.y, cal.holidayOptions).map((h) => h.date));
    holidayCache.set(cacheKey, set);
  }
  return set.has(key);
}

/** The open intervals of one local day as UTC ms ranges (empty on closed days). */
export function openRanges(cal: BusinessCalendar, date: LocalDate): Array<[number, number]> {
  if (closedOn(cal, date)) return [];
  const weekday = new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();
  return (cal.week[weekday] ?? [])
    .map((i): [number, number] => [zonedTime(cal.timeZone, date, toMinutes(i.start)), zonedTime(cal.timeZone, date, toMinutes(i.end))])
    .filter(([a, b]) => b > a);
}

export function isOpen(cal: BusinessCalendar, at: Date): boolean {
  const t = at.getTime();
  return openRanges(cal, localDateOf(cal.timeZone, t)).some(([a, b]) => t >= a && t < b);
}

/** Business time between two instants, in ms (0 when end ≤ start). */
export function businessMsBetween(cal: BusinessCalendar, start: Date, end: Date): number {
  const s = start.getTime();
  const e = end.getTime();
  if (e <= s) return 0;
  let total = 0;
  let date = localDateOf(cal.timeZone, s);
  const last = isoDate(localDateOf(cal.timeZone, e));
  for (let i = 0; i < MAX_DAYS * 2; i++) {
    for (const [a, b] of openRanges(cal, date)) total += Math.max(0, Math.min(b, e) - Math.max(a, s));
    if (isoDate(date) >= last) break;
    date = nextDate(date);
  }
  return total;
}

/** The instant after `ms` of business time from `start`; null when the calendar has no open time within reach. */
export function addBusinessMs(cal: BusinessCalendar, start: Date, ms: number): Date | null {
  let remaining = Math.max(0, ms);
  const s = start.getTime();
  let date = localDateOf(cal.timeZone, s);
  for (let i = 0; i < MAX_DAYS; i++) {
    for (const [a, b] of openRanges(cal, date)) {
      const from = Math.max(a, s);
      if (b <= from) continue;
      // A zero remainder lands on the next open moment, not in closed time.
      if (remaining === 0) return new Date(from);
      const span = b - from;
      if (remaining <= span) return new Date(from + remaining);
      remaining -= span;
    }
    date = nextDate(date);
  }
  return null;
}

/** The next moment the desk is open (now, when it is open). */
export function nextOpening(cal: BusinessCalendar, at: Date): Date | null {
  return addBusinessMs(cal, at, 0);
}
