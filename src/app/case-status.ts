import crypto from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../store/db';
import { agreements, attachments, callbackRequests, caseLinks, contactIdentities, contacts, conversationPromises, conversations, messages, workspaces } from '../store/schema';
import { AppError, notFound } from '../shared/errors';
import { normalizePhone } from '../domain/identity';
import type { Actor, Deps } from './context';
import { loadCertainty } from './certainty-settings';
import { ingestInbound } from './ingest-inbound';
import { scopeOf } from './conversations';
import { withOutbox } from './outbox';
import type { IncomingFile } from './attachments';
import { activeIncidentsFor, type PublicIncident } from './incidents';
import { markAgreement, notifyAgreementAnswered } from './agreement-marks';
import { callbackTiming } from './callback-slots';
import type { Locale } from '../domain/promise-text';

/**
 * Case-status links: every conversation can have an unguessable, signed, revocable link that the customer opens
 * without logging in. The token is `<link id>.<HMAC of the link id with the workspace's link key>`; only its
 * SHA-256 is stored, so a database leak reveals no working link. Any channel's outbound reply can include it
 * through `caseStatusUrl`.
 */
const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
const sign = (key: Buffer, workspaceId: string, linkId: string) =>
  crypto.createHmac('sha256', key).update(`case-link:${workspaceId}:${linkId}`).digest().subarray(0, 24).toString('base64url');
const idPart = (linkId: string) => Buffer.from(linkId.replaceAll('-', ''), 'hex').toString('base64url');
const TOKEN_RE = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{32}$/;

export const caseStatusPath = (token: string) => `/s/${token}`;

/** The conversation's current link (the same every time, until revoked), created on first use. */
export async function caseStatusUrl(deps: Deps, workspaceId: string, conversationId: string): Promise<string> {
  const token = await deps.store.transaction(async (tx) => caseStatusToken(tx, deps, workspaceId, conversationId));
  return `${deps.config.publicUrl}${caseStatusPath(token)}`;
}

export async function caseStatusToken(tx: Db, deps: Pick<Deps, 'secrets' | 'runtime'>, workspaceId: string, conversationId: string): Promise<string> {
  const { linkKey } = await loadCertainty(tx, deps, workspaceId);
  const [existing] = await tx
    .select({ id: caseLinks.id })
    .from(caseLinks)
    .where(and(eq(caseLinks.workspaceId, workspaceId), eq(caseLinks.conversationId, conversationId), isNull(caseLinks.revokedAt)))
    .orderBy(desc(caseLinks.createdAt))
    .limit(1);
  if (existing) return `${idPart(existing.id)}.${sign(linkKey, workspaceId, existing.id)}`;
  const id = deps.runtime.id();
  const token = `${idPart(id)}.${sign(linkKey, workspaceId, id)}`;
  await tx.insert(caseLinks).values({ workspaceId, id, conversationId, tokenHash: hashToken(token), createdAt: deps.runtime.now() });
  return token;
}

/** Revokes every link of the conversation; the next `caseStatusUrl` makes a fresh one. */
export async function revokeCaseLinks(deps: Deps, actor: Actor, conversationId: string): Promise<{ revoked: number }> {
  const rows = await deps.store.db
    .update(caseLinks)
    .set({ revokedAt: deps.runtime.now() })
    .where(and(eq(caseLinks.workspaceId, actor.workspaceId), eq(caseLinks.conversationId, conversationId), isNull(caseLinks.revokedAt)))
    .returning({ id: caseLinks.id });
  return { revoked: rows.length };
}

export interface CaseContext {
  workspaceId: string;
  linkId: string;
  conversation: typeof conversations.$inferSelect;
  statusLinkDays: number;
}

/** Wrong, revoked and expired tokens are all the same 404: the page never says which. */
const gone = () => notFound('case');

