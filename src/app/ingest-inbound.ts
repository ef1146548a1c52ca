import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import { attachments, contacts, conversations, inboxes, incidents, messages, teams, workspaces } from '../store/schema';
import { initialState, onInbound, type ConversationState, type InboundDecision } from '../domain/conversation-state';
import { AppError, notFound } from '../shared/errors';
import type { Deps } from './context';
import { contactDto, conversationDto, messageDto, previewOf, type ConversationRow, type InboxRow } from './dto';
import { OutboxWriter, outboxRowFromSql, type OutboxRow } from './outbox';
import { lockContactConversations, resolveContact, type ContactInput } from './resolve-contact';
import { readWorkspaceSettings } from './workspace-settings';
import { storeAttachments, type IncomingFile } from './attachments';
import { cleanDeep } from '../shared/text';
import { linkToIncidents, matchIncidents } from './incidents';
import { ACK_DELAY_MS } from './promises';
import { mergeChannelState } from '../domain/channel-state';

/**
 * The ONE place where inbound traffic of every channel becomes contacts, conversations and messages.
 * Channels parse their provider's format into `InboundMessage` and call this; nothing else creates them.
 */
export interface InboundMessage {
  workspaceId: string;
  inboxId: string;
  /** The provider's message id; (inbox, externalId) is unique, which makes redeliveries no-ops. */
  externalId: string;
  contact: ContactInput;
  content: string;
  contentType?: 'text' | 'html';
  contentAttributes?: Record<string, unknown>;
  attachments?: IncomingFile[];
  /** When the customer sent it, if the provider says (else: now). */
  sentAt?: Date;
  /** Where the channel knows the message belongs (e-mail threading); ignored if it is not this inbox's. */
  conversationId?: string;
  /** Start a new conversation even if the contact has an open one (a new e-mail thread). */
  forceNewConversation?: boolean;
  subject?: string;
  /** Channel state to merge into the conversation (e.g. the WhatsApp 24-hour window start). */
  channelState?: Record<string, unknown>;
  /**
   * Sent by a machine on the customer's side (an out-of-office reply, list mail): stored and shown, but it is not
   * the customer answering. It reopens nothing, starts no waiting time, and gets no automatic answer (RFC 3834).
   */
  automatic?: boolean;
}

export interface IngestResult {
  duplicate: boolean;
  messageId: string;
  conversationId: string;
  contactId: string;
  conversationCreated: boolean;
  contactCreated: boolean;
}

class DuplicateMessage extends Error {}

