import { describe, expect, it } from 'vitest';
import { emailCopyPlan, isOnline } from './widget-presence';

const at = (s: number) => new Date(Date.UTC(2026, 0, 5, 10, 0, s));
const AWAY = 120_000;

describe('e-mail copies of widget replies', () => {
  it('mails the unseen replies together once the visitor has been away long enough', () => {
    const replies = [{ id: 'a', createdAt: at(10) }, { id: 'b', createdAt: at(40) }];
    // Last seen before both replies, closed the tab.
    const plan = emailCopyPlan(replies, { seenAt: at(5), connected: false }, new Date(at(10).getTime() + AWAY), AWAY);
    expect(plan).toEqual({ seen: [], mail: ['a', 'b'], recheckAt: null });
  });

  it('never mails what an open widget showed: seen after the reply, or open right now', () => {
    const replies = [{ id: 'a', createdAt: at(10) }, { id: 'b', createdAt: at(40) }];
    const now = new Date(at(40).getTime() + AWAY);
    // Reloaded a page after reply a, gone before b.
    expect(emailCopyPlan(replies, { seenAt: at(20), connected: false }, now, AWAY)).toMatchObject({ seen: ['a'], mail: ['b'] });
    // A socket is open and refreshed recently: both are on the screen.
    expect(emailCopyPlan(replies, { seenAt: new Date(now.getTime() - 10_000), connected: true }, now, AWAY)).toMatchObject({ seen: ['a', 'b'], mail: [] });
  });

  it('waits when the visitor left only just now, and when the reply is younger than the away time', () => {
    const replies = [{ id: 'a', createdAt: at(10) }];
    // Closed the widget 30 s ago, after nothing new: look again when they have been away 2 minutes.
    const now = at(50);
    const plan = emailCopyPlan(replies, { seenAt: at(9), connected: false }, now, AWAY);
    expect(plan.mail).toEqual([]);
    expect(plan.recheckAt).toEqual(new Date(at(10).getTime() + AWAY));
    // Never seen at all (no widget since the first message): mailed after the away time, not before.
    expect(emailCopyPlan(replies, null, at(60), AWAY).mail).toEqual([]);
    expect(emailCopyPlan(replies, null, new Date(at(10).getTime() + AWAY), AWAY).mail).toEqual(['a']);
  });

  it('a connected flag with an old refresh is a vanished process, not an open widget', () => {
    const now = at(0);
    expect(isOnline({ seenAt: new Date(now.getTime() - 30_000), connected: true }, now)).toBe(true);
    expect(isOnline({ seenAt: new Date(now.getTime() - 5 * 60_000), connected: true }, now)).toBe(false);
    expect(isOnline({ seenAt: now, connected: false }, now)).toBe(false);
  });
});
