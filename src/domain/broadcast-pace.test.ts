import { describe, expect, it } from 'vitest';
import { nextPageDelay, paceBatches } from './broadcast-pace';

const now = Date.parse('2026-12-02T09:00:00Z');

describe('broadcast pace', () => {
  it('splits a page into batches of one second each at a slow pace', () => {
    const plan = paceBatches({ count: 7, perSecond: 2, maxBatch: 250, now });
    expect(plan.batches).toEqual([
      { from: 0, to: 2, delayMs: 0 },
      { from: 2, to: 4, delayMs: 1000 },
      { from: 4, to: 6, delayMs: 2000 },
      { from: 6, to: 7, delayMs: 3000 },
    ]);
    expect(plan.nextAt).toBe(now + 3500);
    expect(nextPageDelay(plan.nextAt, now)).toBe(2500);
  });

  it('keeps the average over pages: the next page starts where the last one left off', () => {
    const first = paceBatches({ count: 500, perSecond: 100, maxBatch: 250, now });
    expect(first.batches.map((b) => b.delayMs)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(first.nextAt).toBe(now + 5000);
    // The next page ran 4 s later (just before its first message is due): its batches continue the clock.
    const later = now + 4000;
    const second = paceBatches({ count: 200, perSecond: 100, maxBatch: 250, now: later, nextAt: first.nextAt });
    expect(second.batches.map((b) => b.delayMs)).toEqual([1000, 2000]);
    expect(second.nextAt).toBe(now + 7000);
  });

  it('sends at once what is due within a second, and never waits for a clock in the past', () => {
    const fast = paceBatches({ count: 500, perSecond: 1000, maxBatch: 250, now });
    expect(fast.batches).toEqual([
      { from: 0, to: 250, delayMs: 0 },
      { from: 250, to: 500, delayMs: 0 },
    ]);
    expect(nextPageDelay(fast.nextAt, now)).toBe(0);
    expect(paceBatches({ count: 1, perSecond: 10, maxBatch: 250, now, nextAt: now - 60_000 }).batches[0]!.delayMs).toBe(0);
    expect(paceBatches({ count: 0, perSecond: 10, maxBatch: 250, now }).batches).toEqual([]);
  });
});
