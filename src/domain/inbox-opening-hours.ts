/**
 * Business hours of an inbox as pure maths: "are we open now" and "how many business minutes lie between two
 * moments". Hours are local times in the inbox's time zone; the zone's UTC offset is taken per day, so a DST
 * change is right to the day.
 */
export const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof weekdays)[number];

export interface BusinessHours {
  timeZone: string;
  /** Per weekday a list of [start, end] local times "HH:MM"; a missing or empty day is closed. */
  days: Partial<Record<Weekday, [string, string][]>>;
}

const DAY_MS = 86_400_000;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Offset of `timeZone` from UTC at `at`, in minutes (Amsterdam in summer: +120). */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((local - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/** The open intervals (UTC ms) of the local day that contains `at`. */
function intervalsOfDay(hours: BusinessHours, localDayStartUtc: number): [number, number][] {
  const offset = zoneOffsetMinutes(hours.timeZone, new Date(localDayStartUtc + 12 * 3_600_000));
  const weekday = weekdays[new Date(localDayStartUtc + offset * 60_000).getUTCDay()]!;
  return (hours.days[weekday] ?? []).map(([s, e]) => [localDayStartUtc + minutesOf(s) * 60_000, localDayStartUtc + minutesOf(e) * 60_000]);
}

/** UTC ms at which the local day of `at` starts (approximately: the offset at `at` is used). */
function localDayStart(hours: BusinessHours, at: number): number {
  const offset = zoneOffsetMinutes(hours.timeZone, new Date(at)) * 60_000;
  return Math.floor((at + offset) / DAY_MS) * DAY_MS - offset;
}

export function isOpen(hours: BusinessHours | null | undefined, at: Date): boolean {
  if (!hours) return true;
  const t = at.getTime();
  return intervalsOfDay(hours, localDayStart(hours, t)).some(([s, e]) => t >= s && t < e);
}

export function hasAnyHours(hours: BusinessHours): boolean {
  return Object.values(hours.days).some((d) => (d?.length ?? 0) > 0);
}

/** Business minutes between two moments (0 when `to` is not after `from`); without hours, plain minutes. */
export function businessMinutesBetween(hours: BusinessHours | null | undefined, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  if (!hours || !hasAnyHours(hours)) return (b - a) / 60_000;
  let total = 0;
  // Bounded: a year of days at most, so a bad sample cannot make this loop for long.
  for (let day = localDayStart(hours, a), n = 0; day < b && n < 400; day += DAY_MS, n++) {
    for (const [s, e] of intervalsOfDay(hours, day)) {
      const lo = Math.max(s, a);
      const hi = Math.min(e, b);
      if (hi > lo) total += hi - lo;
    }
  }
  return total / 60_000;
}

/** The next moment the inbox opens after `at` (null when no hours are set within two weeks). */
export function nextOpening(hours: BusinessHours, at: Date): Date | null {
  const t = at.getTime();
  for (let day = localDayStart(hours, t), n = 0; n < 15; day += DAY_MS, n++) {
    const starts = intervalsOfDay(hours, day)
      .map(([s]) => s)
      .filter((s) => s > t)
      .sort((x, y) => x - y);
    if (starts.length) return new Date(starts[0]!);
  }
  return null;
}
