/**
 * Promise targets an admin sets per inbox and/or case type (label). A promise stays a percentile of what really
 * happened; a target is what Balie promises while there is too little history for one (a new inbox, a rare
 * case type) — a better guess than one workspace-wide default. The most specific target wins:
 * inbox + label, then label, then inbox, then the workspace default.
 */
export interface PromiseTarget {
  inboxId: string | null;
  label: string | null;
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

export interface TargetMs {
  firstResponseMs: number;
  resolutionMs: number;
}

const toMs = (t: Pick<PromiseTarget, 'firstResponseMinutes' | 'resolutionMinutes'>): TargetMs => ({ firstResponseMs: t.firstResponseMinutes * 60_000, resolutionMs: t.resolutionMinutes * 60_000 });

export function promiseTargetFor(
  targets: readonly PromiseTarget[],
  fallback: Pick<PromiseTarget, 'firstResponseMinutes' | 'resolutionMinutes'>,
  inboxId: string,
  labels: readonly string[],
): TargetMs {
  const byLabel = (inbox: string | null) => targets.filter((t) => t.label !== null && labels.includes(t.label) && t.inboxId === inbox);
  // Several case types on one conversation: the slowest decides, as with measured figures.
  const slowest = (list: PromiseTarget[]) => [...list].sort((a, b) => b.firstResponseMinutes - a.firstResponseMinutes)[0];
  const hit = slowest(byLabel(inboxId)) ?? slowest(byLabel(null)) ?? targets.find((t) => t.label === null && t.inboxId === inboxId);
  return toMs(hit ?? fallback);
}