export async function ingestInbound(deps: Deps, raw: InboundMessage): Promise<IngestResult> {
  const { store, runtime } = deps;
  // Whatever a channel parsed, only storable text goes further.
  const input = cleanDeep(raw);
  // Bytes go to disk first (content-addressed, idempotent); the rows that reference them commit together below.
  const files = await storeAttachments(deps.files, input.attachments ?? []);

  try {
    let written: OutboxRow[] = [];
    const outcome = await store.transaction(async (tx) => {
      const { inbox, settings, activeIncidents } = await loadIngestContext(tx, input.workspaceId, input.inboxId);
      const now = runtime.now();
      const out = new OutboxWriter();

      const resolved = await resolveContact(tx, runtime, input.workspaceId, input.contact, { lockConversationsIn: input.inboxId });
      const { contact, created: contactCreated } = resolved;
      // Decisions about this contact's conversations in this inbox are serialized (a known contact's lock was
      // taken while looking it up), so two messages arriving at once cannot both open a new conversation.
      if (!resolved.locked) await lockContactConversations(tx, input.inboxId, contact.id);

      const candidate = await findCandidateConversation(tx, input, contact.id);
      const automatic = input.automatic === true;
      // An automatic mail joins the conversation it answers whatever its status, and changes none of it.
      const decision: InboundDecision = candidate
        ? automatic
          ? { action: 'append', reopened: false, patch: {} }
          : onInbound(stateOf(candidate), { now, reopenWindowMs: settings.reopenWindowDays * 86_400_000 })
        : { action: 'new', follows: false };

      let conversation: ConversationRow;
      let conversationCreated = false;
      let reopened = false;
      let previousStatus: ConversationRow['status'] | null = null;
      if (decision.action === 'append' && candidate) {
        conversation = candidate;
        reopened = decision.reopened;
        previousStatus = candidate.status;
        Object.assign(conversation, decision.patch);
      } else {
        conversation = await createConversation(tx, deps, inbox, contact.id, {
          subject: input.subject ?? null,
          previousConversationId: decision.action === 'new' && decision.follows ? (candidate?.id ?? null) : null,
          ...(automatic ? { waiting: false } : {}),
        });
        conversationCreated = true;
      }

      const messageId = runtime.id();
      const [inserted] = await tx
        .insert(messages)
        .values({
          workspaceId: input.workspaceId,
          id: messageId,
          conversationId: conversation.id,
          inboxId: inbox.id,
          kind: 'message',
          direction: 'inbound',
          senderType: 'contact',
          senderId: contact.id,
          content: input.content,
          contentType: input.contentType ?? 'text',
          contentAttributes: automatic ? { ...input.contentAttributes, automatic: true } : (input.contentAttributes ?? {}),
          status: 'received',
          externalId: input.externalId,
          createdAt: input.sentAt && input.sentAt < now ? input.sentAt : now,
          updatedAt: now,
        })
        .onConflictDoNothing({ target: [messages.workspaceId, messages.inboxId, messages.externalId] })
        .returning();
      // Someone else committed this provider message first: undo everything this attempt did.
      if (!inserted) throw new DuplicateMessage();

      const attachmentRows = files.length
        ? await tx
            .insert(attachments)
            .values(files.map((f) => ({ workspaceId: input.workspaceId, id: runtime.id(), messageId, ...f })))
            .returning()
        : [];

      // During an incident, messages from the affected segment (or with its keywords) are linked and labelled.
      const labels = await linkToIncidents(tx, conversation, matchIncidents(activeIncidents, contact, input.content), now);
      // The row is locked (or new in this transaction), so its new state is known here without RETURNING: that
      // lets the update, the contact's activity and the outbox rows go to the database as one statement.
      const patch = {
        status: conversation.status,
        snoozedUntil: conversation.snoozedUntil,
        resolvedAt: conversation.resolvedAt,
        // Nobody waits on an automatic mail, and it neither marks the conversation unread nor moves it up.
        waitingSince: automatic ? conversation.waitingSince : (conversation.waitingSince ?? now),
        reopenedCount: conversation.reopenedCount,
        labels,
        preview: previewOf(input.content) || previewOfFiles(files.map((f) => f.fileName)),
        lastMessageAt: now,
        lastInboundAt: automatic ? conversation.lastInboundAt : now,
        lastActivityAt: automatic && !conversationCreated ? conversation.lastActivityAt : now,
        updatedAt: now,
        ...(input.channelState ? { channelState: mergeChannelState(conversation.channelState, input.channelState) } : {}),
      };
      const conversationUpdate = tx
        .update(conversations)
        .set({ ...patch, messageCount: sql`${conversations.messageCount} + 1` })
        .where(and(eq(conversations.workspaceId, input.workspaceId), eq(conversations.id, conversation.id)));
      conversation = { ...conversation, ...patch, messageCount: conversation.messageCount + 1 };
      const contactTouch = tx
        .update(contacts)
        .set({ lastActivityAt: now })
        .where(and(eq(contacts.workspaceId, input.workspaceId), eq(contacts.id, contact.id)));

      const convDto = conversationDto(conversation, contact, inbox.kind);
      const scope = { inboxId: inbox.id, conversationId: conversation.id, contactId: contact.id, assigneeId: conversation.assigneeId, teamId: conversation.teamId };
      if (contactCreated) out.event('contact.created', { contactId: contact.id }, { contact: contactDto(contact, []) });
      if (conversationCreated) out.event('conversation.created', scope, { conversation: convDto });
      if (reopened || (previousStatus && previousStatus !== conversation.status)) {
        out.event('conversation.status_changed', scope, { conversation: convDto, previousStatus, reason: 'inbound_message' });
      }
      out.event('message.created', scope, { message: messageDto(inserted, contact.name || null, attachmentRows), conversation: convDto });
      if (!conversationCreated) out.event('conversation.updated', scope, { conversation: convDto });
      // No instant answer? Then the customer gets a personal handling-time promise instead of silence.
      if (conversationCreated && !automatic) {
        out.job('promise-ack', { workspaceId: input.workspaceId, conversationId: conversation.id }, { startAfter: new Date(now.getTime() + ACK_DELAY_MS), singletonKey: `promise-ack:${conversation.id}` });
      }
      if ((conversationCreated || reopened) && !automatic && !conversation.assigneeId && (await wantsAutoAssign(tx, inbox))) {
        out.job('auto-assign', { workspaceId: input.workspaceId, conversationId: conversation.id }, { singletonKey: `assign:${conversation.id}:${messageId}` });
      }
      const writes = await tx.execute(
        sql`with conversation_update as (${conversationUpdate.getSQL()}), contact_touch as (${contactTouch.getSQL()}) ${out.insert(tx, input.workspaceId, runtime).getSQL()}`,
      );
      written = (writes as unknown as { rows: Record<string, unknown>[] }).rows.map(outboxRowFromSql);

      const result: IngestResult = {
        duplicate: false,
        messageId,
        conversationId: conversation.id,
        contactId: contact.id,
        conversationCreated,
        contactCreated,
      };
      return { result, channel: inbox.kind };
    });
    deps.metrics.ingested.inc({ channel: outcome.channel, result: 'created' });
    deps.afterCommit(written);
    return outcome.result;
  } catch (err) {
    if (err instanceof DuplicateMessage) {
      const dup = await findExisting(store.db, input);
      if (dup) {
        deps.metrics.ingested.inc({ channel: 'any', result: 'duplicate' });
        return dup;
      }
    }
    throw err;
  }
}

