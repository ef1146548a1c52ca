/**
 * Dutch public holidays ("algemeen erkende feestdagen"), computed per year so no table needs yearly upkeep.
 * Easter-based days follow the Gregorian computus; Koningsdag moves to the Saturday when 27 April is a Sunday
 * (before 2014 it was Koninginnedag on 30 April, moved to the 29th on a Sunday).
 */
export interface HolidayOptions {
  /** Goede Vrijdag is not a general day off in the Netherlands, but many service desks close. Default false. */
  goodFriday?: boolean;
  /** Bevrijdingsdag is a national day off for most collective agreements only every five years ("lustrum"). */
  liberationDay?: 'always' | 'lustrum' | 'never';
}

export interface Holiday {
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  nl: string;
  en: string;
}

/** Easter Sunday (Gregorian), as [month 1-12, day]. Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const shift = (y: number, m: number, d: number, days: number) => {
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
};
const weekday = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay();

export function kingsDay(year: number): string {
  if (year >= 2014) return weekday(year, 4, 27) === 0 ? iso(year, 4, 26) : iso(year, 4, 27);
  return weekday(year, 4, 30) === 0 ? iso(year, 4, 29) : iso(year, 4, 30);
}

export function dutchHolidays(year: number, opts: HolidayOptions = {}): Holiday[] {
  const [em, ed] = easterSunday(year);
  const list: Holiday[] = [
    { date: iso(year, 1, 1), nl: 'Nieuwjaarsdag', en: "New Year's Day" },
    { date: shift(year, em, ed, 0), nl: 'Eerste Paasdag', en: 'Easter Sunday' },
    { date: shift(year, em, ed, 1), nl: 'Tweede Paasdag', en: 'Easter Monday' },
    { date: kingsDay(year), nl: year >= 2014 ? 'Koningsdag' : 'Koninginnedag', en: year >= 2014 ? "King's Day" : "Queen's Day" },
    { date: shift(year, em, ed, 39), nl: 'Hemelvaartsdag', en: 'Ascension Day' },
    { date: shift(year, em, ed, 49), nl: 'Eerste Pinksterdag', en: 'Whit Sunday' },
    { date: shift(year, em, ed, 50), nl: 'Tweede Pinksterdag', en: 'Whit Monday' },
    { date: iso(year, 12, 25), nl: 'Eerste Kerstdag', en: 'Christmas Day' },
    { date: iso(year, 12, 26), nl: 'Tweede Kerstdag', en: 'Boxing Day' },
  ];
  if (opts.goodFriday) list.push({ date: shift(year, em, ed, -2), nl: 'Goede Vrijdag', en: 'Good Friday' });
  const liberation = opts.liberationDay ?? 'lustrum';
  if (liberation === 'always' || (liberation === 'lustrum' && year % 5 === 0)) {
    list.push({ date: iso(year, 5, 5), nl: 'Bevrijdingsdag', en: 'Liberation Day' });
  }
  return list.sort((a, b) => a.date.localeCompare(b.date));
}
