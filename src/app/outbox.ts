import type { Db } from '../store/db';
import type { Deps } from './context';
import { outbox } from '../store/schema';
import type { DomainEvent, EventScope, EventType } from '../shared/events';
import type { Runtime } from '../shared/runtime';

/**
 * The only way use cases cause effects outside their transaction: rows in the outbox, written with the data
 * they describe. The dispatcher turns them into realtime pushes, webhook deliveries and jobs.
 */
export type OutboxRow = typeof outbox.$inferSelect;
/** How long rows written by a use case stay reserved for its own process's dispatcher. */
export const OWN_CLAIM_MS = 10_000;

export interface PendingEvent {
  type: EventType;
  scope: EventScope;
  data: Record<string, unknown>;
}

export interface PendingJob {
  name: string;
  data: Record<string, unknown>;
  /** Run no earlier than this. */
  startAfter?: Date;
  /**
   * Jobs with the same key run once (the dispatcher derives the job id from it): one send per message, one
   * acknowledgement per new conversation. A key must name the occasion, not only the thing, when that thing
   * legitimately needs the job again later (auto-assign on every reopen carries the reopening message's id).
   */
  singletonKey?: string;
}

export class OutboxWriter {
  readonly events: PendingEvent[] = [];
  readonly jobs: PendingJob[] = [];

  event(type: EventType, scope: EventScope, data: Record<string, unknown>): this {
    this.events.push({ type, scope, data });
    return this;
  }

  job(name: string, data: Record<string, unknown>, opts: Omit<PendingJob, 'name' | 'data'> = {}): this {
    this.jobs.push({ name, data, ...opts });
    return this;
  }

  get size() {
    return this.events.length + this.jobs.length;
  }

  /**
   * Writes the rows, claimed by this process for a short lease: right after commit this process dispatches them
   * itself (no polling delay, no extra claim query); if it dies first, the lease runs out and any process's
   * dispatcher picks them up.
   */
  async flush(tx: Db, workspaceId: string, runtime: Runtime): Promise<OutboxRow[]> {
    if (this.size === 0) return [];
    return this.insert(tx, workspaceId, runtime);
  }

  /**
   * The insert of the pending rows as a query, so a use case can send it together with other writes in one
   * statement (a data-modifying CTE); awaiting it runs it on its own. Clears the writer.
   */
  insert(tx: Db, workspaceId: string, runtime: Runtime) {
    const at = runtime.now().toISOString();
    const claimedUntil = new Date(runtime.now().getTime() + OWN_CLAIM_MS);
    const rows = [
      ...this.events.map((e) => {
        const event: DomainEvent = { id: runtime.id(), type: e.type, workspaceId, occurredAt: at, scope: e.scope, data: e.data };
        return { workspaceId, kind: 'event' as const, name: e.type, payload: event as unknown as Record<string, unknown> };
      }),
      ...this.jobs.map((j) => ({
        workspaceId,
        kind: 'job' as const,
        name: j.name,
        payload: {
          data: j.data,
          ...(j.startAfter ? { startAfter: j.startAfter.toISOString() } : {}),
          ...(j.singletonKey ? { singletonKey: j.singletonKey } : {}),
        },
      })),
    ];
    this.events.length = 0;
    this.jobs.length = 0;
    return tx
      .insert(outbox)
      .values(rows.map((r) => ({ ...r, claimedUntil })))
      .returning();
  }
}

/** An outbox row as a raw SQL result (snake_case columns) returns it: for inserts sent inside a CTE. */
export function outboxRowFromSql(r: Record<string, unknown>): OutboxRow {
  return {
    workspaceId: r.workspace_id as string,
    id: Number(r.id),
    kind: r.kind as OutboxRow['kind'],
    name: r.name as string,
    payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
    createdAt: new Date(r.created_at as string),
    dispatchedAt: r.dispatched_at ? new Date(r.dispatched_at as string) : null,
    claimedUntil: r.claimed_until ? new Date(r.claimed_until as string) : null,
    attempts: Number(r.attempts),
    lastError: (r.last_error as string | null) ?? null,
  };
}

/** Runs a use case in one transaction with an outbox writer, flushes it, and wakes the dispatcher on commit. */
export async function withOutbox<T>(
  deps: Pick<Deps, 'store' | 'runtime' | 'afterCommit'>,
  workspaceId: string,
  fn: (tx: Db, out: OutboxWriter) => Promise<T>,
): Promise<T> {
  let written: OutboxRow[] = [];
  const result = await deps.store.transaction(async (tx) => {
    const out = new OutboxWriter();
    const value = await fn(tx, out);
    written = await out.flush(tx, workspaceId, deps.runtime);
    return value;
  });
  if (written.length) deps.afterCommit(written);
  return result;
}
