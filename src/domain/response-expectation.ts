import { businessMinutesBetween, isOpen, nextOpening, type BusinessHours } from './inbox-opening-hours';

/**
 * What the widget promises about a human answer, computed from this inbox's real recent first responses
 * (measured in business minutes, so a question asked on Friday evening and answered on Monday morning counts
 * as minutes, not days). The promise is a percentile, not a wish. The certainty work will refine this
 * function; its shape (samples + hours + now → expectation) is the contract.
 */
export interface FirstResponseSample {
  /** When the customer started waiting (conversation created). */
  askedAt: Date;
  firstResponseAt: Date;
}

export type Expectation =
  | { kind: 'open'; minutes: number | null; basedOn: number }
  | { kind: 'closed'; opensAt: Date | null };

export const MIN_SAMPLES = 5;
export const PERCENTILE = 0.8;

export function expectedFirstResponse(samples: FirstResponseSample[], hours: BusinessHours | null, now: Date): Expectation {
  if (hours && !isOpen(hours, now)) return { kind: 'closed', opensAt: nextOpening(hours, now) };
  const durations = samples
    .map((s) => businessMinutesBetween(hours, s.askedAt, s.firstResponseAt))
    .filter((m) => Number.isFinite(m) && m >= 0)
    .sort((a, b) => a - b);
  // Too little history to promise anything honest: say nothing rather than invent a number.
  if (durations.length < MIN_SAMPLES) return { kind: 'open', minutes: null, basedOn: durations.length };
  const index = Math.min(durations.length - 1, Math.ceil(PERCENTILE * durations.length) - 1);
  return { kind: 'open', minutes: roundUp(durations[index]!), basedOn: durations.length };
}

/** Promises are rounded up to numbers people say: 1, 2, 5, 10, 15, 30, 45, 60, then whole hours. */
export function roundUp(minutes: number): number {
  for (const step of [1, 2, 5, 10, 15, 30, 45, 60]) if (minutes <= step) return step;
  return Math.ceil(minutes / 60) * 60;
}
