import { describe, expect, it } from 'vitest';
import { broadcastPending, deliveryCounts } from './broadcast-progress';

const now = Date.parse('2026-12-02T10:00:00Z');
const finished = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();

describe('broadcast progress polling', () => {
  it('polls while pages are still being queued', () => {
    expect(broadcastPending({ status: 'running', queued: 0, finishedAt: null }, {}, now)).toBe(true);
  });

  it('polls after the last page until every queued notice has an outcome', () => {
    const b = { status: 'done' as const, queued: 3, finishedAt: finished(1) };
    expect(broadcastPending(b, { queued: 1, sent: 2 }, now)).toBe(true);
    expect(broadcastPending(b, { sent: 1, delivered: 1, failed: 1 }, now)).toBe(false);
    expect(broadcastPending(b, undefined, now)).toBe(true);
  });

  it('stops for a broadcast finished long ago, and for one that queued nothing', () => {
    expect(broadcastPending({ status: 'done', queued: 3, finishedAt: finished(20) }, { queued: 3 }, now)).toBe(false);
    expect(broadcastPending({ status: 'done', queued: 0, finishedAt: finished(1) }, {}, now)).toBe(false);
  });

  it('counts delivered and read as sent', () => {
    expect(deliveryCounts({ sent: 1, delivered: 2, read: 3, failed: 4, queued: 5 })).toEqual({ sent: 6, failed: 4 });
  });
});