async function findExisting(db: Db, input: InboundMessage): Promise<IngestResult | null> {
  const [row] = await db
    .select({ id: messages.id, conversationId: messages.conversationId, senderId: messages.senderId })
    .from(messages)
    .where(and(eq(messages.workspaceId, input.workspaceId), eq(messages.inboxId, input.inboxId), eq(messages.externalId, input.externalId)));
  if (!row) return null;
  return {
    duplicate: true,
    messageId: row.id,
    conversationId: row.conversationId,
    contactId: row.senderId ?? '',
    conversationCreated: false,
    contactCreated: false,
  };
}

/** The inbox, its workspace's settings and the active incidents in one round trip (this runs for every inbound message). */
async function loadIngestContext(tx: Db, workspaceId: string, inboxId: string) {
  const rows = await tx
    .select({ inbox: inboxes, settings: workspaces.settings, incident: incidents })
    .from(inboxes)
    .innerJoin(workspaces, eq(workspaces.id, inboxes.workspaceId))
    .leftJoin(incidents, and(eq(incidents.workspaceId, inboxes.workspaceId), eq(incidents.status, 'active')))
    .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, inboxId)))
    .orderBy(desc(incidents.declaredAt));
  const row = rows[0];
  if (!row) throw notFound('inbox');
  if (row.inbox.archivedAt) throw new AppError('conflict', 'inbox_archived', 'This inbox is archived and accepts no messages.');
  const activeIncidents = rows.flatMap((r) => (r.incident ? [r.incident] : []));
  return { inbox: row.inbox, settings: readWorkspaceSettings(row.settings), activeIncidents };
}

export async function loadInbox(tx: Db, workspaceId: string, inboxId: string): Promise<InboxRow> {
  const [inbox] = await tx.select().from(inboxes).where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, inboxId)));
  if (!inbox) throw notFound('inbox');
  if (inbox.archivedAt) throw new AppError('conflict', 'inbox_archived', 'This inbox is archived and accepts no messages.');
  return inbox;
}

async function findCandidateConversation(tx: Db, input: InboundMessage, contactId: string): Promise<ConversationRow | undefined> {
  const base = and(eq(conversations.workspaceId, input.workspaceId), eq(conversations.inboxId, input.inboxId));
  if (input.conversationId) {
    const [hinted] = await tx
      .select()
      .from(conversations)
      .where(and(base, eq(conversations.id, input.conversationId)))
      .for('update');
    if (hinted) return hinted;
  }
  if (input.forceNewConversation) return undefined;
  // The contact's active conversation if there is one, else their latest (which may be reopened or followed up).
  const [candidate] = await tx
    .select()
    .from(conversations)
    .where(and(base, eq(conversations.contactId, contactId)))
    .orderBy(sql`(${conversations.status} in ('open', 'pending', 'snoozed')) desc`, desc(conversations.lastActivityAt))
    .limit(1)
    .for('update');
  return candidate;
}

function stateOf(c: ConversationRow): ConversationState {
  return {
    status: c.status,
    snoozedUntil: c.snoozedUntil,
    resolvedAt: c.resolvedAt,
    waitingSince: c.waitingSince,
    firstResponseAt: c.firstResponseAt,
    reopenedCount: c.reopenedCount,
  };
}

export async function createConversation(
  tx: Db,
  deps: Pick<Deps, 'runtime'>,
  inbox: InboxRow,
  contactId: string,
  extra: { subject: string | null; previousConversationId: string | null; waiting?: boolean },
): Promise<ConversationRow> {
  const now = deps.runtime.now();
  const state = initialState(now);
  const [row] = await tx
    .insert(conversations)
    .values({
      workspaceId: inbox.workspaceId,
      id: deps.runtime.id(),
      number: sql`nextval(${conversationSequence(inbox.workspaceId)}::regclass)`,
      inboxId: inbox.id,
      contactId,
      status: state.status,
      waitingSince: extra.waiting === false ? null : state.waitingSince,
      teamId: inbox.teamId,
      subject: extra.subject?.slice(0, 500) ?? null,
      previousConversationId: extra.previousConversationId,
      lastActivityAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return row!;
}

/** Case numbers come from a sequence per workspace: no row lock, so ingest stays parallel. */
export const conversationSequence = (workspaceId: string) => `conversation_number_${workspaceId.replaceAll('-', '')}`;

async function wantsAutoAssign(tx: Db, inbox: InboxRow): Promise<boolean> {
  if (inbox.autoAssign) return true;
  if (!inbox.teamId) return false;
  const [team] = await tx
    .select({ autoAssign: teams.autoAssign })
    .from(teams)
    .where(and(eq(teams.workspaceId, inbox.workspaceId), eq(teams.id, inbox.teamId)));
  return team?.autoAssign ?? false;
}

function previewOfFiles(names: string[]): string {
  return names.length ? `📎 ${names.join(', ')}`.slice(0, 200) : '';
}
