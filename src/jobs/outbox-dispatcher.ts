import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Store } from '../store/db';
import { outbox, webhookDeliveries, webhooks } from '../store/schema';
import { isWebhookEvent, type DomainEvent } from '../shared/events';
import type { Runtime } from '../shared/runtime';
import type { Bus, BusMessage } from '../realtime/bus';
import type { OutboxRow } from '../app/outbox';
import { jobIdFor, type JobQueue, type JobToSend } from './queue';

/**
 * Turns committed outbox rows into effects: events go to the realtime bus and to webhook deliveries, job rows
 * become pg-boss jobs. A use case hands its freshly committed rows straight to `dispatchNow` (they were written
 * pre-claimed for this process); a poll every second claims rows whose claim ran out — written by a process
 * that died, or left over after an error. Effects are idempotent (deterministic job ids, unique delivery keys)
 * and a row is marked done only after its effects, so a crash anywhere means "again", never "lost".
 */
export interface Dispatcher {
  dispatchNow(rows: OutboxRow[]): void;
  kick(): void;
  /** Dispatches until nothing is pending (tests, shutdown). */
  drain(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

const SUBSCRIPTIONS_TTL_MS = 60_000;

export function createDispatcher(deps: { store: Store; bus: Bus; queue: JobQueue; log: Logger; runtime: Runtime; leaseMs?: number; pollMs?: number }): Dispatcher {
  const { store, bus, queue, log, runtime } = deps;
  const leaseMs = deps.leaseMs ?? 30_000;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const inFlight = new Set<Promise<void>>();
  let polling: Promise<void> | null = null;

  // Webhook subscriptions per workspace, read once a minute or when they change (a `webhooks.changed` event).
  const subscriptions = new Map<string, { at: number; subs: { id: string; events: string[] }[] }>();
  const invalidate = (m: BusMessage) => {
    if (m.kind === 'batch') m.messages.forEach(invalidate);
    else if (m.kind === 'event' && m.event.type === 'webhooks.changed') subscriptions.delete(m.event.workspaceId);
  };
  bus.subscribe(invalidate);

  async function subscriptionsOf(workspaceId: string) {
    const cached = subscriptions.get(workspaceId);
    if (cached && Date.now() - cached.at < SUBSCRIPTIONS_TTL_MS) return cached.subs;
    const subs = await store.db
      .select({ id: webhooks.id, events: webhooks.events })
      .from(webhooks)
      .where(and(eq(webhooks.workspaceId, workspaceId), eq(webhooks.active, true)));
    subscriptions.set(workspaceId, { at: Date.now(), subs });
    return subs;
  }

  async function claimExpired(): Promise<OutboxRow[]> {
    const now = runtime.now();
    const until = new Date(now.getTime() + leaseMs);
    return store.rows<OutboxRow>(sql`
      update outbox set claimed_until = ${until}, attempts = attempts + 1
      where (workspace_id, id) in (
        select workspace_id, id from outbox
        where dispatched_at is null and (claimed_until is null or claimed_until < ${now})
        order by id limit 200
        for update skip locked)
      returning workspace_id as "workspaceId", id, kind, name, payload, created_at as "createdAt", attempts`);
  }

  async function fanOutToWebhooks(row: OutboxRow, event: DomainEvent) {
    if (!isWebhookEvent(event.type)) return;
    const matching = (await subscriptionsOf(row.workspaceId)).filter((s) => s.events.length === 0 || s.events.includes(event.type));
    if (matching.length === 0) return;
    const payload = { id: event.id, type: event.type, workspaceId: event.workspaceId, occurredAt: event.occurredAt, data: event.data };
    const ids = matching.map((s) => jobIdFor(`delivery:${s.id}:${event.id}`));
    await store.db
      .insert(webhookDeliveries)
      .values(matching.map((s, i) => ({ workspaceId: row.workspaceId, id: ids[i]!, webhookId: s.id, eventId: event.id, eventType: event.type, payload })))
      .onConflictDoNothing();
    // After a crash this runs again: existing deliveries keep their row and get the same (no-op) job id.
    for (const id of ids) await queue.send('deliver-webhook', { workspaceId: row.workspaceId, deliveryId: id }, { id: jobIdFor(`job:${id}`) });
    queue.nudge('deliver-webhook');
  }

  function jobOf(row: OutboxRow): JobToSend {
    const p = row.payload as { data: Record<string, unknown>; startAfter?: string; singletonKey?: string };
    // A job with a singleton key runs once per key, however many outbox rows ask for it: a use case that is
    // repeated after a crash (a broadcast page whose job was retried after its commit) writes its follow-up
    // row again, and that row must not become a second job. pg-boss's own singletonKey only dedupes on
    // singleton-policy queues, so the key decides the job id; it is passed along for inspection.
    return {
      name: row.name,
      data: p.data,
      id: p.singletonKey ? jobIdFor(`singleton:${row.workspaceId}:${row.name}:${p.singletonKey}`) : jobIdFor(`outbox:${row.workspaceId}:${row.id}`),
      ...(p.startAfter ? { startAfter: new Date(p.startAfter) } : {}),
      ...(p.singletonKey ? { singletonKey: p.singletonKey } : {}),
    };
  }

  /** All job rows of a batch in one insert (a burst of webhooks is one statement, not one per job). */
  async function dispatchJobs(rows: OutboxRow[]) {
    await queue.sendMany(rows.map(jobOf));
    for (const name of new Set(rows.map((r) => r.name))) queue.nudge(name);
  }

  async function markFailed(row: OutboxRow, err: Error) {
    log.warn({ outboxId: row.id, err: err.message }, 'outbox dispatch failed; will retry');
    await store.db
      .update(outbox)
      .set({ lastError: err.message.slice(0, 500), claimedUntil: new Date(runtime.now().getTime() + 2_000) })
      .where(and(eq(outbox.workspaceId, row.workspaceId), eq(outbox.id, row.id)))
      .catch(() => {});
  }

  /** Effects of a batch of rows, then one update marking them done. */
  async function dispatch(rows: OutboxRow[]) {
    if (rows.length === 0) return;
    rows.sort((a, b) => a.id - b.id);
    const events = rows.filter((r) => r.kind === 'event');
    const ok = new Set<OutboxRow>();
    try {
      // All events of the batch in as few bus messages as the transport allows (one NOTIFY, usually).
      const messages: BusMessage[] = events.map((r) => {
        const event = r.payload as unknown as DomainEvent;
        return Buffer.byteLength(JSON.stringify(event)) > bus.maxInlineBytes
          ? { kind: 'ref', workspaceId: r.workspaceId, outboxId: r.id }
          : { kind: 'event', event };
      });
      if (messages.length) await bus.publishMany(messages);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'realtime publish failed; will retry');
      return;
    }
    for (const row of events) {
      try {
        await fanOutToWebhooks(row, row.payload as unknown as DomainEvent);
        ok.add(row);
      } catch (err) {
        await markFailed(row, err as Error);
      }
    }
    const jobs = rows.filter((r) => r.kind !== 'event');
    if (jobs.length) {
      try {
        await dispatchJobs(jobs);
        jobs.forEach((r) => ok.add(r));
      } catch (err) {
        // The insert is one statement: none of these jobs exists; each row is tried again after its claim.
        for (const row of jobs) await markFailed(row, err as Error);
      }
    }
    const byWs = new Map<string, number[]>();
    for (const r of ok) byWs.set(r.workspaceId, [...(byWs.get(r.workspaceId) ?? []), r.id]);
    for (const [ws, ids] of byWs) {
      // A lost mark after a crash only means the row is dispatched again (effects are idempotent).
      await store.relaxed(
        sql`update outbox set dispatched_at = ${runtime.now()}, claimed_until = null where workspace_id = ${ws} and id in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`,
      );
    }
  }

  function track(p: Promise<void>) {
    const t = p.catch((err: Error) => log.warn({ err: err.message }, 'outbox dispatcher error')).finally(() => inFlight.delete(t));
    inFlight.add(t);
  }

  function kick() {
    if (stopped || polling) return;
    polling = (async () => {
      try {
        for (;;) {
          const rows = await claimExpired();
          await dispatch(rows);
          if (rows.length < 200 || stopped) break;
        }
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'outbox poll failed');
      } finally {
        polling = null;
      }
    })();
  }

  // Rows committed by use cases in the same turn of the event loop go out together: one NOTIFY and one
  // "dispatched" update for all of them instead of two round trips per use case (matters under load).
  let pending: OutboxRow[] = [];
  let flushScheduled = false;
  function flushPending() {
    flushScheduled = false;
    const rows = pending;
    pending = [];
    // Also during stop(): these rows are committed and this process holds their claim.
    track(dispatch(rows));
  }

  return {
    dispatchNow(rows) {
      if (stopped || rows.length === 0) return;
      pending.push(...rows);
      if (flushScheduled) return;
      flushScheduled = true;
      track(new Promise<void>((resolve) => setImmediate(() => (flushPending(), resolve()))));
    },
    kick,
    async drain() {
      while (inFlight.size || polling) {
        await Promise.all([...inFlight, polling]);
      }
      kick();
      await polling;
      while (inFlight.size) await Promise.all([...inFlight]);
    },
    start() {
      stopped = false;
      timer = setInterval(kick, deps.pollMs ?? 1_000);
      timer.unref();
      kick();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      while (inFlight.size || polling) await Promise.all([...inFlight, polling]);
    },
  };
}
