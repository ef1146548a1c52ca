import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import { callRings, calls, contacts, messages } from '../store/schema';
import type { Actor, Deps } from './context';
import type { OutboxWriter } from './outbox';
import { callDto, type CallRow } from './voice-calls';

/**
 * The screen pop: while a line rings an agent's phone, that agent's app shows who calls (state `ringing`);
 * when they pick up it stays as the context of the call (`answered`); when the ring or the call ends it goes
 * (`ended`). Sent only to the agent concerned (scope userIds), never stored beyond the outbox row.
 */
export type ScreenPopState = 'ringing' | 'answered' | 'ended';

/**
 * A caller is "known" when the contact the number matched existed before this call for a reason: a name, an
 * e-mail address, or any other message. A number Balie had never seen is a fresh contact with none of these.
 */
export async function isKnownCaller(tx: Db, call: CallRow): Promise<boolean> {
  const [c] = await tx.select({ name: contacts.name, email: contacts.email }).from(contacts).where(and(eq(contacts.workspaceId, call.workspaceId), eq(contacts.id, call.contactId)));
  if (!c) return false;
  if (c.name.trim() || c.email) return true;
  const [other] = await tx
    .select({ n: sql<number>`1` })
    .from(messages)
    .where(
      and(
        eq(messages.workspaceId, call.workspaceId),
        ne(messages.id, call.messageId),
        sql`${messages.conversationId} in (select id from conversations where workspace_id = ${call.workspaceId} and contact_id = ${call.contactId})`,
      ),
    )
    .limit(1);
  return !!other;
}

export async function screenPop(tx: Db, out: OutboxWriter, call: CallRow, userIds: string[], state: ScreenPopState) {
  const ids = [...new Set(userIds)];
  if (!ids.length) return;
  const known = state === 'ringing' ? await isKnownCaller(tx, call) : undefined;
  out.event('call.screen_pop', { userIds: ids, inboxId: call.inboxId, conversationId: call.conversationId, contactId: call.contactId }, {
    state,
    call: callDto(call),
    conversationId: call.conversationId,
    contactId: call.contactId,
    inboxId: call.inboxId,
    ...(known === undefined ? {} : { known }),
  });
}

/** Everyone whose phone rang for this call (the ones who still see a pop when it ends). */
export async function rungUsers(tx: Db, call: CallRow): Promise<string[]> {
  const rows = await tx.select({ userId: callRings.userId }).from(callRings).where(and(eq(callRings.workspaceId, call.workspaceId), eq(callRings.callId, call.id)));
  return rows.map((r) => r.userId);
}

/** A ring older than this is a webhook that never came (the longest ring is a minute), not a ringing phone. */
const RING_FRESH_MS = 3 * 60_000;
/** A call "in progress" for longer than this lost its end webhook. */
const TALK_FRESH_MS = 4 * 3_600_000;

/**
 * The pops an agent should see right now, for an app that (re)starts while a call rings for them or while they
 * talk: the realtime events went to the tab that was closed. Newest first; the app shows the first.
 */
export async function currentScreenPops(deps: Deps, actor: Actor) {
  const db = deps.store.db;
  const now = deps.runtime.now().getTime();
  const ringing = await db
    .select({ call: calls })
    .from(callRings)
    .innerJoin(calls, and(eq(calls.workspaceId, callRings.workspaceId), eq(calls.id, callRings.callId)))
    .where(
      and(
        eq(callRings.workspaceId, actor.workspaceId),
        eq(callRings.userId, actor.userId),
        eq(callRings.status, 'ringing'),
        isNull(callRings.endedAt),
        isNull(calls.endedAt),
        gt(callRings.rungAt, new Date(now - RING_FRESH_MS)),
      ),
    )
    .orderBy(desc(callRings.rungAt))
    .limit(5);
  const talking = await db
    .select()
    .from(calls)
    .where(and(eq(calls.workspaceId, actor.workspaceId), eq(calls.agentUserId, actor.userId), eq(calls.status, 'in_progress'), isNull(calls.endedAt), gt(calls.startedAt, new Date(now - TALK_FRESH_MS))))
    .orderBy(desc(calls.startedAt))
    .limit(5);
  const pop = async (call: CallRow, state: ScreenPopState) => ({
    state,
    call: callDto(call),
    conversationId: call.conversationId,
    contactId: call.contactId,
    inboxId: call.inboxId,
    known: await isKnownCaller(db, call),
  });
  const items = [...(await Promise.all(ringing.map((r) => pop(r.call, 'ringing')))), ...(await Promise.all(talking.map((c) => pop(c, 'answered'))))];
  return { items };
}
