import { and, asc, desc, eq, gte, inArray, isNotNull, sql } from 'drizzle-orm';
import { attachments, contactIdentities, contacts, conversationCsat, conversations, messages, users } from '../store/schema';
import { expectedFirstResponse, type Expectation } from '../domain/response-expectation';
import { mergeVisitorAttributes, type AttributeState } from '../domain/widget-identity';
import { decide, DEFAULT_THRESHOLD } from '../domain/answer-bot';
import { normalizeIdentity } from '../domain/identity';
import type { Db } from '../store/db';
import { AppError, invalid } from '../shared/errors';
import type { Deps, Services } from './context';
import { ingestInbound } from './ingest-inbound';
import { conversationView, lockConversation, scopeOf } from './conversations';
import { withOutbox } from './outbox';
import { findVisitorContact, siteVouchesForEmail, visitorIdentities, type Visitor, type WidgetInbox } from './widget-visitor';
import { helpCenterUrl, kbIndex } from './kb';
import { touchPresence } from './widget-presence';
import { recordMergeEvidence } from './merge-suggestions';
import { messageDto, previewOf, type ContactRow, type MessageRow } from './dto';
import type { VisitorConversation, VisitorMessage } from '../shared/widget';
import { botText, type ExpectationContext, type WidgetLocale } from './widget-texts';
import { calendarFor, loadCertainty } from './certainty-settings';
import { speedTargetMinutes } from '../domain/speed-targets';

export type { VisitorMessage };

export const NEW_CONVERSATIONS_PER_IP = { limit: 6, windowMs: 12 * 3_600_000 };
export const MESSAGES_PER_VISITOR = { limit: 30, windowMs: 60_000 };
export const ALLOWED_UPLOADS = /^(image\/(png|jpeg|gif|webp)|application\/pdf|text\/plain)$/;
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

export function visitorMessage(row: MessageRow, senderName: string | null, files: (typeof attachments.$inferSelect)[] = []): VisitorMessage {
  const attrs = row.contentAttributes as { bot?: VisitorMessage['bot'] };
  return {
    id: row.id,
    from: row.senderType === 'contact' ? 'visitor' : row.senderType === 'bot' ? 'bot' : 'agent',
    senderName: row.senderType === 'user' ? (senderName?.split(' ')[0] ?? null) : null,
    content: row.content,
    createdAt: row.createdAt.toISOString(),
    attachments: files.filter((f) => !f.contentId).map((f) => ({ id: f.id, fileName: f.fileName, contentType: f.contentType, size: f.size })),
    ...(attrs.bot ? { bot: attrs.bot } : {}),
  };
}

/** The visitor's current conversation (the latest in this inbox) and its customer-visible messages. */
export async function visitorHistory(deps: Deps, v: Visitor): Promise<{ conversation: VisitorConversation | null; messages: VisitorMessage[] }> {
  const contact = await findVisitorContact(deps.store.db, v);
  if (!contact) return { conversation: null, messages: [] };
  const [conv] = await deps.store.db
    .select()
    .from(conversations)
    .where(and(eq(conversations.workspaceId, v.workspaceId), eq(conversations.inboxId, v.inboxId), eq(conversations.contactId, contact.id)))
    .orderBy(desc(conversations.lastActivityAt))
    .limit(1);
  if (!conv) return { conversation: null, messages: [] };
  const visible = await visitorMessages(deps, v.workspaceId, conv.id);
  const [csat] = await deps.store.db
    .select()
    .from(conversationCsat)
    .where(and(eq(conversationCsat.workspaceId, v.workspaceId), eq(conversationCsat.conversationId, conv.id)));
  return {
    conversation: {
      id: conv.id,
      number: conv.number,
      status: conv.status,
      csat: csat ? { rating: csat.rating, comment: csat.comment } : null,
      botState: (conv.channelState.bot as { state?: string } | undefined)?.state ?? null,
    },
    messages: visible,
  };
}

