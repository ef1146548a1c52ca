import { describe, expect, it } from 'vitest';
import { canTransition, initialState, onAgentReply, onInbound, transition, wakeIfDue, type ConversationState } from './conversation-state';

const t0 = new Date('2026-03-02T09:00:00Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const state = (over: Partial<ConversationState> = {}): ConversationState => ({ ...initialState(t0), ...over });
const DAY = 24 * 3600_000;

describe('conversation state machine', () => {
  it('allows the documented transitions and refuses the rest', () => {
    expect(canTransition('open', 'resolved')).toBe(true);
    expect(canTransition('resolved', 'open')).toBe(true);
    expect(canTransition('resolved', 'pending')).toBe(false);
    expect(canTransition('resolved', 'snoozed')).toBe(false);
    expect(canTransition('closed', 'open')).toBe(false);
    expect(canTransition('snoozed', 'pending')).toBe(true);
  });

  it('refuses reopening a closed conversation with a stable code', () => {
    const r = transition(state({ status: 'closed' }), 'open', { now: t0 });
    expect(r).toEqual({ ok: false, code: 'invalid_transition', message: expect.any(String) });
  });

  it('snoozes only into the future', () => {
    expect(transition(state(), 'snoozed', { now: t0 })).toMatchObject({ ok: false, code: 'snooze_until_required' });
    expect(transition(state(), 'snoozed', { now: t0, snoozedUntil: t0 })).toMatchObject({ ok: false, code: 'snooze_in_past' });
    expect(transition(state(), 'snoozed', { now: t0, snoozedUntil: minutes(30) })).toEqual({
      ok: true,
      changed: true,
      patch: { status: 'snoozed', snoozedUntil: minutes(30) },
    });
  });

  it('resolving records the time and stops the waiting clock', () => {
    const r = transition(state({ waitingSince: t0 }), 'resolved', { now: minutes(5) });
    expect(r).toEqual({ ok: true, changed: true, patch: { status: 'resolved', snoozedUntil: null, resolvedAt: minutes(5), waitingSince: null } });
  });

  it('reopening a resolved conversation counts the reopen', () => {
    const r = transition(state({ status: 'resolved', resolvedAt: t0, reopenedCount: 1 }), 'open', { now: minutes(1) });
    expect(r).toMatchObject({ ok: true, patch: { status: 'open', resolvedAt: null, reopenedCount: 2 } });
  });

  it('setting the same status is a no-op', () => {
    expect(transition(state({ status: 'pending' }), 'pending', { now: t0 })).toEqual({ ok: true, changed: false, patch: {} });
  });

  describe('inbound messages', () => {
    it('keep the original waiting time on an open conversation', () => {
      expect(onInbound(state({ waitingSince: t0 }), { now: minutes(10), reopenWindowMs: DAY })).toEqual({
        action: 'append',
        reopened: false,
        patch: { waitingSince: t0 },
      });
    });
    it('wake pending and snoozed conversations', () => {
      for (const status of ['pending', 'snoozed'] as const) {
        const d = onInbound(state({ status, waitingSince: null, snoozedUntil: minutes(60) }), { now: minutes(10), reopenWindowMs: DAY });
        expect(d).toEqual({ action: 'append', reopened: false, patch: { status: 'open', snoozedUntil: null, waitingSince: minutes(10) } });
      }
    });
    it('reopen a recently resolved conversation', () => {
      const d = onInbound(state({ status: 'resolved', resolvedAt: t0 }), { now: minutes(60), reopenWindowMs: DAY });
      expect(d).toMatchObject({ action: 'append', reopened: true, patch: { status: 'open', resolvedAt: null, reopenedCount: 1 } });
    });
    it('start a follow-up conversation after the reopen window or when closed', () => {
      expect(onInbound(state({ status: 'resolved', resolvedAt: t0 }), { now: new Date(t0.getTime() + 2 * DAY), reopenWindowMs: DAY })).toEqual({
        action: 'new',
        follows: true,
      });
      expect(onInbound(state({ status: 'closed', resolvedAt: t0 }), { now: minutes(1), reopenWindowMs: DAY })).toEqual({
        action: 'new',
        follows: true,
      });
    });
  });

  it('an agent reply records the first response once and stops waiting', () => {
    expect(onAgentReply(state({ waitingSince: t0 }), minutes(3))).toEqual({ waitingSince: null, firstResponseAt: minutes(3) });
    expect(onAgentReply(state({ firstResponseAt: minutes(1) }), minutes(3))).toEqual({ waitingSince: null, firstResponseAt: minutes(1) });
  });

  it('wakes a snoozed conversation only when due', () => {
    const s = state({ status: 'snoozed', snoozedUntil: minutes(30), waitingSince: null });
    expect(wakeIfDue(s, minutes(29))).toBeNull();
    expect(wakeIfDue(s, minutes(30))).toEqual({ status: 'open', snoozedUntil: null, waitingSince: minutes(30) });
    expect(wakeIfDue(state(), minutes(30))).toBeNull();
  });
});
