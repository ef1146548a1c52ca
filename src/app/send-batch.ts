import fs from 'node:fs';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { attachments, contactIdentities, contacts, conversations, inboxes, messages } from '../store/schema';
import { channelAdapter } from '../channels/registry';
import type { SendResult } from '../channels/channel';
import type { Deps } from './context';
import { readSecrets } from './inboxes';
import { withOutbox } from './outbox';
import { createHttpClient } from './safe-http';
import { mediaLinkUrl } from './media-links';
import { attachmentUrl } from './dto';

/**
 * Sends a batch of queued outbound messages (a broadcast page) through each message's own channel adapter, with
 * the database work done per batch instead of per message: one load, one "sending" mark, the adapter calls in
 * parallel, one status update. The same guarantees as `send-outbound` hold: only `queued` messages are sent, an
 * interrupted send is repeated only on channels that deduplicate, and a message the provider asks to retry is
 * handed to its own `send-outbound` job (with the queue's backoff). Per-message realtime events are left out on
 * purpose — a 10,000-contact broadcast must not flood the agents' screens; delivery is on the broadcast.
 */
const CONCURRENCY = 32;
const SENDING = 'sending';

export async function sendBatch(deps: Deps, input: { workspaceId: string; messageIds: string[] }) {
  const ws = input.workspaceId;
  if (!input.messageIds.length) return { sent: 0, failed: 0, retried: 0 };
  const rows = await deps.store.db
    .select({ message: messages, conversation: conversations, inbox: inboxes, contact: contacts })
    .from(messages)
    .innerJoin(conversations, and(eq(conversations.workspaceId, messages.workspaceId), eq(conversations.id, messages.conversationId)))
    .innerJoin(inboxes, and(eq(inboxes.workspaceId, messages.workspaceId), eq(inboxes.id, messages.inboxId)))
    .innerJoin(contacts, and(eq(contacts.workspaceId, conversations.workspaceId), eq(contacts.id, conversations.contactId)))
    .where(and(eq(messages.workspaceId, ws), inArray(messages.id, input.messageIds), eq(messages.status, 'queued'), eq(messages.direction, 'outbound')));
  if (!rows.length) return { sent: 0, failed: 0, retried: 0 };

  const outcomes = new Map<string, SendResult>();
  const sendable = rows.filter((r) => {
    const adapter = channelAdapter(r.inbox.kind);
    if (!adapter) outcomes.set(r.message.id, { ok: false, code: 'channel_unavailable', message: `the ${r.inbox.kind} channel is not available`, retryable: false });
    else if (r.message.statusReason === SENDING && !adapter.capabilities.idempotentSend) {
      outcomes.set(r.message.id, { ok: false, code: 'unknown_outcome', message: 'sending was interrupted; check with the customer whether it arrived before retrying', retryable: false });
    } else return true;
    return false;
  });
  const ids = sendable.map((r) => r.message.id);
  if (ids.length) await deps.store.db.update(messages).set({ statusReason: SENDING }).where(and(eq(messages.workspaceId, ws), inArray(messages.id, ids)));
  const contactIds = [...new Set(sendable.map((r) => r.contact.id))];
  const [identities, files] = await Promise.all([
    contactIds.length
      ? deps.store.db
          .select({ contactId: contactIdentities.contactId, kind: contactIdentities.kind, value: contactIdentities.value })
          .from(contactIdentities)
          .where(and(eq(contactIdentities.workspaceId, ws), inArray(contactIdentities.contactId, contactIds)))
      : [],
    ids.length ? deps.store.db.select().from(attachments).where(and(eq(attachments.workspaceId, ws), inArray(attachments.messageId, ids))) : [],
  ]);
  const http = createHttpClient({ allowPrivate: deps.config.WEBHOOK_ALLOW_PRIVATE });
  const secretsByInbox = new Map<string, Record<string, unknown>>();

  let next = 0;
  const worker = async () => {
    while (next < sendable.length) {
      const row = sendable[next++]!;
      const adapter = channelAdapter(row.inbox.kind)!;
      let secrets = secretsByInbox.get(row.inbox.id);
      if (!secrets) {
        secrets = readSecrets(deps, row.inbox);
        secretsByInbox.set(row.inbox.id, secrets);
      }
      const result = await adapter
        .send(
          {
            id: row.message.id,
            conversationId: row.conversation.id,
            content: row.message.content,
            contentType: row.message.contentType,
            contentAttributes: row.message.contentAttributes,
            attachments: files
              .filter((f) => f.messageId === row.message.id)
              .map((f) => ({
                fileName: f.fileName,
                contentType: f.contentType,
                size: f.size,
                url: `${deps.config.publicUrl}${attachmentUrl(f)}`,
                publicUrl: mediaLinkUrl(deps, { workspaceId: ws, id: f.id, fileName: f.fileName }),
                read: () => fs.promises.readFile(deps.files.path(f.sha256)),
              })),
            recipient: { name: row.contact.name, identities: identities.filter((i) => i.contactId === row.contact.id).map((i) => ({ kind: i.kind, value: i.value })) },
            conversation: { number: row.conversation.number, subject: row.conversation.subject, channelState: row.conversation.channelState },
          },
          { inboxId: row.inbox.id, workspaceId: ws, settings: row.inbox.settings, secrets, http, publicUrl: deps.config.publicUrl, now: deps.runtime.now() },
        )
        .catch((err: Error): SendResult => ({ ok: false, code: 'adapter_error', message: err.message, retryable: true }));
      outcomes.set(row.message.id, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, sendable.length) }, worker));

  const sent: Array<{ id: string; externalId: string }> = [];
  const failed: Array<{ id: string; reason: string }> = [];
  const retry: string[] = [];
  for (const [id, r] of outcomes) {
    if (r.ok) sent.push({ id, externalId: r.externalId });
    else if (r.retryable) retry.push(id);
    else failed.push({ id, reason: `${r.code}: ${r.message}`.slice(0, 500) });
  }
  const now = deps.runtime.now();
  const later = new Date(now.getTime() + 5_000);
  await withOutbox(deps, ws, async (tx, out) => {
    if (sent.length) {
      const values = sql.join(sent.map((s) => sql`(${s.id}::uuid, ${s.externalId})`), sql`, `);
      await tx.execute(sql`update messages m set status = 'sent', status_reason = null, external_id = v.ext, updated_at = ${now}
        from (values ${values}) as v(id, ext) where m.workspace_id = ${ws} and m.id = v.id`);
    }
    if (failed.length) {
      const values = sql.join(failed.map((f) => sql`(${f.id}::uuid, ${f.reason})`), sql`, `);
      await tx.execute(sql`update messages m set status = 'failed', status_reason = v.reason, updated_at = ${now}
        from (values ${values}) as v(id, reason) where m.workspace_id = ${ws} and m.id = v.id`);
    }
    if (retry.length) {
      await tx.update(messages).set({ statusReason: 'retrying (1): batch send' }).where(and(eq(messages.workspaceId, ws), inArray(messages.id, retry)));
      for (const messageId of retry) out.job('send-outbound', { workspaceId: ws, messageId }, { singletonKey: `send:${messageId}`, startAfter: later });
    }
  });
  return { sent: sent.length, failed: failed.length, retried: retry.length };
}
