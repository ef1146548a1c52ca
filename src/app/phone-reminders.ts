import { and, eq, inArray, isNotNull, lte, ne, sql } from 'drizzle-orm';
import { agreements, callbackRequests, conversations, notifications } from '../store/schema';
import type { Deps } from './context';
import { notify, type NotifyInput } from './notifications';
import { withOutbox } from './outbox';

/**
 * Reminders of phone work (a job every minute): the assignee of a callback request hears when it is due, and the
 * agent who made a phone agreement hears when its next step is due. One reminder per due time: the notification
 * carries the request or agreement and its due time, and a reminder already there is not made again (the job runs
 * as a singleton, so two runs never race). A moved due time reminds again.
 */
export async function remindPhoneWork(deps: Deps, limit = 200): Promise<number> {
  const now = deps.runtime.now();
  const db = deps.store.db;
  const remindedFor = (kind: string, idKey: string, id: unknown, due: unknown) =>
    sql`not exists (select 1 from ${notifications} n where n.workspace_id = ${conversations.workspaceId} and n.kind = ${kind} and n.data->>${idKey} = (${id})::text and n.data->>'dueAt' = to_char((${due}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
  const callbacks = await db
    .select({ r: callbackRequests, conversation: conversations })
    .from(callbackRequests)
    .innerJoin(conversations, and(eq(conversations.workspaceId, callbackRequests.workspaceId), eq(conversations.id, callbackRequests.conversationId)))
    .where(
      and(
        inArray(callbackRequests.status, ['requested', 'scheduled']),
        isNotNull(callbackRequests.assigneeId),
        lte(sql`coalesce(${callbackRequests.dueAt}, ${callbackRequests.createdAt})`, now),
        remindedFor('callback_due', 'callbackRequestId', callbackRequests.id, sql`coalesce(${callbackRequests.dueAt}, ${callbackRequests.createdAt})`),
      ),
    )
    .limit(limit);
  const due = await db
    .select({ a: agreements, conversation: conversations })
    .from(agreements)
    .innerJoin(conversations, and(eq(conversations.workspaceId, agreements.workspaceId), eq(conversations.id, agreements.conversationId)))
    .where(and(isNotNull(agreements.createdBy), isNotNull(agreements.dueAt), lte(agreements.dueAt, now), ne(agreements.status, 'corrected'), remindedFor('agreement_due', 'agreementId', agreements.id, agreements.dueAt)))
    .limit(limit);
  const base = (c: typeof conversations.$inferSelect) => ({ workspaceId: c.workspaceId, conversationId: c.id, inboxId: c.inboxId, number: c.number, byUserId: null });
  for (const { r, conversation } of callbacks) {
    await withOutbox(deps, r.workspaceId, (tx, out) =>
      notify(tx, deps, out, { ...base(conversation), userIds: [r.assigneeId!], kind: 'callback_due' as NotifyInput['kind'], data: { callbackRequestId: r.id, dueAt: (r.dueAt ?? r.createdAt).toISOString(), phone: r.phone } }),
    );
  }
  for (const { a, conversation } of due) {
    await withOutbox(deps, a.workspaceId, (tx, out) =>
      notify(tx, deps, out, { ...base(conversation), userIds: [a.createdBy!], kind: 'agreement_due', excerpt: a.nextStep || a.summary, data: { agreementId: a.id, dueAt: a.dueAt!.toISOString() } }),
    );
  }
  return callbacks.length + due.length;
}