/** The customer-visible messages of one conversation (no notes), as the widget and the transcript show them. */
export async function visitorMessages(deps: Pick<Deps, 'store'>, workspaceId: string, conversationId: string): Promise<VisitorMessage[]> {
  const rows = await deps.store.db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, workspaceId), eq(messages.conversationId, conversationId), eq(messages.kind, 'message')))
    .orderBy(asc(messages.createdAt), asc(messages.id))
    .limit(500);
  const ids = rows.map((r) => r.id);
  const files = ids.length ? await deps.store.db.select().from(attachments).where(and(eq(attachments.workspaceId, workspaceId), inArray(attachments.messageId, ids))) : [];
  const userIds = [...new Set(rows.filter((r) => r.senderType === 'user' && r.senderId).map((r) => r.senderId!))];
  const names = new Map((userIds.length ? await deps.store.db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds)) : []).map((u) => [u.id, u.name]));
  return rows.map((r) => visitorMessage(r, r.senderId ? (names.get(r.senderId) ?? null) : null, files.filter((f) => f.messageId === r.id)));
}

/**
 * "A human usually answers within X", from this inbox's last 50 first responses of the past 30 days, counted in
 * the inbox's business calendar (the certainty settings: per inbox, else the workspace default) — the same
 * calendar its handling-time promises use. Without enough history: the widget channel's first-response target.
 */
export async function inboxExpectation(deps: Deps, w: WidgetInbox): Promise<{ expectation: Expectation; ctx: ExpectationContext }> {
  const now = deps.runtime.now();
  const [{ settings }, rows] = await Promise.all([
    loadCertainty(deps.store.db, deps, w.inbox.workspaceId),
    deps.store.db
      .select({ askedAt: conversations.createdAt, firstResponseAt: conversations.firstResponseAt })
      .from(conversations)
      .where(
        and(
          eq(conversations.workspaceId, w.inbox.workspaceId),
          eq(conversations.inboxId, w.inbox.id),
          isNotNull(conversations.firstResponseAt),
          gte(conversations.createdAt, new Date(now.getTime() - 30 * 86_400_000)),
        ),
      )
      .orderBy(desc(conversations.createdAt))
      .limit(50),
  ]);
  const cal = calendarFor(settings, w.inbox.id);
  const samples = rows.map((r) => ({ askedAt: r.askedAt, firstResponseAt: r.firstResponseAt! }));
  return { expectation: expectedFirstResponse(samples, cal, now, speedTargetMinutes('widget', settings.speedTargets)), ctx: { timeZone: cal.timeZone, now } };
}

export interface VisitorMessageInput {
  clientId: string;
  content: string;
  name?: string;
  email?: string;
  locale: WidgetLocale;
  attachments?: { fileName: string; contentType: string; data: Buffer }[];
}

/**
 * A visitor writes. Rate limits first (messages per visitor; new conversations per IP), then the message goes
 * through ingest-inbound like every channel's; `clientId` makes a resend from the offline queue a no-op. With
 * the answer bot on and no human involved yet, the bot answers or hands over.
 */
