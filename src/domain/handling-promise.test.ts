import { describe, expect, it } from 'vitest';
import { defaultCalendar } from './business-hours';
import { computePromise, evaluatePromise, makePromise, percentile, proposeNewDeadline, type HandledConversation } from './handling-promise';
import { evaluateSpeed, speedTargetMinutes } from './speed-targets';

const H = 3_600_000;
const now = new Date('2026-03-20T10:00:00Z'); // Friday 11:00 CET
const defaults = { firstResponseMs: 4 * H, resolutionMs: 16 * H };

/** n conversations created on Monday 9 March 09:00 CET, answered after `firstH` business hours. */
function history(n: number, firstH: (i: number) => number, extra: Partial<HandledConversation> = {}): HandledConversation[] {
  return Array.from({ length: n }, (_, i) => ({
    inboxId: 'mail',
    labels: [],
    createdAt: new Date('2026-03-09T08:00:00Z'),
    firstResponseAt: new Date(new Date('2026-03-09T08:00:00Z').getTime() + firstH(i) * H),
    resolvedAt: new Date(new Date('2026-03-09T08:00:00Z').getTime() + (firstH(i) + 1) * H),
    ...extra,
  }));
}

describe('percentile', () => {
  it('uses nearest rank', () => {
    expect(percentile([5, 1, 4, 2, 3, 6, 7, 8, 9, 10], 0.8)).toBe(8);
    expect(percentile([1], 0.8)).toBe(1);
    expect(percentile([], 0.8)).toBeNull();
  });
});

describe('handling-time promise', () => {
  it('is the 80th percentile of business-hour durations of the inbox', () => {
    const p = computePromise(defaultCalendar, history(10, (i) => (i + 1) / 2), { inboxId: 'mail' }, now, defaults);
    expect(p).toMatchObject({ basis: 'inbox', sampleSize: 10, firstResponseMs: 4 * H, resolutionMs: 5 * H });
  });

  it('counts durations in business hours: an answer on Monday to a Friday-afternoon question is quick', () => {
    const rows = Array.from({ length: 10 }, () => ({
      inboxId: 'mail',
      labels: [],
      createdAt: new Date('2026-03-13T15:00:00Z'), // Friday 16:00 CET
      firstResponseAt: new Date('2026-03-16T09:00:00Z'), // Monday 10:00 CET
      resolvedAt: new Date('2026-03-16T09:00:00Z'),
    }));
    expect(computePromise(defaultCalendar, rows, { inboxId: 'mail' }, now, defaults).firstResponseMs).toBe(2 * H);
  });

  it('uses the case type when it has enough history and falls back when it is thin', () => {
    const rows = [...history(12, () => 2), ...history(10, () => 30, { labels: ['kabelbreuk'] })];
    // 30 wall-clock hours from Monday 09:00 is Tuesday 15:00: 14 business hours.
    expect(computePromise(defaultCalendar, rows, { inboxId: 'mail', label: 'kabelbreuk' }, now, defaults)).toMatchObject({ basis: 'label', firstResponseMs: 14 * H });
    const thin = [...history(12, () => 2), ...history(3, () => 30, { labels: ['kabelbreuk'] })];
    expect(computePromise(defaultCalendar, thin, { inboxId: 'mail', label: 'kabelbreuk' }, now, defaults).basis).toBe('inbox');
    expect(computePromise(defaultCalendar, thin, { inboxId: 'chat' }, now, defaults).basis).toBe('workspace');
    expect(computePromise(defaultCalendar, history(3, () => 1), { inboxId: 'mail' }, now, defaults)).toMatchObject({ basis: 'default', ...defaults });
  });

  it('ignores conversations older than 30 days and counts open ones as still waiting', () => {
    const old = history(20, () => 1, { createdAt: new Date('2026-01-05T08:00:00Z') });
    expect(computePromise(defaultCalendar, old, { inboxId: 'mail' }, now, defaults).basis).toBe('default');
    const backlog = history(10, () => 1).map((r, i) => (i < 5 ? { ...r, firstResponseAt: null, resolvedAt: null } : r));
    // Half unanswered since 9 March 09:00: they count as 9 business days (72 h) until now (Friday 11:00) and more.
    expect(computePromise(defaultCalendar, backlog, { inboxId: 'mail' }, now, defaults).firstResponseMs).toBe(74 * H);
  });
});

describe('promise evaluation', () => {
  const made = makePromise(defaultCalendar, { firstResponseMs: 4 * H, resolutionMs: 8 * H, sampleSize: 10, basis: 'inbox' }, new Date('2026-03-16T08:10:00Z'));

  it('rounds the deadline up to a quarter hour', () => {
    expect(made.firstResponseDueAt.toISOString()).toBe('2026-03-16T12:15:00.000Z');
  });

  it('moves from on track to at risk to will-miss to missed as business time passes', () => {
    const ev = (iso: string) => evaluatePromise(defaultCalendar, made, { firstResponseAt: null }, new Date(iso)).state;
    expect(ev('2026-03-16T09:00:00Z')).toBe('on_track');
    expect(ev('2026-03-16T11:30:00Z')).toBe('at_risk');
    expect(ev('2026-03-16T12:00:00Z')).toBe('will_miss');
    expect(ev('2026-03-16T12:15:00Z')).toBe('missed');
  });

  it('records kept or missed from the first human response', () => {
    expect(evaluatePromise(defaultCalendar, made, { firstResponseAt: new Date('2026-03-16T12:00:00Z') }, now).state).toBe('kept');
    expect(evaluatePromise(defaultCalendar, made, { firstResponseAt: new Date('2026-03-16T13:00:00Z') }, now).state).toBe('missed');
  });

  it('proposes a new time one promised span from now, in business hours', () => {
    // Promised span 4h05 business; from Monday 16:00 CET: 1h on Monday, 3h05 on Tuesday from 09:00 → 12:05 CET.
    expect(proposeNewDeadline(defaultCalendar, made, new Date('2026-03-16T15:00:00Z')).toISOString()).toBe('2026-03-17T11:15:00.000Z');
  });
});

describe('speed targets per channel', () => {
  it('has minutes for chat, about 18 for social, hours for e-mail, and accepts overrides', () => {
    expect(speedTargetMinutes('widget')).toBeLessThan(10);
    expect(speedTargetMinutes('messenger')).toBe(18);
    expect(speedTargetMinutes('email')).toBeGreaterThanOrEqual(60);
    expect(speedTargetMinutes('email', { email: 30 })).toBe(30);
  });

  it('warns at 75 % and breaches at the target', () => {
    const since = new Date('2026-03-16T08:00:00Z');
    expect(evaluateSpeed(since, 20, new Date('2026-03-16T08:10:00Z')).state).toBe('ok');
    expect(evaluateSpeed(since, 20, new Date('2026-03-16T08:16:00Z')).state).toBe('warning');
    expect(evaluateSpeed(since, 20, new Date('2026-03-16T08:20:00Z')).state).toBe('breached');
    expect(evaluateSpeed(null, 20, now).state).toBe('ok');
  });
});