export async function openCaseToken(deps: Deps, token: string): Promise<CaseContext> {
  if (!TOKEN_RE.test(token)) throw gone();
  const [row] = await deps.store.db
    .select({ link: caseLinks, conversation: conversations })
    .from(caseLinks)
    .innerJoin(conversations, and(eq(conversations.workspaceId, caseLinks.workspaceId), eq(conversations.id, caseLinks.conversationId)))
    .where(eq(caseLinks.tokenHash, hashToken(token)));
  if (!row || row.link.revokedAt) throw gone();
  const { settings, linkKey } = await loadCertainty(deps.store.db, deps, row.link.workspaceId);
  const expected = `${idPart(row.link.id)}.${sign(linkKey, row.link.workspaceId, row.link.id)}`;
  if (expected.length !== token.length || !crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(token))) throw gone();
  const c = row.conversation;
  const doneAt = c.status === 'resolved' || c.status === 'closed' ? (c.resolvedAt ?? c.updatedAt) : null;
  if (doneAt && deps.runtime.now().getTime() > doneAt.getTime() + settings.statusLinkDays * 86_400_000) throw gone();
  return { workspaceId: row.link.workspaceId, linkId: row.link.id, conversation: c, statusLinkDays: settings.statusLinkDays };
}

export interface CaseStatusView {
  number: number;
  subject: string | null;
  status: 'waiting_for_us' | 'waiting_for_you' | 'resolved';
  promise: { firstResponseDueAt: string; state: string } | null;
  nextStep: { text: string | null; dueAt: string | null; by: 'us' | 'you' | null };
  messages: Array<{ id: string; from: 'you' | 'us'; content: string; at: string; files: string[] }>;
  agreements: Array<{ id: string; summary: string; nextStep: string; dueAt: string | null; status: string; correction: string | null }>;
  callbackRequested: boolean;
  /** An agent set the time of the open callback (status scheduled): when, in the workspace's time zone. */
  callbackScheduled: { dueAt: string; timeZone: string } | null;
  incidents: PublicIncident[];
  contactName: string;
  hasPhone: boolean;
}

