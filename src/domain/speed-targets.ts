/**
 * First-response speed per channel: a customer's expectation depends on where they asked. Chat is minutes,
 * a social post is only seen for about 18 minutes, e-mail is hours. Minutes of wall-clock time; editable per
 * workspace (the defaults below are where a team starts).
 */
export const defaultSpeedTargets: Record<string, number> = {
  widget: 3,
  whatsapp: 18,
  messenger: 18,
  instagram: 18,
  telegram: 18,
  sms: 60,
  voice: 60,
  email: 240,
  api: 240,
};

export type SpeedState = 'ok' | 'warning' | 'breached';
/** Warn when this share of the target has passed. */
export const SPEED_WARNING_SHARE = 0.75;

export function speedTargetMinutes(kind: string, overrides: Record<string, number> = {}): number {
  return overrides[kind] ?? defaultSpeedTargets[kind] ?? 240;
}

/** Where a waiting conversation stands against its channel's first-response target. */
export function evaluateSpeed(
  waitingSince: Date | null,
  targetMinutes: number,
  now: Date,
): { state: SpeedState; dueAt: Date | null; usedShare: number } {
  if (!waitingSince) return { state: 'ok', dueAt: null, usedShare: 0 };
  const total = targetMinutes * 60_000;
  const dueAt = new Date(waitingSince.getTime() + total);
  const usedShare = (now.getTime() - waitingSince.getTime()) / total;
  return { state: usedShare >= 1 ? 'breached' : usedShare >= SPEED_WARNING_SHARE ? 'warning' : 'ok', dueAt, usedShare };
}

/**
 * The inbox list's view of a conversation against its channel's target: only while the customer waits for us
 * (open, with a waiting-since time). `dueAt` is what the list sorts by; the state is as of `now` (the agent app
 * recomputes it every few seconds, so the marker moves from on time to at risk to breached without a reload).
 */
export function listSpeed(
  c: { status: string; waitingSince: Date | null },
  kind: string,
  overrides: Record<string, number>,
  now: Date,
): { targetMinutes: number; dueAt: Date; state: SpeedState } | null {
  if (c.status !== 'open' || !c.waitingSince) return null;
  const targetMinutes = speedTargetMinutes(kind, overrides);
  const { state, dueAt } = evaluateSpeed(c.waitingSince, targetMinutes, now);
  return { targetMinutes, dueAt: dueAt!, state };
}
