import { and, eq } from 'drizzle-orm';
import { conversations, messages } from '../store/schema';
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

export async function applyDeliveryStatus(
  deps: Deps,
  input: { workspaceId: string; inboxId: string; externalId: string; status: 'sent' | 'delivered' | 'read' | 'failed'; reason?: string },
): Promise<boolean> {
  return withOutbox(deps, input.workspaceId, async (tx, out) => {
    const [row] = await tx
      .select({ message: messages, conversation: conversations })
      .from(messages)
      .innerJoin(conversations, and(eq(conversations.workspaceId, messages.workspaceId), eq(conversations.id, messages.conversationId)))
      .where(and(eq(messages.workspaceId, input.workspaceId), eq(messages.inboxId, input.inboxId), eq(messages.externalId, input.externalId)))
      .for('update');
    if (!row || row.message.direction !== 'outbound' || !statusAdvances(row.message.status, input.status)) return false;
    const [updated] = await tx
      .update(messages)
      .set({ status: input.status, statusReason: input.status === 'failed' ? (input.reason ?? 'failed').slice(0, 500) : null, updatedAt: deps.runtime.now() })
      .where(and(eq(messages.workspaceId, input.workspaceId), eq(messages.id, row.message.id)))
      .returning();
    out.event('message.updated', scopeOf(row.conversation), { message: await messageView(tx, updated!) });
    return true;
  });
}