/** What the customer may see: customer-visible messages only (never notes or activities). */
export async function caseStatusView(deps: Deps, ctx: CaseContext): Promise<CaseStatusView> {
  const ws = ctx.workspaceId;
  const c = ctx.conversation;
  const [contact] = await deps.store.db.select().from(contacts).where(and(eq(contacts.workspaceId, ws), eq(contacts.id, c.contactId)));
  const rows = await deps.store.db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, ws), eq(messages.conversationId, c.id), eq(messages.kind, 'message')))
    .orderBy(asc(messages.createdAt), asc(messages.id))
    .limit(500);
  const visible = rows.filter((m) => m.direction === 'inbound' || (m.direction === 'outbound' && m.status !== 'failed'));
  const files = visible.length
    ? await deps.store.db
        .select({ messageId: attachments.messageId, fileName: attachments.fileName, contentId: attachments.contentId })
        .from(attachments)
        .where(and(eq(attachments.workspaceId, ws), inArray(attachments.messageId, visible.map((m) => m.id))))
    : [];
  const [promise] = await deps.store.db
    .select()
    .from(conversationPromises)
    .where(and(eq(conversationPromises.workspaceId, ws), eq(conversationPromises.conversationId, c.id)));
  const agreementRows = await deps.store.db
    .select()
    .from(agreements)
    .where(and(eq(agreements.workspaceId, ws), eq(agreements.conversationId, c.id)))
    .orderBy(desc(agreements.createdAt))
    .limit(10);
  const [callback] = await deps.store.db
    .select({ id: callbackRequests.id, status: callbackRequests.status, dueAt: callbackRequests.dueAt })
    .from(callbackRequests)
    .where(and(eq(callbackRequests.workspaceId, ws), eq(callbackRequests.conversationId, c.id), inArray(callbackRequests.status, ['requested', 'scheduled'])))
    .orderBy(desc(callbackRequests.createdAt))
    .limit(1);
  const [wsRow] = callback?.status === 'scheduled' ? await deps.store.db.select({ timeZone: workspaces.timeZone }).from(workspaces).where(eq(workspaces.id, ws)) : [];
  const status: CaseStatusView['status'] =
    c.status === 'resolved' || c.status === 'closed' ? 'resolved' : c.status === 'pending' || !c.waitingSince ? 'waiting_for_you' : 'waiting_for_us';
  const openAgreement = agreementRows.find((a) => a.status !== 'corrected' && a.nextStep);
  const nextStep: CaseStatusView['nextStep'] = openAgreement
    ? { text: openAgreement.nextStep, dueAt: openAgreement.dueAt?.toISOString() ?? null, by: 'us' }
    : status === 'waiting_for_us'
      ? { text: null, dueAt: promise && promise.state !== 'kept' ? promise.firstResponseDueAt.toISOString() : null, by: 'us' }
      : status === 'waiting_for_you'
        ? { text: null, dueAt: null, by: 'you' }
        : { text: null, dueAt: null, by: null };
  return {
    number: c.number,
    subject: c.subject,
    status,
    promise: promise ? { firstResponseDueAt: promise.firstResponseDueAt.toISOString(), state: promise.state } : null,
    nextStep,
    messages: visible.map((m) => ({
      id: m.id,
      from: m.direction === 'inbound' ? 'you' : 'us',
      content: m.content,
      at: m.createdAt.toISOString(),
      files: files.filter((f) => f.messageId === m.id && !f.contentId).map((f) => f.fileName),
    })),
    agreements: agreementRows.map((a) => ({
      id: a.id,
      summary: a.summary,
      nextStep: a.nextStep,
      dueAt: a.dueAt?.toISOString() ?? null,
      status: a.status,
      correction: a.correction,
    })),
    callbackRequested: !!callback,
    callbackScheduled: callback?.status === 'scheduled' && callback.dueAt ? { dueAt: callback.dueAt.toISOString(), timeZone: wsRow?.timeZone ?? 'Europe/Amsterdam' } : null,
    incidents: contact ? await activeIncidentsFor(deps.store.db, ws, contact) : [],
    contactName: contact?.name ?? '',
    hasPhone: !!contact?.phone,
  };
}

/** The customer adds information or files: an inbound message of this conversation, through ingest-inbound. */
export async function addCaseInformation(deps: Deps, ctx: CaseContext, input: { content: string; attachments?: IncomingFile[] }) {
  if (ctx.conversation.status === 'closed') throw new AppError('conflict', 'conversation_closed', 'This case is closed.');
  const [identity] = await deps.store.db
    .select({ kind: contactIdentities.kind, value: contactIdentities.value })
    .from(contactIdentities)
    .where(and(eq(contactIdentities.workspaceId, ctx.workspaceId), eq(contactIdentities.contactId, ctx.conversation.contactId)))
    .limit(1);
  if (!identity) throw new AppError('conflict', 'contact_unreachable', 'This case has no customer identity to add information to.');
  return ingestInbound(deps, {
    workspaceId: ctx.workspaceId,
    inboxId: ctx.conversation.inboxId,
    externalId: `case-status:${deps.runtime.id()}`,
    contact: { identities: [{ kind: identity.kind, value: identity.value }] },
    content: input.content,
    contentAttributes: { source: 'case_status_page' },
    attachments: input.attachments ?? [],
    conversationId: ctx.conversation.id,
  });
}

