import { sql } from 'drizzle-orm';
import type { Store } from '../store/db';

/**
 * Fixed-window counters in the database, shared by every Balie process (an in-memory limiter would let an
 * attacker multiply their attempts by the number of processes).
 */
export interface RateLimiter {
  /** Counts one hit and says whether the caller is still within `limit` for this window. */
  hit(key: string, limit: number, windowMs: number): Promise<{ allowed: boolean; count: number; retryAfterSeconds: number }>;
  /** Current count without counting. */
  peek(key: string, windowMs: number): Promise<{ count: number; retryAfterSeconds: number }>;
  reset(key: string): Promise<void>;
}

export function createRateLimiter(store: Store, now: () => Date): RateLimiter {
  const windowOf = (windowMs: number) => {
    const t = now().getTime();
    const start = Math.floor(t / windowMs) * windowMs;
    return { start: new Date(start), retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - t) / 1000)) };
  };
  return {
    async hit(key, limit, windowMs) {
      const w = windowOf(windowMs);
      const [row] = await store.rows<{ count: number }>(sql`
        insert into rate_limits (key, window_start, count) values (${key}, ${w.start}, 1)
        on conflict (key, window_start) do update set count = rate_limits.count + 1
        returning count`);
      const count = Number(row!.count);
      return { allowed: count <= limit, count, retryAfterSeconds: w.retryAfterSeconds };
    },
    async peek(key, windowMs) {
      const w = windowOf(windowMs);
      const [row] = await store.rows<{ count: number }>(sql`select count from rate_limits where key = ${key} and window_start = ${w.start}`);
      return { count: Number(row?.count ?? 0), retryAfterSeconds: w.retryAfterSeconds };
    },
    async reset(key) {
      await store.rows(sql`delete from rate_limits where key = ${key}`);
    },
  };
}
