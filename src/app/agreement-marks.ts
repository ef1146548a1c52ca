import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import { agreements, conversations, messages } from '../store/schema';
import type { Deps } from './context';
import { scopeOf } from './conversations';
import { messageView } from './messages';
import { notify, type NotifyInput } from './notifications';
import type { OutboxWriter } from './outbox';

type AgreementRow = typeof agreements.$inferSelect;

export const agreementSnapshot = (a: AgreementRow) => ({
  id: a.id,
  status: a.status,
  summary: a.summary,
  nextStep: a.nextStep,
  dueAt: a.dueAt?.toISOString() ?? null,
  correction: a.correction,
  respondedAt: a.respondedAt?.toISOString() ?? null,
});

/**
 * An agreement shows where it was made and sent: on the call's timeline message and on the confirmation sent to
 * the customer (`contentAttributes.agreement`). When the customer confirms or corrects it, those messages change
 * with it, so the timeline says "confirmed" without anyone reloading.
 */
export async function markAgreement(tx: Db, out: OutboxWriter, a: AgreementRow, messageIds: string[] = []) {
  const snap = agreementSnapshot(a);
  const rows = await tx
    .update(messages)
    .set({ contentAttributes: sql`${messages.contentAttributes} || ${JSON.stringify({ agreement: snap })}::jsonb` })
    .where(
      and(
        eq(messages.workspaceId, a.workspaceId),
        messageIds.length
          ? sql`(${messages.id} in (${sql.join(messageIds.map((id) => sql`${id}::uuid`), sql`, `)}) or ${messages.contentAttributes}->'agreement'->>'id' = ${a.id} or ${messages.contentAttributes}->>'agreementId' = ${a.id})`
          : sql`(${messages.contentAttributes}->'agreement'->>'id' = ${a.id} or ${messages.contentAttributes}->>'agreementId' = ${a.id})`,
      ),
    )
    .returning();
  for (const m of rows) {
    const [conv] = await tx.select().from(conversations).where(and(eq(conversations.workspaceId, a.workspaceId), eq(conversations.id, m.conversationId)));
    if (conv) out.event('message.updated', scopeOf(conv), { message: await messageView(tx, m) });
  }
}

/** The customer answered: the agent who made the agreement hears of it (the bell and the realtime nudge). */
export async function notifyAgreementAnswered(tx: Db, deps: Pick<Deps, 'runtime'>, out: OutboxWriter, a: AgreementRow) {
  if (!a.createdBy) return;
  const [conv] = await tx.select().from(conversations).where(and(eq(conversations.workspaceId, a.workspaceId), eq(conversations.id, a.conversationId)));
  if (!conv) return;
  const kind = (a.status === 'corrected' ? 'agreement_corrected' : 'agreement_confirmed') as NotifyInput['kind'];
  await notify(tx, deps, out, {
    workspaceId: a.workspaceId,
    userIds: [a.createdBy],
    kind,
    conversationId: conv.id,
    inboxId: conv.inboxId,
    number: conv.number,
    byUserId: null,
    ...(a.correction ? { excerpt: a.correction } : {}),
  });
}
