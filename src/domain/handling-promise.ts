import { addBusinessMs, businessMsBetween, type BusinessCalendar } from './business-hours';

/**
 * The handling-time promise: the time within which 80 % of recent conversations really got a first human
 * response and were resolved, counted in business hours — a percentile of what happened, not a wish.
 * Thin history falls back from case type to inbox to workspace to the channel's configured default, and the
 * result says which basis it used so the agent app can show how solid the number is.
 */
export interface HandledConversation {
  inboxId: string;
  labels: string[];
  createdAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
}

export type PromiseBasis = 'label' | 'inbox' | 'workspace' | 'default';

export interface PromiseFigure {
  /** Business ms within which 80 % got a first human response. */
  firstResponseMs: number;
  /** Business ms within which 80 % were resolved. */
  resolutionMs: number;
  sampleSize: number;
  basis: PromiseBasis;
}

export const PROMISE_PERCENTILE = 0.8;
export const PROMISE_WINDOW_DAYS = 30;
/** Fewer samples than this and the percentile is noise; use a wider group instead. */
export const MIN_SAMPLES = 10;

/** Nearest-rank percentile of a list of numbers (null for an empty list). */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1]!;
}

/**
 * Business durations of one group. A conversation still without a response counts as taking at least until
 * `now`, so a backlog pushes the promise up instead of being ignored.
 */
function durations(cal: BusinessCalendar, rows: HandledConversation[], now: Date) {
  const first: number[] = [];
  const resolved: number[] = [];
  for (const r of rows) {
    first.push(businessMsBetween(cal, r.createdAt, r.firstResponseAt ?? now));
    resolved.push(businessMsBetween(cal, r.createdAt, r.resolvedAt ?? now));
  }
  return { first, resolved };
}

export interface PromiseDefaults {
  firstResponseMs: number;
  resolutionMs: number;
}

export function computePromise(
  cal: BusinessCalendar,
  history: HandledConversation[],
  target: { inboxId: string; label?: string | null },
  now: Date,
  defaults: PromiseDefaults,
  minSamples = MIN_SAMPLES,
): PromiseFigure {
  const since = now.getTime() - PROMISE_WINDOW_DAYS * 86_400_000;
  const recent = history.filter((h) => h.createdAt.getTime() >= since && h.createdAt <= now);
  const groups: Array<[PromiseBasis, HandledConversation[]]> = [];
  if (target.label) groups.push(['label', recent.filter((h) => h.inboxId === target.inboxId && h.labels.includes(target.label!))]);
  groups.push(['inbox', recent.filter((h) => h.inboxId === target.inboxId)]);
  groups.push(['workspace', recent]);
  for (const [basis, rows] of groups) {
    if (rows.length < minSamples) continue;
    const d = durations(cal, rows, now);
    const firstResponseMs = percentile(d.first, PROMISE_PERCENTILE)!;
    // Resolving can never be promised faster than the first answer.
    const resolutionMs = Math.max(firstResponseMs, percentile(d.resolved, PROMISE_PERCENTILE)!);
    return { firstResponseMs, resolutionMs, sampleSize: rows.length, basis };
  }
  return { ...defaults, resolutionMs: Math.max(defaults.firstResponseMs, defaults.resolutionMs), sampleSize: 0, basis: 'default' };
}

/** Promises are shown as a time the customer can hold us to: rounded up to the next quarter or full hour. */
export function roundUpDeadline(at: Date): Date {
  const step = 15 * 60_000;
  return new Date(Math.ceil(at.getTime() / step) * step);
}

export interface MadePromise {
  madeAt: Date;
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
}

export function makePromise(cal: BusinessCalendar, figure: PromiseFigure, now: Date): MadePromise {
  const first = addBusinessMs(cal, now, figure.firstResponseMs) ?? new Date(now.getTime() + figure.firstResponseMs);
  const resolution = addBusinessMs(cal, now, figure.resolutionMs) ?? new Date(now.getTime() + figure.resolutionMs);
  return { madeAt: now, firstResponseDueAt: roundUpDeadline(first), resolutionDueAt: roundUpDeadline(resolution) };
}

export type PromiseState = 'on_track' | 'at_risk' | 'will_miss' | 'missed' | 'kept';

/** From this share of the promised business time used, the agent is warned. */
export const AT_RISK_SHARE = 0.75;
/** From this share on, keeping the promise is unrealistic; propose a new time to the customer. */
export const WILL_MISS_SHARE = 0.9;

/**
 * Where a promise stands. The promise that counts is the first human response: it is what the customer was told
 * ("you will hear from us before …"); `kept` is decided once that response exists.
 */
export function evaluatePromise(
  cal: BusinessCalendar,
  promise: MadePromise,
  state: { firstResponseAt: Date | null },
  now: Date,
): { state: PromiseState; usedShare: number; remainingMs: number } {
  const due = promise.firstResponseDueAt;
  if (state.firstResponseAt) {
    return { state: state.firstResponseAt <= due ? 'kept' : 'missed', usedShare: 0, remainingMs: 0 };
  }
  if (now >= due) return { state: 'missed', usedShare: 1, remainingMs: 0 };
  const total = Math.max(1, businessMsBetween(cal, promise.madeAt, due));
  const used = businessMsBetween(cal, promise.madeAt, now);
  const usedShare = Math.min(1, used / total);
  const remainingMs = businessMsBetween(cal, now, due);
  const s: PromiseState = usedShare >= WILL_MISS_SHARE ? 'will_miss' : usedShare >= AT_RISK_SHARE ? 'at_risk' : 'on_track';
  return { state: s, usedShare, remainingMs };
}

/**
 * A new realistic time when the promise will be missed: the original promised span again from now, at least one
 * business hour — honest about the backlog rather than another too-tight promise.
 */
export function proposeNewDeadline(cal: BusinessCalendar, promise: MadePromise, now: Date): Date {
  const span = Math.max(3_600_000, businessMsBetween(cal, promise.madeAt, promise.firstResponseDueAt));
  return roundUpDeadline(addBusinessMs(cal, now, span) ?? new Date(now.getTime() + span));
}