/** The customer confirms or corrects an agreement (e.g. one made on the phone). */
export async function answerAgreement(deps: Deps, ctx: CaseContext, agreementId: string, input: { confirm: true } | { correction: string }) {
  return withOutbox(deps, ctx.workspaceId, async (tx, out) => {
    const [row] = await tx
      .update(agreements)
      .set(
        'correction' in input
          ? { status: 'corrected', correction: input.correction, respondedAt: deps.runtime.now() }
          : { status: 'confirmed', respondedAt: deps.runtime.now() },
      )
      .where(and(eq(agreements.workspaceId, ctx.workspaceId), eq(agreements.conversationId, ctx.conversation.id), eq(agreements.id, agreementId)))
      .returning();
    if (!row) throw notFound('agreement');
    out.event('conversation.updated', scopeOf(ctx.conversation), { conversationId: ctx.conversation.id, changes: ['agreements'], agreement: { id: row.id, status: row.status } });
    await markAgreement(tx, out, row);
    await notifyAgreementAnswered(tx, deps, out, row);
    return { id: row.id, status: row.status };
  });
}

/**
 * The customer asks to be called back, in a slot they picked (checked: open, not past, not full) or as soon as
 * possible within opening hours; stored for the phone work, agents see it live.
 */
export async function requestCallback(deps: Deps, ctx: Pick<CaseContext, 'workspaceId' | 'conversation'>, input: { phone?: string; preferredTime?: string; note?: string; slot?: Date; locale?: Locale; source?: 'status_page' | 'widget' }) {
  const [contact] = await deps.store.db.select().from(contacts).where(and(eq(contacts.workspaceId, ctx.workspaceId), eq(contacts.id, ctx.conversation.contactId)));
  const raw = input.phone?.trim() || contact?.phone || '';
  const parsed = normalizePhone(raw);
  const locale = input.locale ?? 'nl';
  if (!parsed.ok) {
    const message = locale === 'en' ? 'A valid phone number is needed to call you back.' : 'We hebben een geldig telefoonnummer nodig om je terug te bellen.';
    throw new AppError('validation', 'phone_required', message, { fields: [{ path: 'phone', message }] });
  }
  const phone = parsed.value;
  return withOutbox(deps, ctx.workspaceId, async (tx, out) => {
    const id = deps.runtime.id();
    const timing = await callbackTiming(tx, deps, { workspaceId: ctx.workspaceId, conversationInboxId: ctx.conversation.inboxId, slot: input.slot, locale });
    await tx.insert(callbackRequests).values({
      workspaceId: ctx.workspaceId,
      id,
      conversationId: ctx.conversation.id,
      contactId: ctx.conversation.contactId,
      phone,
      preferredTime: (input.preferredTime ?? '').slice(0, 200),
      note: (input.note ?? '').slice(0, 2000),
      source: input.source ?? 'status_page',
      dueAt: timing.dueAt,
      windowEndsAt: timing.windowEndsAt,
      createdAt: deps.runtime.now(),
      updatedAt: deps.runtime.now(),
    });
    out.event('conversation.updated', scopeOf(ctx.conversation), { conversationId: ctx.conversation.id, changes: ['callbackRequests'], callbackRequestId: id });
    return { id, phone, dueAt: timing.dueAt.toISOString(), windowEndsAt: timing.windowEndsAt.toISOString() };
  });
}

/** Records an agreement on a conversation (the phone issue's call summary uses this). */
export async function recordAgreement(
  deps: Deps,
  actor: Actor,
  conversationId: string,
  input: { summary: string; nextStep?: string; dueAt?: Date | null; source?: string },
) {
  return withOutbox(deps, actor.workspaceId, async (tx, out) => {
    const [c] = await tx.select().from(conversations).where(and(eq(conversations.workspaceId, actor.workspaceId), eq(conversations.id, conversationId)));
    if (!c) throw notFound('conversation');
    const [row] = await tx
      .insert(agreements)
      .values({
        workspaceId: actor.workspaceId,
        id: deps.runtime.id(),
        conversationId,
        source: input.source ?? 'phone',
        summary: input.summary,
        nextStep: input.nextStep ?? '',
        dueAt: input.dueAt ?? null,
        createdBy: actor.userId,
        createdAt: deps.runtime.now(),
      })
      .returning();
    out.event('conversation.updated', scopeOf(c), { conversationId, changes: ['agreements'] });
    return row!;
  });
}
