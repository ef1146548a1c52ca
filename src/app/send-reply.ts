import { and, eq, inArray, sql } from 'drizzle-orm';
import { attachments, conversations, memberships, messages, users } from '../store/schema';
import { onAgentReply } from '../domain/conversation-state';
import { AppError, invalid, notFound } from '../shared/errors';
import type { MessageDto } from '../shared/api';
import type { Actor, Deps } from './context';
import { messageDto, previewOf } from './dto';
import { conversationView, lockConversation, scopeOf } from './conversations';
import { withOutbox } from './outbox';
import { messageView } from './messages';
import { storeAttachments, type IncomingFile } from './attachments';
import { notify } from './notifications';
import { checkEmailReplyAttributes } from '../channels/email/reply-options';

export interface ReplyInput {
  kind: 'message' | 'note';
  content: string;
  contentType?: 'text' | 'markdown';
  attachments?: IncomingFile[];
  /** Colleagues mentioned in a note; they are notified. */
  mentions?: string[];
  contentAttributes?: Record<string, unknown>;
}

/**
 * An agent writes in a conversation: a reply to the customer (queued for the channel, sent by a job) or an
 * internal note. The message, the conversation's new state and the outbox rows commit together.
 */
export async function sendReply(deps: Deps, actor: Actor, conversationId: string, input: ReplyInput): Promise<MessageDto> {
  const { runtime } = deps;
  if (!input.content.trim() && !(input.attachments?.length)) throw invalid('content', 'a message needs text or an attachment', 'empty_message');
  if (input.kind === 'message') checkEmailReplyAttributes(input.contentAttributes);
  const files = await storeAttachments(deps.files, input.attachments ?? []);
  return withOutbox(deps, actor.workspaceId, async (tx, out) => {
    const conversation = await lockConversation(tx, actor.workspaceId, conversationId);
    if (input.kind === 'message' && conversation.status === 'closed') {
      throw new AppError('conflict', 'conversation_closed', 'This conversation is closed; start a new one to write to the customer.');
    }
    const mentions = [...new Set(input.mentions ?? [])];
    if (mentions.length) {
      const found = await tx
        .select({ userId: memberships.userId })
        .from(memberships)
        .where(and(eq(memberships.workspaceId, actor.workspaceId), inArray(memberships.userId, mentions)));
      const unknown = mentions.filter((m) => !found.some((f) => f.userId === m));
      if (unknown.length) throw invalid('mentions', 'mentions someone who is not a member of this workspace', 'unknown_mention');
    }
    const now = runtime.now();
    const isNote = input.kind === 'note';
    const [row] = await tx
      .insert(messages)
      .values({
        workspaceId: actor.workspaceId,
        id: runtime.id(),
        conversationId,
        inboxId: conversation.inboxId,
        kind: input.kind,
        direction: isNote ? null : 'outbound',
        senderType: 'user',
        senderId: actor.userId,
        content: input.content,
        contentType: input.contentType ?? 'text',
        contentAttributes: { ...(input.contentAttributes ?? {}), ...(mentions.length ? { mentions } : {}) },
        status: isNote ? 'sent' : 'queued',
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const attachmentRows = files.length
      ? await tx
          .insert(attachments)
          .values(files.map((f) => ({ workspaceId: actor.workspaceId, id: runtime.id(), messageId: row!.id, ...f })))
          .returning()
      : [];
    const [after] = await tx
      .update(conversations)
      .set({
        ...(isNote
          ? {}
          : {
              ...onAgentReply(conversation, now),
              lastOutboundAt: now,
              lastMessageAt: now,
              preview: previewOf(input.content) || previewOf(files.map((f) => f.fileName).join(', ')),
              messageCount: sql`${conversations.messageCount} + 1`,
            }),
        lastActivityAt: now,
        updatedAt: now,
      })
      .where(and(eq(conversations.workspaceId, actor.workspaceId), eq(conversations.id, conversationId)))
      .returning();
    const [sender] = await tx.select({ name: users.name }).from(users).where(eq(users.id, actor.userId));
    const dto = messageDto(row!, sender?.name ?? null, attachmentRows);
    const view = await conversationView(tx, after!);
    const scope = scopeOf(after!);
    out.event('message.created', { ...scope, internal: isNote }, { message: dto, conversation: view });
    out.event('conversation.updated', scope, { conversation: view, changes: ['lastActivityAt'] });
    if (!isNote) out.job('send-outbound', { workspaceId: actor.workspaceId, messageId: row!.id }, { singletonKey: `send:${row!.id}` });
    const mentioned = mentions.filter((m) => m !== actor.userId);
    if (mentioned.length) {
      await notify(tx, deps, out, {
        workspaceId: actor.workspaceId,
        userIds: mentioned,
        kind: 'mention',
        conversationId,
        inboxId: conversation.inboxId,
        number: conversation.number,
        messageId: row!.id,
        byUserId: actor.userId,
        excerpt: input.content,
      });
    }
    return dto;
  });
}

/** Puts a failed outbound message back in the queue (the agent clicked "retry"). */
export async function retryMessage(deps: Deps, actor: Actor, conversationId: string, messageId: string): Promise<MessageDto> {
  return withOutbox(deps, actor.workspaceId, async (tx, out) => {
    const conversation = await lockConversation(tx, actor.workspaceId, conversationId);
    const [row] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.workspaceId, actor.workspaceId), eq(messages.conversationId, conversationId), eq(messages.id, messageId)));
    if (!row) throw notFound('message');
    if (row.direction !== 'outbound' || row.kind !== 'message') throw new AppError('conflict', 'not_retryable', 'Only outbound messages can be retried.');
    if (row.status !== 'failed') throw new AppError('conflict', 'not_failed', 'Only failed messages can be retried.');
    const [updated] = await tx
      .update(messages)
      .set({ status: 'queued', statusReason: null, updatedAt: deps.runtime.now() })
      .where(and(eq(messages.workspaceId, actor.workspaceId), eq(messages.id, messageId)))
      .returning();
    const dto = await messageView(tx, updated!);
    out.event('message.updated', scopeOf(conversation), { message: dto });
    out.job('send-outbound', { workspaceId: actor.workspaceId, messageId, manualRetry: deps.runtime.id() }, {});
    return dto;
  });
}
