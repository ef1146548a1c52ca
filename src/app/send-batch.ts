import { and, eq, inArray, sql } from 'drizzle-orm';
import { attachments, contactIdentities, contacts, conversations, inboxes, messages, users } from '../store/schema';
import { channelAdapter } from '../channels/registry';
import type { HttpClient, SendContext, SendResult } from '../channels/channel';
import type { Deps } from './context';
import { withOutbox } from './outbox';
import { createHttpClient } from './safe-http';
import { channelContext } from './channel-context';
import { buildOutboundMessage } from './outbound-message';
import { sendViaFallback } from './send-outbound';
import type { FallbackRecord } from './delivery-status';
import type { InboxRow } from './dto';
import type { OutboundMessage } from '../channels/channel';

/**
 * Sends a batch of queued outbound messages (a broadcast page) through each message's own channel adapter, with
 * the database work done per batch instead of per message: one load, one "sending" mark, the adapter calls in
 * parallel, one status update. The same guarantees as `send-outbound` hold: only `queued` messages are sent, an
 * interrupted send is repeated only on channels that deduplicate, and a message the provider asks to retry is
 * handed to its own `send-outbound` job (with the queue's backoff). Per-message realtime events are left out on
 * purpose — a 10,000-contact broadcast must not flood the agents' screens: each batch sends one
 * `incident.broadcast_progress` event per inbox instead (the conversations it touched and the delivery counts).
 */
const CONCURRENCY = 32;
const SENDING = 'sending';

/** One keep-alive client per process and policy: consecutive batches reuse the connections to the provider. */
const clients = new Map<boolean, HttpClient>();
const batchHttp = (allowPrivate: boolean) => {
  let c = clients.get(allowPrivate);
  if (!c) {
    c = createHttpClient({ allowPrivate, keepAlive: { maxSockets: CONCURRENCY } });
    clients.set(allowPrivate, c);
  }
  return c;
};

