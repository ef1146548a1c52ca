import { sql } from 'drizzle-orm';
import type { Deps } from './context';

/** Daily housekeeping: old outbox rows, spent rate-limit windows, idempotency keys, expired sessions, stale widget sockets. */
export async function runMaintenance(deps: Deps): Promise<Record<string, number>> {
  const now = deps.runtime.now();
  const days = (n: number) => new Date(now.getTime() - n * 86_400_000);
  const count = async (q: ReturnType<typeof sql>) => (await deps.store.rows<{ n: number }>(q)).length;
  return {
    outbox: await count(sql`delete from outbox where dispatched_at < ${days(7)} returning 1 as n`),
    rateLimits: await count(sql`delete from rate_limits where window_start < ${days(2)} returning 1 as n`),
    idempotencyKeys: await count(sql`delete from idempotency_keys where created_at < ${days(1)} returning 1 as n`),
    sessions: await count(sql`delete from sessions where expires_at < ${now} returning 1 as n`),
    inboundEvents: await count(sql`delete from inbound_events where status = 'processed' and processed_at < ${days(30)} returning 1 as n`),
    // Sockets whose process vanished without closing them; they stopped counting as online long ago.
    widgetConnections: await count(sql`delete from widget_connections where seen_at < ${days(1)} returning 1 as n`),
  };
}
