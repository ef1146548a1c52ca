import { businessMsBetween, isOpen, nextOpening, openRanges, localDateOf, type BusinessCalendar } from './business-hours';

/**
 * What the widget promises about a human answer, counted in the inbox's business calendar (the same one the
 * handling-time promises use: time zone, Dutch public holidays), so a question asked on Friday evening and
 * answered on Monday morning counts as minutes, not days. With enough history the promise is a percentile of
 * real first responses; without it, the team's own first-response target, named as a target — never a vague
 * "as soon as possible". Closed: when we are back, to the minute.
 */
export interface FirstResponseSample {
  /** When the customer started waiting (conversation created). */
  askedAt: Date;
  firstResponseAt: Date;
}

export type Expectation =
  | { kind: 'open'; source: 'history'; minutes: number; basedOn: number; closesAt: Date | null }
  | { kind: 'open'; source: 'target'; minutes: number; basedOn: number; closesAt: Date | null }
  | { kind: 'closed'; opensAt: Date | null };

export const MIN_SAMPLES = 5;
export const PERCENTILE = 0.8;

/** When today's open period that contains `now` ends (null when open around the clock into tomorrow). */
export function closingTime(cal: BusinessCalendar, now: Date): Date | null {
  const t = now.getTime();
  const range = openRanges(cal, localDateOf(cal.timeZone, t)).find(([a, b]) => t >= a && t < b);
  if (!range) return null;
  // Open until midnight and again from midnight (24/7): there is no closing time worth mentioning.
  return nextOpening(cal, new Date(range[1]))?.getTime() === range[1] ? null : new Date(range[1]);
}

export function expectedFirstResponse(samples: FirstResponseSample[], cal: BusinessCalendar, now: Date, targetMinutes: number): Expectation {
  if (!isOpen(cal, now)) return { kind: 'closed', opensAt: nextOpening(cal, now) };
  const closesAt = closingTime(cal, now);
  const durations = samples
    .map((s) => businessMsBetween(cal, s.askedAt, s.firstResponseAt) / 60_000)
    .filter((m) => Number.isFinite(m) && m >= 0)
    .sort((a, b) => a - b);
  // Too little history for an honest percentile: the configured target, which the text calls a target.
  if (durations.length < MIN_SAMPLES) return { kind: 'open', source: 'target', minutes: Math.max(1, Math.ceil(targetMinutes)), basedOn: durations.length, closesAt };
  const index = Math.min(durations.length - 1, Math.ceil(PERCENTILE * durations.length) - 1);
  return { kind: 'open', source: 'history', minutes: roundUp(durations[index]!), basedOn: durations.length, closesAt };
}

/** Promises are rounded up to numbers people say: 1, 2, 5, 10, 15, 30, 45, 60, then whole hours. */
export function roundUp(minutes: number): number {
  for (const step of [1, 2, 5, 10, 15, 30, 45, 60]) if (minutes <= step) return step;
  return Math.ceil(minutes / 60) * 60;
}
