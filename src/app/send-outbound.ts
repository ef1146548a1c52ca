import fs from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { attachments, contactIdentities, contacts, conversations, inboxes, messages, users } from '../store/schema';
import { channelAdapter } from '../channels/registry';
import type { Deps } from './context';
import { messageView } from './messages';
import { readSecrets } from './inboxes';
import { scopeOf } from './conversations';
import { withOutbox } from './outbox';
import { createHttpClient } from './safe-http';
import { attachmentUrl } from './dto';

const SENDING = 'sending';

/**
 * Sends one queued outbound message through its channel. A message is never sent twice: its status is
 * checked first, and an attempt that was interrupted mid-send (process killed) is only repeated on channels
 * that deduplicate by our idempotency key; elsewhere it fails with a clear reason for the agent.
 */
export async function sendOutbound(deps: Deps, input: { workspaceId: string; messageId: string }, attempt: { retryCount: number; retryLimit: number }) {
  const ws = input.workspaceId;
  const [row] = await deps.store.db
    .select({ message: messages, conversation: conversations, inbox: inboxes, contact: contacts })
    .from(messages)
    .innerJoin(conversations, and(eq(conversations.workspaceId, messages.workspaceId), eq(conversations.id, messages.conversationId)))
    .innerJoin(inboxes, and(eq(inboxes.workspaceId, messages.workspaceId), eq(inboxes.id, messages.inboxId)))
    .innerJoin(contacts, and(eq(contacts.workspaceId, conversations.workspaceId), eq(contacts.id, conversations.contactId)))
    .where(and(eq(messages.workspaceId, ws), eq(messages.id, input.messageId)));
  if (!row || row.message.status !== 'queued' || row.message.direction !== 'outbound') return;
  const adapter = channelAdapter(row.inbox.kind);

  const finish = async (patch: { status: 'sent' | 'failed' | 'queued'; statusReason: string | null; externalId?: string }, channelState?: Record<string, unknown>) => {
    await withOutbox(deps, ws, async (tx, out) => {
      const [updated] = await tx
        .update(messages)
        .set({ ...patch, updatedAt: deps.runtime.now() })
        .where(and(eq(messages.workspaceId, ws), eq(messages.id, input.messageId)))
        .returning();
      if (channelState) {
        await tx
          .update(conversations)
          .set({ channelState: { ...row.conversation.channelState, ...channelState } })
          .where(and(eq(conversations.workspaceId, ws), eq(conversations.id, row.conversation.id)));
      }
      out.event('message.updated', scopeOf(row.conversation), { message: await messageView(tx, updated!) });
    });
  };

  if (!adapter) return finish({ status: 'failed', statusReason: `channel_unavailable: the ${row.inbox.kind} channel is not available` });
  if (row.message.statusReason === SENDING && !adapter.capabilities.idempotentSend) {
    return finish({
      status: 'failed',
      statusReason: 'unknown_outcome: sending was interrupted; check with the customer whether it arrived before retrying',
    });
  }

  await deps.store.db
    .update(messages)
    .set({ statusReason: SENDING })
    .where(and(eq(messages.workspaceId, ws), eq(messages.id, input.messageId)));

  const [identities, files, [sender]] = await Promise.all([
    deps.store.db
      .select({ kind: contactIdentities.kind, value: contactIdentities.value })
      .from(contactIdentities)
      .where(and(eq(contactIdentities.workspaceId, ws), eq(contactIdentities.contactId, row.contact.id))),
    deps.store.db.select().from(attachments).where(and(eq(attachments.workspaceId, ws), eq(attachments.messageId, input.messageId))),
    row.message.senderType === 'user' && row.message.senderId
      ? deps.store.db.select({ name: users.name, settings: users.settings }).from(users).where(eq(users.id, row.message.senderId))
      : Promise.resolve([]),
  ]);

  const result = await adapter
    .send(
      {
        id: row.message.id,
        conversationId: row.conversation.id,
        content: row.message.content,
        contentType: row.message.contentType,
        contentAttributes: row.message.contentAttributes,
        attachments: files.map((f) => ({
          fileName: f.fileName,
          contentType: f.contentType,
          size: f.size,
          url: `${deps.config.publicUrl}${attachmentUrl(f)}`,
          read: () => fs.promises.readFile(deps.files.path(f.sha256)),
        })),
        recipient: { name: row.contact.name, identities },
        conversation: { number: row.conversation.number, subject: row.conversation.subject, channelState: row.conversation.channelState },
        ...(sender ? { sender: { name: sender.name, ...(typeof sender.settings.emailSignature === 'string' ? { emailSignature: sender.settings.emailSignature } : {}) } } : {}),
      },
      {
        inboxId: row.inbox.id,
        workspaceId: ws,
        settings: row.inbox.settings,
        secrets: readSecrets(deps, row.inbox),
        http: createHttpClient({ allowPrivate: deps.config.WEBHOOK_ALLOW_PRIVATE }),
        publicUrl: deps.config.publicUrl,
        smtpUrl: deps.config.SMTP_URL,
      },
    )
    .catch((err: Error) => ({ ok: false as const, code: 'adapter_error', message: err.message, retryable: true }));

  if (result.ok) return finish({ status: 'sent', statusReason: null, externalId: result.externalId }, result.channelState);
  const last = !result.retryable || attempt.retryCount >= attempt.retryLimit;
  if (last) return finish({ status: 'failed', statusReason: `${result.code}: ${result.message}`.slice(0, 500) });
  // We know this attempt did not send: clear the in-flight marker, keep it queued, and let the queue retry.
  await deps.store.db
    .update(messages)
    .set({ statusReason: `retrying (${attempt.retryCount + 1}/${attempt.retryLimit}): ${result.code}`.slice(0, 500) })
    .where(and(eq(messages.workspaceId, ws), eq(messages.id, input.messageId)));
  throw new Error(`send failed (${result.code}), will retry`);
}
