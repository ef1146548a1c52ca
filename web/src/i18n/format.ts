import { currentLanguage } from './index';

/**
 * Dates, times and numbers the way Dutch (nl-NL) and English readers expect them, in the workspace's time
 * zone (an agent in Lisbon working for a Dutch desk sees Dutch office hours).
 */
let timeZone: string | undefined;
export function setTimeZone(tz: string | undefined) {
  try {
    if (tz) new Intl.DateTimeFormat('en', { timeZone: tz });
    timeZone = tz;
  } catch {
    timeZone = undefined;
  }
}
/** The workspace's time zone (the browser's when the workspace has none). */
export const workspaceTimeZone = () => timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
export const locale = () => (currentLanguage() === 'nl' ? 'nl-NL' : 'en-GB');

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale()}|${timeZone}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale(), { ...opts, timeZone });
    cache.set(key, f);
  }
  return f;
}

const dayKey = (d: Date) => fmt({ year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

/** Compact time for lists: 14:05 today, the weekday within a week, else "3 mrt." (and the year when it differs). */
export function shortTime(iso: string | null | undefined, now = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (dayKey(d) === dayKey(now)) return fmt({ hour: '2-digit', minute: '2-digit' }).format(d);
  const days = (now.getTime() - d.getTime()) / 86_400_000;
  if (days < 6 && days > 0) return fmt({ weekday: 'short' }).format(d);
  if (d.getFullYear() === now.getFullYear()) return fmt({ day: 'numeric', month: 'short' }).format(d);
  return fmt({ day: 'numeric', month: 'short', year: 'numeric' }).format(d);
}

/** Full date and time, for tooltips and detail views. */
export function fullDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  return fmt({ dateStyle: 'full', timeStyle: 'short' }).format(new Date(iso));
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  return fmt({ day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** "ma 14:05": a moment within the coming week (promise times). */
export function weekdayTime(iso: string): string {
  return fmt({ weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** "maandag 3 maart": the day separator in a conversation. */
export function dayHeading(iso: string): string {
  return fmt({ weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(iso));
}

export function timeOnly(iso: string): string {
  return fmt({ hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** "3 uur", "2 dagen": how long something has been going on. */
export function duration(fromIso: string | null | undefined, now = new Date()): string {
  if (!fromIso) return '';
  const s = Math.max(0, (now.getTime() - new Date(fromIso).getTime()) / 1000);
  const unit = (n: number, u: 'minute' | 'hour' | 'day') => numberFormat({ style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 0 }).format(n);
  if (s < 3600) return unit(Math.max(1, Math.floor(s / 60)), 'minute');
  if (s < 86_400) return unit(Math.floor(s / 3600), 'hour');
  return unit(Math.floor(s / 86_400), 'day');
}

// Building an Intl formatter costs far more than formatting with one; list rows format several per row per frame.
const numberCache = new Map<string, Intl.NumberFormat>();
function numberFormat(opts: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale()}|${JSON.stringify(opts)}`;
  let f = numberCache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale(), opts);
    numberCache.set(key, f);
  }
  return f;
}

export function number(n: number): string {
  return numberFormat().format(n);
}

export function bytes(n: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return numberFormat({ style: 'unit', unit: units[i], unitDisplay: 'short', maximumFractionDigits: i === 0 ? 0 : 1 }).format(v);
}

/** Value for <input type="datetime-local"> in the browser's own zone. */
export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * The first Intl formatter of a page loads the browser's locale and time-zone data (tens of milliseconds on a
 * slow machine). The login page calls this while the agent types, so the inbox after login does not pay it.
 */
export function warmUpFormatters() {
  const now = new Date();
  new Intl.DateTimeFormat(locale(), { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' }).format(now);
  shortTime(now.toISOString(), now);
  duration(new Date(now.getTime() - 7_200_000).toISOString(), now);
  number(1234);
}
