import { describe, expect, it } from 'vitest';
import { isOnline, pickAssignee, type AssignmentCandidate } from './assignment';

const c = (userId: string, over: Partial<AssignmentCandidate> = {}): AssignmentCandidate => ({
  userId,
  online: true,
  openCount: 0,
  capacity: null,
  lastAssignedAt: null,
  ...over,
});
const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 9, m));

describe('auto-assignment', () => {
  it('picks the least recently assigned online agent', () => {
    expect(pickAssignee([c('a', { lastAssignedAt: at(5) }), c('b', { lastAssignedAt: at(1) }), c('c', { lastAssignedAt: at(3) })])).toBe('b');
  });
  it('prefers someone never assigned', () => {
    expect(pickAssignee([c('a', { lastAssignedAt: at(5) }), c('b')])).toBe('b');
  });
  it('skips offline agents and agents at capacity', () => {
    expect(pickAssignee([c('a', { online: false }), c('b', { capacity: 2, openCount: 2 }), c('c', { capacity: 3, openCount: 2, lastAssignedAt: at(9) })])).toBe('c');
  });
  it('returns null when nobody can take it', () => {
    expect(pickAssignee([c('a', { online: false }), c('b', { capacity: 0 })])).toBeNull();
    expect(pickAssignee([])).toBeNull();
  });
  it('rotates when assignments are recorded', () => {
    const agents = [c('a'), c('b'), c('c')];
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = pickAssignee(agents)!;
      order.push(id);
      agents.find((x) => x.userId === id)!.lastAssignedAt = at(i);
    }
    expect(order).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });
  it('treats an agent as online only when recently seen', () => {
    const now = at(10);
    expect(isOnline('online', at(9), now)).toBe(true);
    expect(isOnline('online', at(1), now)).toBe(false);
    expect(isOnline('busy', at(10), now)).toBe(false);
    expect(isOnline('online', null, now)).toBe(false);
  });
});