export async function sendBatch(deps: Deps, input: { workspaceId: string; messageIds: string[] }) {
  const ws = input.workspaceId;
  if (!input.messageIds.length) return { sent: 0, failed: 0, retried: 0, viaFallback: 0 };
  const rows = await deps.store.db
    .select({ message: messages, conversation: conversations, inbox: inboxes, contact: contacts })
    .from(messages)
    .innerJoin(conversations, and(eq(conversations.workspaceId, messages.workspaceId), eq(conversations.id, messages.conversationId)))
    .innerJoin(inboxes, and(eq(inboxes.workspaceId, messages.workspaceId), eq(inboxes.id, messages.inboxId)))
    .innerJoin(contacts, and(eq(contacts.workspaceId, conversations.workspaceId), eq(contacts.id, conversations.contactId)))
    .where(and(eq(messages.workspaceId, ws), inArray(messages.id, input.messageIds), eq(messages.status, 'queued'), eq(messages.direction, 'outbound')));
  if (!rows.length) return { sent: 0, failed: 0, retried: 0, viaFallback: 0 };

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
  const contactIds = [...new Set(sendable.map((r) => r.contact.id))];
  const senderIds = [...new Set(sendable.filter((r) => r.message.senderType === 'user' && r.message.senderId).map((r) => r.message.senderId!))];
  // The "sending" mark and the three look-ups are independent: one round trip of wall time instead of four.
  const [, identities, files, senders] = await Promise.all([
    ids.length ? deps.store.db.update(messages).set({ statusReason: SENDING }).where(and(eq(messages.workspaceId, ws), inArray(messages.id, ids))) : null,
    contactIds.length
      ? deps.store.db
          .select({ contactId: contactIdentities.contactId, kind: contactIdentities.kind, value: contactIdentities.value })
          .from(contactIdentities)
          .where(and(eq(contactIdentities.workspaceId, ws), inArray(contactIdentities.contactId, contactIds)))
      : [],
    ids.length ? deps.store.db.select().from(attachments).where(and(eq(attachments.workspaceId, ws), inArray(attachments.messageId, ids))) : [],
    senderIds.length ? deps.store.db.select({ id: users.id, name: users.name, settings: users.settings }).from(users).where(inArray(users.id, senderIds)) : [],
  ]);
  const identitiesOf = group(identities, (i) => i.contactId);
  const filesOf = group(files, (f) => f.messageId);
  const http = batchHttp(deps.config.WEBHOOK_ALLOW_PRIVATE);
  const contexts = new Map<string, SendContext<Record<string, unknown>, Record<string, unknown>>>();
  const channelStates = new Map<string, Record<string, unknown>>();
  const built = new Map<string, OutboundMessage>();

  let next = 0;
  const worker = async () => {
    while (next < sendable.length) {
      const row = sendable[next++]!;
      const adapter = channelAdapter(row.inbox.kind)!;
      let ctx = contexts.get(row.inbox.id);
      if (!ctx) {
        ctx = channelContext(deps, row.inbox, http);
        contexts.set(row.inbox.id, ctx);
      }
      const sender = senders.find((u) => u.id === row.message.senderId);
      const outbound = buildOutboundMessage(deps, { message: row.message, conversation: row.conversation, contact: row.contact, identities: identitiesOf.get(row.contact.id) ?? [], files: filesOf.get(row.message.id) ?? [], sender });
      built.set(row.message.id, outbound);
      const result = await adapter.send(outbound, ctx).catch((err: Error): SendResult => ({ ok: false, code: 'adapter_error', message: err.message, retryable: true }));
      if (result.ok && result.channelState) channelStates.set(row.conversation.id, { ...row.conversation.channelState, ...result.channelState });
      outcomes.set(row.message.id, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, sendable.length) }, worker));

  const sent: Array<{ id: string; externalId: string; fallback?: FallbackRecord }> = [];
  const failed: Array<{ id: string; reason: string }> = [];
  const retry: string[] = [];
  const fallbackRetry: Array<{ id: string; reason: string }> = [];
  const toFallback: Array<{ row: (typeof rows)[number]; outbound: OutboundMessage; reason: string }> = [];
  for (const [id, r] of outcomes) {
    if (r.ok) sent.push({ id, externalId: r.externalId });
    else if (r.retryable) retry.push(id);
    else {
      const reason = `${r.code}: ${r.message}`.slice(0, 500);
      const row = rows.find((x) => x.message.id === id)!;
      const outbound = built.get(id);
      // Not deliverable on this channel (no WhatsApp number, outside the 24-hour window, …): an inbox with a
      // fallback channel (WhatsApp → SMS) sends it there, as send-outbound does for a single message. An
      // interrupted send is not repeated anywhere: it may have arrived.
      if (outbound && r.code !== 'unknown_outcome' && typeof row.inbox.settings.fallbackInboxId === 'string') toFallback.push({ row, outbound, reason });
      else failed.push({ id, reason });
    }
  }
  if (toFallback.length) {
    const shared = { http, inboxes: new Map<string, Promise<InboxRow | undefined>>() };
    let at = 0;
    const fallbackWorker = async () => {
      while (at < toFallback.length) {
        const { row, outbound, reason } = toFallback[at++]!;
        const fb = await sendViaFallback(deps, row.inbox, outbound, reason, shared);
        if (fb?.ok) sent.push({ id: row.message.id, externalId: fb.externalId, fallback: { inboxId: fb.inboxId, channel: fb.kind, externalId: fb.externalId, reason, status: 'sent' } });
        // The fallback provider asked to retry: the single-message job retries it there, with the queue's backoff.
        else if (fb && !fb.final) fallbackRetry.push({ id: row.message.id, reason });
        else failed.push({ id: row.message.id, reason: (fb ? `${reason} (fallback ${fb.kind} failed too: ${fb.code})` : reason).slice(0, 500) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, toFallback.length) }, fallbackWorker));
  }
  const now = deps.runtime.now();
  const later = new Date(now.getTime() + 5_000);
  await withOutbox(deps, ws, async (tx, out) => {
    // Sent and failed in one statement: each row carries its own status, reason and provider id.
    // A message the fallback channel delivered records it (shown on the message: "via SMS").
    const done = [
      ...sent.map((s) => sql`(${s.id}::uuid, 'sent', null::text, ${s.externalId}::text, ${s.fallback ? JSON.stringify(s.fallback) : null}::jsonb)`),
      ...failed.map((f) => sql`(${f.id}::uuid, 'failed', ${f.reason}::text, null::text, null::jsonb)`),
    ];
    if (done.length) {
      await tx.execute(sql`update messages m set status = v.status, status_reason = v.reason, external_id = coalesce(v.ext, m.external_id), updated_at = ${now},
          content_attributes = case when v.fb is null then m.content_attributes else m.content_attributes || jsonb_build_object('fallback', v.fb) end
        from (values ${sql.join(done, sql`, `)}) as v(id, status, reason, ext, fb) where m.workspace_id = ${ws} and m.id = v.id`);
    }
    if (fallbackRetry.length) {
      const pending = sql.join(fallbackRetry.map((f) => sql`(${f.id}::uuid, ${JSON.stringify({ reason: f.reason })}::jsonb)`), sql`, `);
      await tx.execute(sql`update messages m set status_reason = 'retrying (1): fallback', content_attributes = m.content_attributes || jsonb_build_object('fallbackPending', v.p)
        from (values ${pending}) as v(id, p) where m.workspace_id = ${ws} and m.id = v.id`);
      for (const f of fallbackRetry) out.job('send-outbound', { workspaceId: ws, messageId: f.id }, { singletonKey: `fallback:${f.id}`, startAfter: later });
    }
    if (channelStates.size) {
      const values = sql.join([...channelStates].map(([id, st]) => sql`(${id}::uuid, ${JSON.stringify(st)}::jsonb)`), sql`, `);
      await tx.execute(sql`update conversations c set channel_state = v.st from (values ${values}) as v(id, st) where c.workspace_id = ${ws} and c.id = v.id`);
    }
    if (retry.length) {
      await tx.update(messages).set({ statusReason: 'retrying (1): batch send' }).where(and(eq(messages.workspaceId, ws), inArray(messages.id, retry)));
      for (const messageId of retry) out.job('send-outbound', { workspaceId: ws, messageId }, { singletonKey: `send:${messageId}`, startAfter: later });
    }
    // Agents see the broadcast progress and the delivery state of the notices in the conversations they have
    // open: one event per inbox (visibility is per inbox), naming the conversations and messages it touched.
    const byInbox = new Map<string, { conversationIds: string[]; sent: number; failed: number; incident?: unknown }>();
    const status = new Map([...sent.map((s) => [s.id, 'sent'] as const), ...failed.map((f) => [f.id, 'failed'] as const)]);
    for (const r of rows) {
      const g = byInbox.get(r.inbox.id) ?? { conversationIds: [], sent: 0, failed: 0, incident: r.message.contentAttributes.incident };
      g.conversationIds.push(r.conversation.id);
      if (status.get(r.message.id) === 'sent') g.sent++;
      else if (status.get(r.message.id) === 'failed') g.failed++;
      byInbox.set(r.inbox.id, g);
    }
    for (const [inboxId, g] of byInbox) out.event('incident.broadcast_progress', { inboxId }, { phase: 'sent', incident: g.incident ?? null, conversationIds: g.conversationIds, sent: g.sent, failed: g.failed });
  });
  return { sent: sent.length, failed: failed.length, retried: retry.length + fallbackRetry.length, viaFallback: sent.filter((x) => x.fallback).length };
}

function group<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  }
  return m;
}
