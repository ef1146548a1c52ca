import { and, asc, desc, eq, gt, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import { callbackRequests, callNudges, contacts, conversationPromises, conversations, inboxes, messages, workspaces } from '../store/schema';
import { detectPingPong, type PingPongReason, type ThreadMessage } from '../domain/ping-pong';
import { AppError } from '../shared/errors';
import type { Actor, Deps } from './context';
import type { ConversationRow } from './dto';
import { caseStatusUrl } from './case-status';
import { loadCertainty } from './certainty-settings';
import { sendReply } from './send-reply';

/**
 * The "call this customer" nudge of a written conversation: the ping-pong rule (src/domain/ping-pong.ts) over
 * the thread since the last time a suggestion was followed, with the customer's number, and what came of it.
 * Following it is recorded on the message that followed it (`contentAttributes.pingPong`): a click-to-call from
 * the nudge, or the callback offer sent to the customer. The effect is read from what happened afterwards.
 */
export type SuggestionAction = 'called' | 'callback_offered';
const WEEK_MS = 7 * 86_400_000;

export async function callSuggestion(deps: Deps, actor: Actor, conversation: ConversationRow) {
  const db = deps.store.db;
  const ws = actor.workspaceId;
  const [inbox] = await db.select({ kind: inboxes.kind }).from(inboxes).where(and(eq(inboxes.workspaceId, ws), eq(inboxes.id, conversation.inboxId)));
  const [contact] = await db.select({ phone: contacts.phone }).from(contacts).where(and(eq(contacts.workspaceId, ws), eq(contacts.id, conversation.contactId)));
  const [line] = await db.select({ id: inboxes.id }).from(inboxes).where(and(eq(inboxes.workspaceId, ws), eq(inboxes.kind, 'voice'), sql`${inboxes.archivedAt} is null`)).limit(1);
  const [last] = await db
    .select({ at: messages.createdAt, action: sql<SuggestionAction>`${messages.contentAttributes}->'pingPong'->>'action'` })
    .from(messages)
    .where(and(eq(messages.workspaceId, ws), eq(messages.conversationId, conversation.id), sql`${messages.contentAttributes} ? 'pingPong'`))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  const followed = last ? { action: last.action, at: last.at.toISOString() } : null;
  const base = {
    channel: inbox?.kind ?? null,
    phone: contact?.phone ?? null,
    canCall: !!line && !!contact?.phone,
    followed,
    effect: last ? await effectOf(deps, actor, conversation, last.at) : null,
    openCallbacks: await openCallbackCount(deps, actor, conversation.id),
  };
  if (!inbox || inbox.kind === 'voice') return { ...base, suggestCall: false, reasons: [] as PingPongReason[] };

  const rows = await db
    .select({ direction: messages.direction, senderType: messages.senderType, content: messages.content, at: messages.createdAt })
    .from(messages)
    .where(
      and(
        eq(messages.workspaceId, ws),
        eq(messages.conversationId, conversation.id),
        eq(messages.kind, 'message'),
        inArray(messages.senderType, ['contact', 'user']),
        // An out-of-office reply is not the customer answering: it is no round trip.
        sql`not (${messages.contentAttributes} ? 'automatic')`,
        last ? gt(messages.createdAt, last.at) : undefined,
      ),
    )
    .orderBy(asc(messages.createdAt))
    .limit(500);
  const thread: ThreadMessage[] = rows.map((r) => ({ from: r.direction === 'inbound' ? 'customer' : 'agent', content: r.content, at: r.at }));
  const [promise] = await db
    .select({ state: conversationPromises.state })
    .from(conversationPromises)
    .where(and(eq(conversationPromises.workspaceId, ws), eq(conversationPromises.conversationId, conversation.id)));
  const { settings } = await loadCertainty(db, deps, ws);
  const verdict = detectPingPong(thread, {
    resolved: conversation.status === 'resolved' || conversation.status === 'closed',
    promiseAtRisk: !conversation.firstResponseAt && (promise?.state === 'at_risk' || promise?.state === 'will_miss' || promise?.state === 'missed'),
    thresholds: settings.pingPong,
  });
  // The report compares nudges followed with nudges not followed, so a shown nudge is remembered once per round.
  if (verdict.suggestCall) {
    await db
      .insert(callNudges)
      .values({ workspaceId: ws, conversationId: conversation.id, round: last ? last.at.toISOString() : '', reasons: verdict.reasons.map((r) => r.kind), shownAt: deps.runtime.now() })
      .onConflictDoNothing();
  }
  return { ...base, ...verdict };
}

/** After the suggestion was followed: was the case resolved afterwards, and did the customer have to come back? */
async function effectOf(deps: Deps, actor: Actor, conversation: ConversationRow, at: Date) {
  const [again] = await deps.store.db
    .select({ n: sql<number>`count(*)::int` })
    .from(messages)
    .innerJoin(conversations, and(eq(conversations.workspaceId, messages.workspaceId), eq(conversations.id, messages.conversationId)))
    .where(
      and(
        eq(messages.workspaceId, actor.workspaceId),
        eq(conversations.contactId, conversation.contactId),
        eq(messages.direction, 'inbound'),
        eq(messages.kind, 'message'),
        sql`not (${messages.contentAttributes} ? 'automatic')`,
        gt(messages.createdAt, at),
        sql`${messages.createdAt} < ${new Date(at.getTime() + WEEK_MS)}`,
      ),
    );
  return { resolvedAfter: !!conversation.resolvedAt && conversation.resolvedAt > at, contactsWithin7Days: again?.n ?? 0 };
}

const OFFER = {
  nl: (name: string | null, link: string) =>
    `${name ? `Hoi ${name}, ` : ''}zullen we even bellen? Dan lossen we dit in één gesprek op in plaats van nog een paar berichten heen en weer. Kies hier wanneer we je mogen bellen: ${link}#callback`,
  en: (name: string | null, link: string) =>
    `${name ? `Hi ${name}, ` : ''}shall we talk on the phone? One call will sort this out faster than a few more messages back and forth. Pick when we may call you: ${link}#callback`,
};

/**
 * "Offer a callback": a message on the customer's own channel with the case-status page, where they leave the
 * number and time to be called (a callback request in the queue). Recorded as the suggestion followed.
 */
export async function offerCallback(deps: Deps, actor: Actor, conversation: ConversationRow) {
  const db = deps.store.db;
  const [inbox] = await db.select({ kind: inboxes.kind }).from(inboxes).where(and(eq(inboxes.workspaceId, actor.workspaceId), eq(inboxes.id, conversation.inboxId)));
  if (inbox?.kind === 'voice') throw new AppError('validation', 'not_a_written_conversation', 'A callback is offered in a written conversation.');
  const [contact] = await db.select({ name: contacts.name, attributes: contacts.attributes }).from(contacts).where(and(eq(contacts.workspaceId, actor.workspaceId), eq(contacts.id, conversation.contactId)));
  const [ws] = await db.select({ locale: workspaces.locale }).from(workspaces).where(eq(workspaces.id, actor.workspaceId));
  const locale = contact?.attributes.locale === 'en' ? 'en' : contact?.attributes.locale === 'nl' ? 'nl' : ws?.locale === 'en' ? 'en' : 'nl';
  const verdict = await callSuggestion(deps, actor, conversation);
  const link = await caseStatusUrl(deps, actor.workspaceId, conversation.id);
  const first = contact?.name.trim().split(/\s+/)[0] || null;
  return sendReply(deps, actor, conversation.id, {
    kind: 'message',
    content: OFFER[locale](first, link),
    contentAttributes: { pingPong: { action: 'callback_offered', reasons: verdict.reasons.map((r) => r.kind) } },
  });
}

/** Open callback requests of a conversation (the nudge says when one is already waiting). */
export async function openCallbackCount(deps: Deps, actor: Actor, conversationId: string) {
  const [r] = await deps.store.db
    .select({ n: sql<number>`count(*)::int` })
    .from(callbackRequests)
    .where(and(eq(callbackRequests.workspaceId, actor.workspaceId), eq(callbackRequests.conversationId, conversationId), inArray(callbackRequests.status, ['requested', 'scheduled']), isNotNull(callbackRequests.phone), ne(callbackRequests.phone, '')));
  return r?.n ?? 0;
}
