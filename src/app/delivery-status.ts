import { and, eq, inArray, sql } from 'drizzle-orm';
import { conversations, inboxes, messages } from '../store/schema';
import type { Db } from '../store/db';
import type { Deps } from './context';
import { messageView } from './messages';
import { scopeOf } from './conversations';
import { withOutbox } from './outbox';

const rank = { received: 0, queued: 0, sent: 1, delivered: 2, read: 3, failed: 1 } as const;

/** Whether a provider status report moves a message forward (reports arrive late and out of order). */
export function statusAdvances(current: keyof typeof rank, next: 'sent' | 'delivered' | 'read' | 'failed'): boolean {
  if (current === next) return false;
  if (next === 'failed') return current !== 'read' && current !== 'delivered';
  return rank[next] > rank[current] || current === 'failed';
}

/** What `sendOutbound` records on a message another inbox's channel delivered (WhatsApp → SMS). */
export interface FallbackRecord {
  inboxId: string;
  channel: string;
  externalId: string;
  reason: string;
  status?: 'sent' | 'delivered' | 'read' | 'failed';
  statusReason?: string | null;
}

/**
 * The message a status report is about. Normally the inbox's own message; a fallback send (WhatsApp → SMS)
 * went out through this inbox for a message of another inbox — the one whose `fallbackInboxId` names this
 * inbox — and the report then lands on that original message.
 */
async function reportedMessage(tx: Db, input: { workspaceId: string; inboxId: string; externalId: string }) {
  const select = (inboxIds: string[]) =>
    tx
      .select({ message: messages, conversation: conversations })
      .from(messages)
      .innerJoin(conversations, and(eq(conversations.workspaceId, messages.workspaceId), eq(conversations.id, messages.conversationId)))
      .where(and(eq(messages.workspaceId, input.workspaceId), inArray(messages.inboxId, inboxIds), eq(messages.externalId, input.externalId)))
      .for('update');
  const [own] = await select([input.inboxId]);
  if (own) return { ...own, fallback: null };
  const origins = await tx
    .select({ id: inboxes.id })
    .from(inboxes)
    .where(and(eq(inboxes.workspaceId, input.workspaceId), sql`${inboxes.settings}->>'fallbackInboxId' = ${input.inboxId}`));
  if (!origins.length) return null;
  const rows = await select(origins.map((o) => o.id));
  const row = rows.find((r) => (r.message.contentAttributes.fallback as FallbackRecord | undefined)?.inboxId === input.inboxId);
  return row ? { ...row, fallback: row.message.contentAttributes.fallback as FallbackRecord } : null;
}

export async function applyDeliveryStatus(
  deps: Deps,
  input: { workspaceId: string; inboxId: string; externalId: string; status: 'sent' | 'delivered' | 'read' | 'failed'; reason?: string },
): Promise<boolean> {
  return withOutbox(deps, input.workspaceId, async (tx, out) => {
    const row = await reportedMessage(tx, input);
    if (!row || row.message.direction !== 'outbound' || !statusAdvances(row.message.status, input.status)) return false;
    const statusReason = input.status === 'failed' ? (input.reason ?? 'failed').slice(0, 500) : null;
    // Accepted by the provider but reported undeliverable later (WhatsApp 131026, 131047, …): an inbox with a
    // fallback channel hands the message to it, once — the send job then goes straight to the fallback.
    if (input.status === 'failed' && !row.fallback && !row.message.contentAttributes.fallback && row.message.kind === 'message') {
      const [origin] = await tx
        .select({ settings: inboxes.settings })
        .from(inboxes)
        .where(and(eq(inboxes.workspaceId, input.workspaceId), eq(inboxes.id, row.message.inboxId)));
      if (typeof origin?.settings.fallbackInboxId === 'string') {
        const reason = `failed: ${statusReason}`.slice(0, 500);
        const [queued] = await tx
          .update(messages)
          .set({ status: 'queued', statusReason: null, contentAttributes: { ...row.message.contentAttributes, fallbackPending: { reason } }, updatedAt: deps.runtime.now() })
          .where(and(eq(messages.workspaceId, input.workspaceId), eq(messages.id, row.message.id)))
          .returning();
        out.event('message.updated', scopeOf(row.conversation), { message: await messageView(tx, queued!) });
        out.job('send-outbound', { workspaceId: input.workspaceId, messageId: row.message.id }, { singletonKey: `fallback:${row.message.id}` });
        return true;
      }
    }
    const [updated] = await tx
      .update(messages)
      .set({
        status: input.status,
        statusReason: row.fallback && statusReason ? `${statusReason} (${row.fallback.channel})`.slice(0, 500) : statusReason,
        ...(row.fallback ? { contentAttributes: { ...row.message.contentAttributes, fallback: { ...row.fallback, status: input.status, statusReason } } } : {}),
        updatedAt: deps.runtime.now(),
      })
      .where(and(eq(messages.workspaceId, input.workspaceId), eq(messages.id, row.message.id)))
      .returning();
    out.event('message.updated', scopeOf(row.conversation), { message: await messageView(tx, updated!) });
    return true;
  });
}
