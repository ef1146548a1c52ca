import { and, desc, eq, inArray, lt, or } from 'drizzle-orm';
import { inboundEvents, inboxes } from '../store/schema';
import { AppError, notFound } from '../shared/errors';
import type { Actor, Deps } from './context';
import { withOutbox } from './outbox';
import { audit } from './audit';
import { cursorDate, cursorUuid, decodeCursor, encodeCursor } from './cursor';
import { iso } from './dto';

/**
 * Raw inbound events (provider webhooks) that did not become messages: `failed` after the job's last retry
 * (a media download that kept failing, a bug in parsing), or `quarantined` (signed by the provider but not
 * understood). They are kept, so nothing a customer sent is lost; admins see them with the error and send
 * them through processing again once the cause is fixed.
 */
export type StuckStatus = 'failed' | 'quarantined';
const STUCK: StuckStatus[] = ['failed', 'quarantined'];

export interface InboundEventDto {
  id: string;
  inboxId: string;
  inboxName: string | null;
  channel: string;
  providerEventId: string;
  status: string;
  error: string | null;
  attempts: number;
  receivedAt: string;
  processedAt: string | null;
}

export async function listStuckInboundEvents(
  deps: Deps,
  actor: Actor,
  q: { status?: StuckStatus; inboxId?: string; cursor?: string; limit: number },
): Promise<{ items: InboundEventDto[]; nextCursor: string | null }> {
  const after = q.cursor ? decodeCursor(q.cursor, ['at', 'id'] as const) : null;
  const rows = await deps.store.db
    .select({ event: inboundEvents, inboxName: inboxes.name })
    .from(inboundEvents)
    .leftJoin(inboxes, and(eq(inboxes.workspaceId, inboundEvents.workspaceId), eq(inboxes.id, inboundEvents.inboxId)))
    .where(
      and(
        eq(inboundEvents.workspaceId, actor.workspaceId),
        inArray(inboundEvents.status, q.status ? [q.status] : STUCK),
        q.inboxId ? eq(inboundEvents.inboxId, q.inboxId) : undefined,
        after
          ? or(lt(inboundEvents.receivedAt, cursorDate(after.at)), and(eq(inboundEvents.receivedAt, cursorDate(after.at)), lt(inboundEvents.id, cursorUuid(after.id))))
          : undefined,
      ),
    )
    .orderBy(desc(inboundEvents.receivedAt), desc(inboundEvents.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ event: e, inboxName }) => ({
      id: e.id,
      inboxId: e.inboxId,
      inboxName,
      channel: e.source,
      providerEventId: e.providerEventId,
      status: e.status,
      error: e.error,
      attempts: e.attempts,
      receivedAt: iso(e.receivedAt)!,
      processedAt: iso(e.processedAt),
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ at: last.event.receivedAt.toISOString(), id: last.event.id }) : null,
  };
}

/**
 * Puts a failed or quarantined event back in the queue. Processing is idempotent (messages by provider id,
 * statuses only forward), so a retry of an event that partly went through adds nothing twice.
 */
export async function retryInboundEvent(deps: Deps, actor: Actor, eventId: string): Promise<{ id: string; status: 'pending' }> {
  return withOutbox(deps, actor.workspaceId, async (tx, out) => {
    const [row] = await tx
      .update(inboundEvents)
      .set({ status: 'pending', processedAt: null })
      .where(and(eq(inboundEvents.workspaceId, actor.workspaceId), eq(inboundEvents.id, eventId), inArray(inboundEvents.status, STUCK)))
      .returning({ id: inboundEvents.id, inboxId: inboundEvents.inboxId, error: inboundEvents.error });
    if (!row) {
      const [exists] = await tx
        .select({ status: inboundEvents.status })
        .from(inboundEvents)
        .where(and(eq(inboundEvents.workspaceId, actor.workspaceId), eq(inboundEvents.id, eventId)));
      if (!exists) throw notFound('inbound event');
      throw new AppError('conflict', 'not_failed', `Only failed or quarantined events can be retried (this one is ${exists.status}).`);
    }
    out.job('process-inbound-event', { workspaceId: actor.workspaceId, eventId: row.id, manualRetry: deps.runtime.id() });
    await audit(tx, deps, { workspaceId: actor.workspaceId, actor, action: 'inbound_event.retried', targetType: 'inbound_event', targetId: row.id, data: { inboxId: row.inboxId } });
    return { id: row.id, status: 'pending' as const };
  });
}
