/**
 * The conversation state machine. Every status change in Balie — an agent's click, an inbound message, a
 * snooze that runs out — is decided here; callers only persist the patch it returns.
 */
export const statuses = ['open', 'pending', 'snoozed', 'resolved', 'closed'] as const;
export type Status = (typeof statuses)[number];

export interface ConversationState {
  status: Status;
  snoozedUntil: Date | null;
  resolvedAt: Date | null;
  waitingSince: Date | null;
  firstResponseAt: Date | null;
  reopenedCount: number;
}

export type StatePatch = Partial<ConversationState>;

const allowed: Record<Status, readonly Status[]> = {
  open: ['pending', 'snoozed', 'resolved', 'closed'],
  pending: ['open', 'snoozed', 'resolved', 'closed'],
  snoozed: ['open', 'pending', 'resolved', 'closed'],
  // A resolved case can be reopened by an agent or by the customer writing again; closed is final.
  resolved: ['open', 'closed'],
  closed: [],
};

export function canTransition(from: Status, to: Status): boolean {
  return from === to || allowed[from].includes(to);
}

export type TransitionResult =
  | { ok: true; patch: StatePatch; changed: boolean }
  | { ok: false; code: 'invalid_transition' | 'snooze_in_past' | 'snooze_until_required'; message: string };

export function transition(
  state: ConversationState,
  to: Status,
  opts: { now: Date; snoozedUntil?: Date | null },
): TransitionResult {
  const { now } = opts;
  if (!canTransition(state.status, to)) {
    return { ok: false, code: 'invalid_transition', message: `A ${state.status} conversation cannot become ${to}.` };
  }
  if (to === 'snoozed') {
    if (!opts.snoozedUntil) return { ok: false, code: 'snooze_until_required', message: 'Snoozing needs a time to wake up.' };
    if (opts.snoozedUntil.getTime() <= now.getTime()) {
      return { ok: false, code: 'snooze_in_past', message: 'The snooze time must be in the future.' };
    }
    const changed = state.status !== 'snoozed' || state.snoozedUntil?.getTime() !== opts.snoozedUntil.getTime();
    return { ok: true, changed, patch: { status: 'snoozed', snoozedUntil: opts.snoozedUntil } };
  }
  if (state.status === to) return { ok: true, changed: false, patch: {} };
  switch (to) {
    case 'open':
      return {
        ok: true,
        changed: true,
        patch: {
          status: 'open',
          snoozedUntil: null,
          ...(state.status === 'resolved' ? { resolvedAt: null, reopenedCount: state.reopenedCount + 1 } : {}),
        },
      };
    case 'pending':
      // Pending means the ball is in the customer's court: nobody on our side is keeping them waiting.
      return { ok: true, changed: true, patch: { status: 'pending', snoozedUntil: null, waitingSince: null } };
    case 'resolved':
      return { ok: true, changed: true, patch: { status: 'resolved', snoozedUntil: null, resolvedAt: now, waitingSince: null } };
    case 'closed':
      return {
        ok: true,
        changed: true,
        patch: { status: 'closed', snoozedUntil: null, resolvedAt: state.resolvedAt ?? now, waitingSince: null },
      };
  }
}

export type InboundDecision =
  | { action: 'append'; patch: StatePatch; reopened: boolean }
  /** Start a new conversation; `follows` says it continues an older, finished one. */
  | { action: 'new'; follows: boolean };

/** What a new customer message does to the conversation it would belong to. */
export function onInbound(state: ConversationState, opts: { now: Date; reopenWindowMs: number }): InboundDecision {
  const waitingSince = state.waitingSince ?? opts.now;
  switch (state.status) {
    case 'open':
      return { action: 'append', reopened: false, patch: { waitingSince } };
    case 'pending':
    case 'snoozed':
      return { action: 'append', reopened: false, patch: { status: 'open', snoozedUntil: null, waitingSince } };
    case 'resolved': {
      const resolvedAt = state.resolvedAt ?? opts.now;
      if (opts.now.getTime() - resolvedAt.getTime() <= opts.reopenWindowMs) {
        return {
          action: 'append',
          reopened: true,
          patch: { status: 'open', resolvedAt: null, waitingSince: opts.now, reopenedCount: state.reopenedCount + 1 },
        };
      }
      return { action: 'new', follows: true };
    }
    case 'closed':
      return { action: 'new', follows: true };
  }
}

/** An agent's public reply: the customer no longer waits on us, and the first response is recorded once. */
export function onAgentReply(state: ConversationState, now: Date): StatePatch {
  return { waitingSince: null, firstResponseAt: state.firstResponseAt ?? now };
}

/** A snooze that has run out wakes the conversation; anything else is left alone. */
export function wakeIfDue(state: ConversationState, now: Date): StatePatch | null {
  if (state.status !== 'snoozed' || !state.snoozedUntil || state.snoozedUntil.getTime() > now.getTime()) return null;
  return { status: 'open', snoozedUntil: null, waitingSince: state.waitingSince ?? now };
}

export const initialState = (now: Date): ConversationState => ({
  status: 'open',
  snoozedUntil: null,
  resolvedAt: null,
  waitingSince: now,
  firstResponseAt: null,
  reopenedCount: 0,
});
