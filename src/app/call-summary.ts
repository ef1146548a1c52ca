import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { calls, contacts, conversations, workspaces } from '../store/schema';
import { callSummaryText } from '../domain/call-summary-text';
import { coachReply } from '../domain/reply-coach';
import { AppError, notFound } from '../shared/errors';
import type { Actor, Deps } from './context';
import { visibleConversations } from './conversation-list';
import { caseStatusUrl, recordAgreement } from './case-status';
import { calendarFor, loadCertainty } from './certainty-settings';
import { writtenConversationOf } from './callbacks';
import { sendReply } from './send-reply';
import { withOutbox } from './outbox';
import { markAgreement } from './agreement-marks';

export const callSummaryInput = z.object({
  summary: z.string().trim().min(1).max(2000),
  nextStep: z.string().trim().max(500).default(''),
  /** When the next step happens; required, because an agreement without a time gives the customer no certainty. */
  dueAt: z.coerce.date().optional(),
});

/**
 * After a call the agent writes what was agreed. It becomes an agreement (certainty's table, source 'phone')
 * and goes to the customer on their written channel with the case-status link, where they confirm or correct it.
 */
export async function summarizeCall(deps: Deps, actor: Actor, callId: string, input: z.infer<typeof callSummaryInput>) {
  const [row] = await deps.store.db
    .select({ call: calls, conversation: conversations, contactName: contacts.name, contactAttributes: contacts.attributes })
    .from(calls)
    .innerJoin(conversations, and(eq(conversations.workspaceId, calls.workspaceId), eq(conversations.id, calls.conversationId)))
    .innerJoin(contacts, and(eq(contacts.workspaceId, calls.workspaceId), eq(contacts.id, calls.contactId)))
    .where(and(eq(calls.workspaceId, actor.workspaceId), eq(calls.id, callId), visibleConversations(actor)));
  if (!row) throw notFound('call');
  if (!input.dueAt) throw new AppError('validation', 'time_required', 'Name when the next step happens, so the customer knows.', { fields: [{ path: 'dueAt', message: 'required' }] });
  const { settings } = await loadCertainty(deps.store.db, deps, actor.workspaceId);
  const [ws] = await deps.store.db.select({ locale: workspaces.locale }).from(workspaces).where(eq(workspaces.id, actor.workspaceId));
  const locale = row.contactAttributes.locale === 'en' ? 'en' : row.contactAttributes.locale === 'nl' ? 'nl' : ws?.locale === 'en' ? 'en' : 'nl';
  const coach = coachReply(`${input.summary} ${input.nextStep}`, { lists: settings.coach, locale });
  const agreement = await recordAgreement(deps, actor, row.call.conversationId, { summary: input.summary, nextStep: input.nextStep, dueAt: input.dueAt, source: 'phone' });
  const target = await writtenConversationOf(deps, actor.workspaceId, row.call.contactId);
  let sent: { conversationId: string; messageId: string } | null = null;
  if (target) {
    const link = await caseStatusUrl(deps, actor.workspaceId, row.call.conversationId);
    const content = callSummaryText({ locale, timeZone: calendarFor(settings, row.call.inboxId).timeZone, summary: input.summary, nextStep: input.nextStep, dueAt: input.dueAt, link, name: row.contactName || null });
    const msg = await sendReply(deps, actor, target.id, { kind: 'message', content, contentAttributes: { agreementId: agreement.id, callId } });
    sent = { conversationId: target.id, messageId: msg.id };
  }
  await withOutbox(deps, actor.workspaceId, (tx, out) => markAgreement(tx, out, agreement, [row.call.messageId, ...(sent ? [sent.messageId] : [])]));
  return {
    agreement: { id: agreement.id, status: agreement.status, summary: agreement.summary, nextStep: agreement.nextStep, dueAt: agreement.dueAt?.toISOString() ?? null },
    sent,
    coach: coach.issues,
  };
}
