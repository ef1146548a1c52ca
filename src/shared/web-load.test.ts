import { describe, expect, it } from 'vitest';
import { WebLoad } from './web-load';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('web load: background work gives way to a burst of requests', () => {
  it('counts the requests of the last second, forgetting older ones', () => {
    const c = clock();
    const load = new WebLoad({ busyPerSecond: 100, pauseMs: 50, now: c.now });
    for (let i = 0; i < 50; i++) {
      load.hit();
      c.advance(10);
    }
    expect(load.perSecond()).toBeGreaterThanOrEqual(49);
    expect(load.perSecond()).toBeLessThanOrEqual(50);
    c.advance(1000);
    expect(load.perSecond()).toBe(0);
  });

  it('is busy at the threshold and pauses a job once; quiet, a job runs at once', async () => {
    const c = clock();
    const slept: number[] = [];
    const load = new WebLoad({ busyPerSecond: 100, pauseMs: 40, now: c.now, sleep: async (ms) => void slept.push(ms) });
    for (let i = 0; i < 20; i++) load.hit();
    expect(load.busy()).toBe(false);
    await load.giveWay();
    expect(slept).toEqual([]);
    for (let i = 0; i < 80; i++) load.hit();
    expect(load.busy()).toBe(true);
    await load.giveWay();
    expect(slept).toEqual([40]);
    c.advance(1100);
    expect(load.busy()).toBe(false);
  });

  it('never waits when switched off (busyPerSecond 0)', async () => {
    const slept: number[] = [];
    const load = new WebLoad({ busyPerSecond: 0, pauseMs: 40, sleep: async (ms) => void slept.push(ms) });
    for (let i = 0; i < 10_000; i++) load.hit();
    await load.giveWay();
    expect(slept).toEqual([]);
  });
});
