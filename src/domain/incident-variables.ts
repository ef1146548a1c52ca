/**
 * Incident variables per language. A value the team fills in when declaring is either plain text used in both
 * languages (a place name: "Utrecht-Oost"), text per language ({nl: "binnen 2 uur", en: "within 2 hours"}), or a
 * date or date and time ("2026-12-04T18:00", ISO 8601). A date is written out in each language's own words on
 * every surface — "vrijdag 4 december om 18:00" in Dutch, "Friday 4 December at 18:00" in English — so an
 * English banner never says "until vrijdag 18:00". Absolute dates only: a banner that said "today" would be wrong
 * tomorrow.
 */
import type { IncidentLocale } from './incident-templates';

export type IncidentVariable = string | { nl: string; en?: string | undefined };

/** Variables the page offers as a date-and-time picker (with free text per language as the alternative). */
export const timeVariables = new Set(['expected']);

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

export const localeTag = (l: IncidentLocale) => (l === 'en' ? 'en-GB' : 'nl-NL');

/** A local date (and time) on the workspace's wall clock, or null when the value is not a date. */
export function parseDateValue(value: string, timeZone: string): { y: number; m: number; d: number; h: number | null; min: number | null } | null {
  const v = value.trim();
  if (WITH_OFFSET.test(v)) {
    const at = new Date(v);
    if (Number.isNaN(at.getTime())) return null;
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
        .formatToParts(at)
        .filter((p) => p.type !== 'literal')
        .map((p) => [p.type, Number(p.value)]),
    );
    return { y: parts.year!, m: parts.month!, d: parts.day!, h: parts.hour!, min: parts.minute! };
  }
  const m = LOCAL.exec(v);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  const h = m[4] === undefined ? null : Number(m[4]);
  const min = m[5] === undefined ? null : Number(m[5]);
  if (h !== null && (h > 23 || min! > 59)) return null;
  return { y, m: mo, d, h, min };
}

/** Whether a value looks like a date but is not a real one ("2026-02-30"): a clear error beats a wrong banner. */
export const invalidDateValue = (value: string, timeZone = 'Europe/Amsterdam') => /^\d{4}-\d{2}-\d{2}/.test(value.trim()) && !parseDateValue(value, timeZone);

/**
 * A date written out for one language: weekday, day, month, the year only when it is not the current one, and
 * the time on a 24-hour clock ("om 18:00" / "at 18:00").
 */
export function formatDateValue(value: string, locale: IncidentLocale, ctx: { timeZone: string; now: Date }): string | null {
  const p = parseDateValue(value, ctx.timeZone);
  if (!p) return null;
  const thisYear = Number(new Intl.DateTimeFormat('en-US', { timeZone: ctx.timeZone, year: 'numeric' }).format(ctx.now));
  const wall = new Date(Date.UTC(p.y, p.m - 1, p.d, p.h ?? 12, p.min ?? 0));
  const date = new Intl.DateTimeFormat(localeTag(locale), {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(p.y !== thisYear ? { year: 'numeric' as const } : {}),
  }).format(wall);
  // Intl writes "Friday 4 December" for en-GB and "vrijdag 4 december" for nl-NL; no comma in either.
  const cleaned = date.replace(',', '');
  if (p.h === null) return cleaned;
  const time = `${String(p.h).padStart(2, '0')}:${String(p.min).padStart(2, '0')}`;
  return locale === 'en' ? `${cleaned} at ${time}` : `${cleaned} om ${time}`;
}

/** The text a variable becomes in one language. */
export function variableText(value: IncidentVariable, locale: IncidentLocale, ctx: { timeZone: string; now: Date }): string {
  const raw = typeof value === 'string' ? value : locale === 'en' ? (value.en?.trim() ? value.en : value.nl) : value.nl;
  return formatDateValue(raw, locale, ctx) ?? raw.trim();
}
