import { describe, expect, it } from 'vitest';
import { coalescer } from './coalesce';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('coalescer', () => {
  it('sends a lone item at once and queues newcomers behind a running statement into one batch', async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const c = coalescer<number, number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await new Promise<void>((r) => (release = r));
        return items.map((i) => i * 10);
      },
      { maxInFlight: 1 },
    );
    const first = c.add(1);
    await tick();
    expect(batches).toEqual([[1]]);
    const rest = [c.add(2), c.add(3), c.add(4)];
    await tick();
    expect(batches).toHaveLength(1);
    release();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('retries a failed batch item by item, so one bad item fails alone', async () => {
    const c = coalescer<number, number>(async (items) => {
      if (items.includes(13)) throw new Error('bad row 13');
      return items;
    });
    const results = await Promise.allSettled([c.add(12), c.add(13), c.add(14)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('bad row 13');
  });

  it('caps a batch at maxBatch', async () => {
    const sizes: number[] = [];
    const c = coalescer<number, null>(
      async (items) => {
        sizes.push(items.length);
        return items.map(() => null);
      },
      { maxBatch: 3, maxInFlight: 1 },
    );
    await Promise.all(Array.from({ length: 7 }, (_, i) => c.add(i)));
    expect(sizes).toEqual([3, 3, 1]);
  });
});