export async function postVisitorMessage(deps: Services, w: WidgetInbox, v: Visitor, input: VisitorMessageInput, ip: string) {
  if (!input.content.trim() && !input.attachments?.length) throw invalid('content', 'a message needs text or a file', 'empty_message');
  for (const f of input.attachments ?? []) {
    if (!ALLOWED_UPLOADS.test(f.contentType)) throw new AppError('validation', 'file_type_not_allowed', 'Only images (PNG, JPEG, GIF, WebP), PDF and plain text can be sent.');
    if (f.data.length > MAX_UPLOAD_BYTES) throw new AppError('payload_too_large', 'file_too_large', `Files can be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
  }
  const perVisitor = await deps.limiter.hit(`widget:msg:${v.inboxId}:${v.identifier ?? v.visitorId}`, MESSAGES_PER_VISITOR.limit, MESSAGES_PER_VISITOR.windowMs);
  if (!perVisitor.allowed) throw new AppError('rate_limited', 'too_many_messages', 'You are sending messages very quickly; wait a moment.', { retryAfterSeconds: perVisitor.retryAfterSeconds });

  const contact = await findVisitorContact(deps.store.db, v);
  const active = contact
    ? (
        await deps.store.db
          .select({ id: conversations.id })
          .from(conversations)
          .where(and(eq(conversations.workspaceId, v.workspaceId), eq(conversations.inboxId, v.inboxId), eq(conversations.contactId, contact.id), inArray(conversations.status, ['open', 'pending', 'snoozed'])))
          .limit(1)
      )[0]
    : undefined;
  if (!active) {
    const perIp = await deps.limiter.hit(`widget:new:${v.inboxId}:${ip}`, NEW_CONVERSATIONS_PER_IP.limit, NEW_CONVERSATIONS_PER_IP.windowMs);
    if (!perIp.allowed) {
      throw new AppError('rate_limited', 'too_many_conversations', 'Too many new conversations from this network; please try again later or e-mail us.', { retryAfterSeconds: perIp.retryAfterSeconds });
    }
  }

  const result = await ingestInbound(deps, {
    workspaceId: v.workspaceId,
    inboxId: v.inboxId,
    externalId: `widget:${v.visitorId}:${input.clientId}`,
    contact: { identities: visitorIdentities(v), name: v.attrs?.name ?? input.name },
    content: input.content,
    contentAttributes: { widget: { locale: input.locale } },
    attachments: input.attachments,
  });
  // Writing is being here: a reply the agent sends now shows in this open widget.
  await touchPresence(deps.store.db, { workspaceId: v.workspaceId, inboxId: v.inboxId, contactId: result.contactId }, deps.runtime.now());
  // The site's attributes first, then what the visitor typed, which only fills blanks.
  if (v.attrs) await applySiteAttributes(deps, v, result.contactId, v.attrs);
  if (input.name || input.email) await applyVisitorAttributes(deps, v, result.contactId, { name: input.name, email: input.email }, false);

  const [row] = await deps.store.db.select().from(messages).where(and(eq(messages.workspaceId, v.workspaceId), eq(messages.id, result.messageId)));
  const files = await deps.store.db.select().from(attachments).where(and(eq(attachments.workspaceId, v.workspaceId), eq(attachments.messageId, result.messageId)));
  if (!result.duplicate && w.settings.bot.enabled && input.content.trim()) await runBot(deps, w, result.conversationId, input.content, input.locale);
  return { message: visitorMessage(row!, null, files), conversationId: result.conversationId, duplicate: result.duplicate };
}

/**
 * What the site passes with a signed identity. Name and e-mail outrank what the visitor types; but the e-mail
 * becomes a verified identity (mail from it may enter the chat, copies may go to it unconfirmed) only when the
 * site vouches for it by making it the signed identifier.
 */
export async function applySiteAttributes(deps: Deps, v: Visitor, contactId: string, attrs: { name?: string; email?: string }) {
  await applyVisitorAttributes(deps, v, contactId, attrs, true, siteVouchesForEmail(v, attrs.email));
}

/**
 * Name and e-mail the visitor (or the site) gives. Verified values (from a signed identity) win; typed ones only
 * fill blanks. The provenance lives in contact.attributes.widget, and the address shows on the contact. But only
 * a proven address (`emailIdentityVerified`: the site's signed identifier) becomes an identity: a typed one is
 * not an identity that inbound mail matches — else the real owner's ordinary e-mail would land on this
 * stranger's contact and chat. It waits on the conversation until the link is clicked (widget-email-handoff.ts).
 */
export async function applyVisitorAttributes(
  deps: Deps,
  v: Visitor,
  contactId: string,
  incoming: { name?: string; email?: string },
  verified: boolean,
  emailIdentityVerified = false,
) {
  await deps.store.transaction(async (tx) => {
    const [c] = await tx.select().from(contacts).where(and(eq(contacts.workspaceId, v.workspaceId), eq(contacts.id, contactId))).for('update');
    if (!c) return;
    const prior = widgetAttributes(c.attributes.widget);
    const current: AttributeState = { values: { ...prior.values, ...(c.name ? { name: c.name } : {}), ...(c.email ? { email: c.email } : {}) }, verifiedKeys: prior.verifiedKeys };
    const email = incoming.email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(incoming.email) ? incoming.email.toLowerCase() : undefined;
    const next = mergeVisitorAttributes(current, { name: incoming.name?.slice(0, 200), email }, verified);
    const patch: Partial<ContactRow> = { attributes: { ...c.attributes, widget: next }, updatedAt: deps.runtime.now() };
    if (next.values.name && next.values.name !== c.name) patch.name = next.values.name;
    if (next.values.email && next.values.email !== c.email) patch.email = next.values.email;
    await tx.update(contacts).set(patch).where(and(eq(contacts.workspaceId, v.workspaceId), eq(contacts.id, contactId)));
    if (email && emailIdentityVerified) await claimEmailIdentity(tx, deps, v.workspaceId, contactId, email);
  });
}

/** The provenance record, or an empty one when missing or damaged (it is a JSON attribute agents can edit). */
function widgetAttributes(raw: unknown): AttributeState {
  const r = raw as Partial<AttributeState> | null | undefined;
  const values = r && typeof r.values === 'object' && r.values !== null ? r.values : {};
  return { values, verifiedKeys: Array.isArray(r?.verifiedKeys) ? r.verifiedKeys.filter((k) => typeof k === 'string') : [] };
}

/**
 * A proven address (the link was clicked, or it is the site's signed identifier) becomes a verified identity of
 * the visitor's contact, upgrading one this contact already had. One that already belongs to another contact
 * is not moved and the two are not merged silently: it stays with its owner, and the pair becomes a merge
 * suggestion an agent decides on (app/merge-suggestions.ts). Until then the owner's mail stays with the owner.
 */
export async function claimEmailIdentity(tx: Db, deps: Pick<Deps, 'runtime'>, workspaceId: string, contactId: string, email: string): Promise<void> {
  const value = normalizeIdentity('email', email);
  if (!value.ok) return;
  const [owner] = await tx
    .insert(contactIdentities)
    .values({ workspaceId, id: deps.runtime.id(), contactId, kind: 'email', value: value.value, verified: true })
    // A no-op update so the row comes back either way and tells whose address it is.
    .onConflictDoUpdate({ target: [contactIdentities.workspaceId, contactIdentities.kind, contactIdentities.value], set: { kind: sql`excluded.kind` } })
    .returning({ id: contactIdentities.id, contactId: contactIdentities.contactId, verified: contactIdentities.verified });
  if (owner!.contactId !== contactId) {
    await recordMergeEvidence(tx, workspaceId, contactId, owner!.contactId, 'confirmed_email', value.value);
    return;
  }
  if (!owner!.verified) await tx.update(contactIdentities).set({ verified: true }).where(and(eq(contactIdentities.workspaceId, workspaceId), eq(contactIdentities.id, owner!.id)));
}

interface BotState {
  state: 'active' | 'handed_over';
  unhelpful: number;
  lastArticleId?: string;
}

/** A bot message in the conversation: visible to the visitor and, as part of the transcript, to agents. */
async function postBotMessage(deps: Deps, conversationId: string, workspaceId: string, content: string, bot: VisitorMessage['bot'], state: BotState) {
  await withOutbox(deps, workspaceId, async (tx, out) => {
    const conv = await lockConversation(tx, workspaceId, conversationId);
    const now = deps.runtime.now();
    const [row] = await tx
      .insert(messages)
      .values({
        workspaceId,
        id: deps.runtime.id(),
        conversationId,
        inboxId: conv.inboxId,
        kind: 'message',
        direction: 'outbound',
        senderType: 'bot',
        content,
        contentAttributes: { bot },
        status: 'sent',
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const [after] = await tx
      .update(conversations)
      .set({ channelState: { ...conv.channelState, bot: state }, preview: previewOf(content), lastMessageAt: now, lastActivityAt: now, updatedAt: now })
      .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, conversationId)))
      .returning();
    const view = await conversationView(tx, after!);
    out.event('message.created', scopeOf(after!), { message: messageDto(row!, 'Bot'), conversation: view });
    out.event('conversation.updated', scopeOf(after!), { conversation: view, changes: ['lastActivityAt'] });
  });
}

async function botStateOf(deps: Deps, workspaceId: string, conversationId: string) {
  const [c] = await deps.store.db
    .select({ channelState: conversations.channelState, firstResponseAt: conversations.firstResponseAt, inboxId: conversations.inboxId })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, conversationId)));
  return { conv: c, state: ((c?.channelState.bot as BotState | undefined) ?? { state: 'active', unhelpful: 0 }) as BotState };
}

async function handOver(deps: Deps, w: WidgetInbox, conversationId: string, locale: WidgetLocale, state: BotState, reason: string) {
  const { expectation, ctx } = await inboxExpectation(deps, w);
  await postBotMessage(deps, conversationId, w.inbox.workspaceId, botText(locale, 'handover', { expectation, ctx, reason }), { handover: true }, { ...state, state: 'handed_over' });
}

export async function runBot(deps: Deps, w: WidgetInbox, conversationId: string, text: string, locale: WidgetLocale) {
  const { conv, state } = await botStateOf(deps, w.inbox.workspaceId, conversationId);
  // Once a person is involved (handed over, or an agent already answered) the bot stays quiet.
  if (!conv || state.state === 'handed_over' || conv.firstResponseAt) return;
  const { index, articles } = await kbIndex(deps.store.db, w.inbox.workspaceId);
  const best = index.best(text, locale);
  const decision = decide({ text, best, threshold: w.settings.bot.threshold ?? DEFAULT_THRESHOLD, unhelpfulAnswers: state.unhelpful });
  if (decision.action === 'handover') return handOver(deps, w, conversationId, locale, state, decision.reason);
  const article = articles.get(decision.articleId)!;
  const path = helpCenterUrl('', w.inbox.workspaceId, article.locale, article.slug);
  await postBotMessage(
    deps,
    conversationId,
    w.inbox.workspaceId,
    botText(article.locale, 'answer', { title: article.title, body: article.body, url: `${deps.config.publicUrl}${path}` }),
    // A path: the widget links it on the origin it was loaded from.
    { articleId: article.id, articleTitle: article.title, articleUrl: path, askFeedback: true },
    { ...state, lastArticleId: article.id },
  );
}

/** The visitor answers "did this help?" under a bot answer. */
export async function botFeedback(deps: Deps, w: WidgetInbox, v: Visitor, helpful: boolean, locale: WidgetLocale) {
  const history = await visitorHistory(deps, v);
  if (!history.conversation) throw new AppError('not_found', 'no_conversation', 'There is no conversation yet.');
  const conversationId = history.conversation.id;
  const { state } = await botStateOf(deps, v.workspaceId, conversationId);
  if (state.state === 'handed_over') return;
  if (helpful) {
    await postBotMessage(deps, conversationId, v.workspaceId, botText(locale, 'glad', {}), {}, state);
    return;
  }
  const next = { ...state, unhelpful: state.unhelpful + 1 };
  if (next.unhelpful >= 2) return handOver(deps, w, conversationId, locale, next, 'unhelpful_answers');
  await postBotMessage(deps, conversationId, v.workspaceId, botText(locale, 'rephrase', {}), {}, next);
}

/** CSAT after resolution: 1–5 and a comment, one per conversation (answering again replaces it). */
export async function submitCsat(deps: Deps, v: Visitor, input: { rating: number; comment?: string }) {
  const history = await visitorHistory(deps, v);
  const conv = history.conversation;
  if (!conv) throw new AppError('not_found', 'no_conversation', 'There is no conversation to rate.');
  if (conv.status !== 'resolved' && conv.status !== 'closed') throw new AppError('conflict', 'not_resolved', 'A conversation can be rated once it is resolved.');
  const now = deps.runtime.now();
  await withOutbox(deps, v.workspaceId, async (tx, out) => {
    await tx
      .insert(conversationCsat)
      .values({ workspaceId: v.workspaceId, conversationId: conv.id, rating: input.rating, comment: input.comment ?? '', createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: [conversationCsat.workspaceId, conversationCsat.conversationId], set: { rating: input.rating, comment: input.comment ?? '', updatedAt: now } });
    const row = await lockConversation(tx, v.workspaceId, conv.id);
    const [after] = await tx
      .update(conversations)
      .set({ customAttributes: { ...row.customAttributes, csat: { rating: input.rating, comment: input.comment ?? '', at: now.toISOString() } }, updatedAt: now })
      .where(and(eq(conversations.workspaceId, v.workspaceId), eq(conversations.id, conv.id)))
      .returning();
    out.event('conversation.updated', scopeOf(after!), { conversation: await conversationView(tx, after!), changes: ['csat'] });
  });
  return { rating: input.rating, comment: input.comment ?? '' };
}
