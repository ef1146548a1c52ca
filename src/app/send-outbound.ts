import { and, eq, isNull } from 'drizzle-orm';
import { attachments, contactIdentities, contacts, conversations, inboxes, messages, users } from '../store/schema';
import { channelAdapter } from '../channels/registry';
import type { Deps } from './context';
import { messageView } from './messages';
import { scopeOf } from './conversations';
import { withOutbox } from './outbox';
import { channelContext } from './channel-context';
import type { InboxRow } from './dto';
import { buildOutboundMessage } from './outbound-message';
import type { HttpClient, OutboundMessage } from '../channels/channel';
import type { FallbackRecord } from './delivery-status';
import type { OutboxWriter } from './outbox';
import { emailHandoffOf } from './email-continuation';
import { queueEmailCopy } from './widget-email-copy';

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

  const finish = async (
    patch: { status: 'sent' | 'failed' | 'queued'; statusReason: string | null; externalId?: string; contentAttributes?: Record<string, unknown> },
    channelState?: Record<string, unknown>,
    more?: (out: OutboxWriter) => void,
  ) => {
    await withOutbox(deps, ws, async (tx, out) => {
      more?.(out);
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

  const outbound = buildOutboundMessage(deps, { message: row.message, conversation: row.conversation, contact: row.contact, identities, files, sender });
  // Reported undeliverable after the provider took it (app/delivery-status.ts): only the fallback is left.
  const pending = row.message.contentAttributes.fallbackPending as { reason?: string } | undefined;
  if (pending) {
    const { fallbackPending: _done, ...attributes } = row.message.contentAttributes;
    const reason = String(pending.reason ?? 'failed');
    const fallback = await sendViaFallback(deps, row.inbox, { ...outbound, contentAttributes: attributes }, reason);
    if (fallback?.ok) {
      return finish({
        status: 'sent',
        statusReason: null,
        externalId: fallback.externalId,
        contentAttributes: { ...attributes, fallback: { inboxId: fallback.inboxId, channel: fallback.kind, externalId: fallback.externalId, reason, status: 'sent' } satisfies FallbackRecord },
      });
    }
    if (fallback && !fallback.final && attempt.retryCount < attempt.retryLimit) {
      await deps.store.db
        .update(messages)
        .set({ statusReason: `retrying (${attempt.retryCount + 1}/${attempt.retryLimit}): fallback ${fallback.code}`.slice(0, 500) })
        .where(and(eq(messages.workspaceId, ws), eq(messages.id, input.messageId)));
      throw new Error(`fallback send failed (${fallback.code}), will retry`);
    }
    return finish({
      status: 'failed',
      statusReason: (fallback ? `${reason.replace(/^failed: /, '')} (fallback ${fallback.kind} failed too: ${fallback.code})` : reason.replace(/^failed: /, '')).slice(0, 500),
      contentAttributes: attributes,
    });
  }
  const result = await adapter
    .send(outbound, channelContext(deps, row.inbox))
    .catch((err: Error) => ({ ok: false as const, code: 'adapter_error', message: err.message, retryable: true }));

  if (result.ok) {
    // A widget visitor who asked to continue by e-mail gets this reply by mail if they do not see it in the chat.
    const handoff = row.inbox.kind === 'widget' && row.message.senderType === 'user' ? emailHandoffOf(row.conversation.channelState) : null;
    if (handoff) {
      return finish(
        { status: 'sent', statusReason: null, externalId: result.externalId, contentAttributes: { ...row.message.contentAttributes, emailHandoff: { email: handoff.email, pending: true } } },
        result.channelState,
        (out) => queueEmailCopy(out, row.conversation, row.inbox.settings, deps.runtime.now()),
      );
    }
    return finish({ status: 'sent', statusReason: null, externalId: result.externalId }, result.channelState);
  }
  const last = !result.retryable || attempt.retryCount >= attempt.retryLimit;
  if (last) {
    const reason = `${result.code}: ${result.message}`.slice(0, 500);
    const fallback = await sendViaFallback(deps, row.inbox, outbound, reason);
    if (fallback?.ok) {
      return finish({
        status: 'sent',
        statusReason: null,
        externalId: fallback.externalId,
        contentAttributes: {
          ...row.message.contentAttributes,
          fallback: { inboxId: fallback.inboxId, channel: fallback.kind, externalId: fallback.externalId, reason, status: 'sent' } satisfies FallbackRecord,
        },
      });
    }
    return finish({ status: 'failed', statusReason: fallback ? `${reason} (fallback ${fallback.kind} failed too: ${fallback.code})`.slice(0, 500) : reason });
  }
  // We know this attempt did not send: clear the in-flight marker, keep it queued, and let the queue retry.
  await deps.store.db
    .update(messages)
    .set({ statusReason: `retrying (${attempt.retryCount + 1}/${attempt.retryLimit}): ${result.code}`.slice(0, 500) })
    .where(and(eq(messages.workspaceId, ws), eq(messages.id, input.messageId)));
  throw new Error(`send failed (${result.code}), will retry`);
}

/**
 * An inbox may name another inbox of the workspace (settings.fallbackInboxId, e.g. WhatsApp → SMS) that takes
 * over a message its own channel could not deliver. The same message goes out once through the fallback
 * channel, and the message records that it did. The fallback channel sends to the identity it knows (the
 * phone number), so it works exactly when that contact has one.
 */
export async function sendViaFallback(
  deps: Deps,
  inbox: InboxRow,
  message: OutboundMessage,
  reason: string,
  batch?: { http: HttpClient; inboxes: Map<string, Promise<InboxRow | undefined>> },
) {
  const fallbackId = inbox.settings.fallbackInboxId;
  if (typeof fallbackId !== 'string') return null;
  // A broadcast batch looks each fallback inbox up once, not once per message.
  const load = () =>
    deps.store.db
      .select()
      .from(inboxes)
      .where(and(eq(inboxes.workspaceId, inbox.workspaceId), eq(inboxes.id, fallbackId), isNull(inboxes.archivedAt)))
      .then((rows) => rows[0]);
  let lookup = batch?.inboxes.get(fallbackId);
  if (!lookup) {
    lookup = load();
    batch?.inboxes.set(fallbackId, lookup);
  }
  const target = await lookup;
  const adapter = target ? channelAdapter(target.kind) : undefined;
  if (!target || !adapter || target.id === inbox.id) return null;
  deps.log.info({ inboxId: inbox.id, fallbackInboxId: target.id, messageId: message.id, reason: reason.split(':')[0] }, 'sending through fallback channel');
  // A message may carry the text meant for the fallback channel (an incident notice's SMS text instead of its
  // WhatsApp text); the other channel's threading state does not apply.
  const { fallbackText, template: _template, ...attributes } = message.contentAttributes;
  const content = typeof fallbackText === 'string' && fallbackText.trim() ? fallbackText : message.content;
  const res = await adapter
    .send({ ...message, content, contentAttributes: attributes, conversation: { ...message.conversation, channelState: {} } }, channelContext(deps, target, batch?.http))
    .catch((err: Error) => ({ ok: false as const, code: 'adapter_error', message: err.message, retryable: true }));
  return res.ok
    ? { ok: true as const, inboxId: target.id, kind: target.kind, externalId: res.externalId }
    : { ok: false as const, kind: target.kind, code: res.code, final: !res.retryable };
}
