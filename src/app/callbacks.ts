import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { callbackRequests, contacts, conversations, inboxes, memberships, workspaces } from '../store/schema';
import { afterAttempt, missedCallbackText, type AttemptOutcome } from '../domain/callback-retry';
import { addBusinessMs, isOpen } from '../domain/business-hours';
import { AppError, notFound } from '../shared/errors';
import type { Actor, Deps } from './context';
import { visibleConversations } from './conversation-list';
import { decodeCursor, encodeCursor } from './cursor';
import { calendarFor, loadCertainty } from './certainty-settings';
import { withOutbox } from './outbox';
import { SLOT_ERRORS, slotSetup } from './callback-slots';
import { scopeOf } from './conversations';
import { sendReply } from './send-reply';

/**
 * The callback queue: every "call me back" (phone menu, case-status page, an agent) in certainty's
 * callback_requests table, ordered by when it is due. Agents take one, call, and record the attempt; a
 * customer not reached is told on their written channel (SMS first) when we try again.
 */
export const listCallbacksQuery = z.object({
  status: z.enum(['open', 'closed', 'all']).default('open'),
  assignee: z.enum(['me', 'anyone']).default('anyone'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export const updateCallbackInput = z.object({ assigneeId: z.uuid().nullable().optional(), dueAt: z.coerce.date().optional(), status: z.enum(['cancelled']).optional() });
export const attemptInput = z.object({ outcome: z.enum(['reached', 'no_answer', 'busy', 'voicemail', 'failed']) });

const OPEN = ['requested', 'scheduled'] as const;
const due = sql<Date>`coalesce(${callbackRequests.dueAt}, ${callbackRequests.createdAt})`;
type Row = typeof callbackRequests.$inferSelect;

/**
 * Overdue means the on-time window has passed (the picked slot's end, or one slot after an "as soon as possible"
 * due time), not merely that the due time has come: a request due "now" is not late the moment it arrives.
 */
function callbackDto(r: Row, extra: { contactName: string; conversationNumber: number }, now: Date) {
  const dueAt = r.dueAt ?? r.createdAt;
  const lateAfter = r.windowEndsAt ?? dueAt;
  return {
    id: r.id,
    conversationId: r.conversationId,
    conversationNumber: extra.conversationNumber,
    contactId: r.contactId,
    contactName: extra.contactName,
    phone: r.phone,
    preferredTime: r.preferredTime,
    note: r.note,
    source: r.source,
    status: r.status,
    dueAt: dueAt.toISOString(),
    windowEndsAt: r.windowEndsAt?.toISOString() ?? null,
    overdue: (OPEN as readonly string[]).includes(r.status) && lateAfter.getTime() < now.getTime(),
    assigneeId: r.assigneeId,
    attempts: r.attempts,
    lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
    lastOutcome: r.lastOutcome,
    createdAt: r.createdAt.toISOString(),
  };
}
export type CallbackDto = ReturnType<typeof callbackDto>;

export async function listCallbacks(deps: Deps, actor: Actor, q: z.infer<typeof listCallbacksQuery>) {
  const c = q.cursor ? decodeCursor(q.cursor, ['k', 'i']) : null;
  const rows = await deps.store.db
    .select({ r: callbackRequests, contactName: contacts.name, number: conversations.number, dueKey: sql<string>`to_char(${due} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')` })
    .from(callbackRequests)
    .innerJoin(conversations, and(eq(conversations.workspaceId, callbackRequests.workspaceId), eq(conversations.id, callbackRequests.conversationId)))
    .innerJoin(contacts, and(eq(contacts.workspaceId, callbackRequests.workspaceId), eq(contacts.id, callbackRequests.contactId)))
    .where(
      and(
        eq(callbackRequests.workspaceId, actor.workspaceId),
        visibleConversations(actor),
        q.status === 'open' ? inArray(callbackRequests.status, [...OPEN]) : q.status === 'closed' ? sql`${callbackRequests.status} not in ('requested', 'scheduled')` : undefined,
        q.assignee === 'me' ? eq(callbackRequests.assigneeId, actor.userId) : undefined,
        c ? sql`(to_char(${due} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), ${callbackRequests.id}) > (${c.k}, ${c.i}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(due), asc(callbackRequests.id))
    .limit(q.limit + 1);
  const now = deps.runtime.now();
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((x) => callbackDto(x.r, { contactName: x.contactName, conversationNumber: x.number }, now)),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ k: last.dueKey, i: last.r.id }) : null,
  };
}

async function loadVisible(deps: Deps, actor: Actor, id: string) {
  const [row] = await deps.store.db
    .select({ r: callbackRequests, conversation: conversations, contactName: contacts.name, contactAttributes: contacts.attributes })
    .from(callbackRequests)
    .innerJoin(conversations, and(eq(conversations.workspaceId, callbackRequests.workspaceId), eq(conversations.id, callbackRequests.conversationId)))
    .innerJoin(contacts, and(eq(contacts.workspaceId, callbackRequests.workspaceId), eq(contacts.id, callbackRequests.contactId)))
    .where(and(eq(callbackRequests.workspaceId, actor.workspaceId), eq(callbackRequests.id, id), visibleConversations(actor)));
  if (!row) throw notFound('callback_request');
  return row;
}

export async function updateCallback(deps: Deps, actor: Actor, id: string, input: z.infer<typeof updateCallbackInput>) {
  const found = await loadVisible(deps, actor, id);
  // A request that is done, cancelled or unreachable is history: changing it would rewrite what happened.
  if (!(OPEN as readonly string[]).includes(found.r.status)) throw new AppError('conflict', 'callback_closed', 'This callback request is already closed.');
  if (input.dueAt) await checkReschedule(deps, actor.workspaceId, found.conversation.inboxId, input.dueAt);
  if (input.assigneeId) {
    const [m] = await deps.store.db.select().from(memberships).where(and(eq(memberships.workspaceId, actor.workspaceId), eq(memberships.userId, input.assigneeId)));
    if (!m) throw new AppError('validation', 'unknown_assignee', 'The assignee is not a member of this workspace.', { fields: [{ path: 'assigneeId', message: 'not a member' }] });
  }
  return withOutbox(deps, actor.workspaceId, async (tx, out) => {
    const [r] = await tx
      .update(callbackRequests)
      .set({
        ...(input.assigneeId !== undefined ? { assigneeId: input.assigneeId } : {}),
        // An agent's own time: late once it has passed.
        ...(input.dueAt ? { dueAt: input.dueAt, windowEndsAt: null, status: 'scheduled' as const } : {}),
        ...(input.status ? { status: input.status } : {}),
        updatedAt: deps.runtime.now(),
      })
      .where(and(eq(callbackRequests.workspaceId, actor.workspaceId), eq(callbackRequests.id, id)))
      .returning();
    out.event('conversation.updated', scopeOf(found.conversation), { conversationId: found.conversation.id, changes: ['callbackRequests'], callbackRequestId: id });
    return callbackDto(r!, { contactName: found.contactName, conversationNumber: found.conversation.number }, deps.runtime.now());
  });
}

/**
 * A new due time an agent picks must be one the phone line can keep: not in the past, and while the line is open
 * (the same calendar the customer's slots come from). Unlike a customer's pick it need not be on the slot grid.
 */
async function checkReschedule(deps: Deps, workspaceId: string, conversationInboxId: string, dueAt: Date) {
  const [ws] = await deps.store.db.select({ locale: workspaces.locale }).from(workspaces).where(eq(workspaces.id, workspaceId));
  const locale = ws?.locale === 'en' ? 'en' : 'nl';
  const fail = (reason: 'past' | 'outside_hours') => {
    const e = SLOT_ERRORS[reason];
    return new AppError('validation', e.code, e[locale], { fields: [{ path: 'dueAt', message: e[locale] }] });
  };
  if (dueAt.getTime() < deps.runtime.now().getTime()) throw fail('past');
  const { cal } = await slotSetup(deps.store.db, deps, workspaceId, conversationInboxId);
  if (!isOpen(cal, dueAt)) throw fail('outside_hours');
}

/** The written conversation to tell the customer on: SMS first, then WhatsApp, then their latest other one. */
export async function writtenConversationOf(deps: Deps, workspaceId: string, contactId: string) {
  const [row] = await deps.store.db
    .select({ id: conversations.id, kind: inboxes.kind })
    .from(conversations)
    .innerJoin(inboxes, and(eq(inboxes.workspaceId, conversations.workspaceId), eq(inboxes.id, conversations.inboxId)))
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.contactId, contactId), ne(conversations.status, 'closed'), ne(inboxes.kind, 'voice'), sql`${inboxes.archivedAt} is null`))
    .orderBy(sql`case ${inboxes.kind} when 'sms' then 0 when 'whatsapp' then 1 else 2 end`, sql`${conversations.lastActivityAt} desc`)
    .limit(1);
  return row ?? null;
}

/**
 * An agent tried to call the customer back. Reached: done. Not reached: the next attempt is scheduled (or the
 * request ends as unreachable) and the customer is told on their written channel. When no written channel
 * exists, `informed` is null and the agent sees that.
 */
export async function recordAttempt(deps: Deps, actor: Actor, id: string, input: z.infer<typeof attemptInput>) {
  const found = await loadVisible(deps, actor, id);
  if (!(OPEN as readonly string[]).includes(found.r.status)) throw new AppError('conflict', 'callback_closed', 'This callback request is already closed.');
  const now = deps.runtime.now();
  const { settings } = await loadCertainty(deps.store.db, deps, actor.workspaceId);
  const cal = calendarFor(settings, found.conversation.inboxId);
  const slot = await slotSetup(deps.store.db, deps, actor.workspaceId, found.conversation.inboxId);
  const next = afterAttempt({ outcome: input.outcome as AttemptOutcome, attemptsBefore: found.r.attempts, cal, now });
  const windowEndsAt = next.dueAt ? (addBusinessMs(cal, next.dueAt, slot.opts.minutes * 60_000) ?? next.dueAt) : found.r.windowEndsAt;
  const updated = await withOutbox(deps, actor.workspaceId, async (tx, out) => {
    const [r] = await tx
      .update(callbackRequests)
      .set({ status: next.status, dueAt: next.dueAt ?? found.r.dueAt, windowEndsAt, attempts: found.r.attempts + 1, lastAttemptAt: now, lastOutcome: input.outcome, assigneeId: found.r.assigneeId ?? actor.userId, updatedAt: now })
      .where(and(eq(callbackRequests.workspaceId, actor.workspaceId), eq(callbackRequests.id, id), eq(callbackRequests.attempts, found.r.attempts)))
      .returning();
    // Two agents recording an attempt at once: only the first counts.
    if (!r) throw new AppError('conflict', 'callback_changed', 'Someone else just recorded an attempt; reload the queue.');
    out.event('conversation.updated', scopeOf(found.conversation), { conversationId: found.conversation.id, changes: ['callbackRequests'], callbackRequestId: id });
    return r;
  });
  let informed: { conversationId: string; messageId: string } | null = null;
  if (next.status !== 'done') {
    const target = await writtenConversationOf(deps, actor.workspaceId, found.r.contactId);
    if (target) {
      const [ws] = await deps.store.db.select({ locale: workspaces.locale }).from(workspaces).where(eq(workspaces.id, actor.workspaceId));
      const locale = found.contactAttributes.locale === 'en' ? 'en' : found.contactAttributes.locale === 'nl' ? 'nl' : ws?.locale === 'en' ? 'en' : 'nl';
      const content = missedCallbackText({ locale, timeZone: cal.timeZone, next, name: found.contactName || null });
      const msg = await sendReply(deps, actor, target.id, { kind: 'message', content, contentAttributes: { callbackRequestId: id } });
      informed = { conversationId: target.id, messageId: msg.id };
    }
  }
  return { callback: callbackDto(updated, { contactName: found.contactName, conversationNumber: found.conversation.number }, now), informed };
}
