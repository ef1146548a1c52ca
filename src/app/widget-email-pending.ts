import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { contactIdentities, conversations } from '../store/schema';
import { AppError } from '../shared/errors';
import type { PendingEmailDto } from '../shared/api';
import type { Deps, Services } from './context';
import { CONFIRMATIONS_PER_ADDRESS, mailConfirmation, pendingConfirmationView } from './widget-email-handoff';
import type { WidgetLocale } from './widget-texts';

/**
 * Addresses a widget visitor typed that wait for their confirmation link (app/widget-email-handoff.ts). They are
 * no identity of the contact — mail from them does not land here, nothing of the chat goes to them — so the
 * agent sees them apart, as "awaiting confirmation", with when the link was mailed. One that has since become
 * an identity of this contact (confirmed in another chat) is left out.
 */
export async function pendingEmailConfirmations(deps: Pick<Deps, 'store' | 'runtime'>, workspaceId: string, contactId: string): Promise<PendingEmailDto[]> {
  const rows = await deps.store.db
    .select({ id: conversations.id, number: conversations.number, channelState: conversations.channelState })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.contactId, contactId), isNotNull(sql`${conversations.channelState} -> 'emailConfirmation'`)))
    .orderBy(desc(conversations.createdAt))
    .limit(50);
  if (!rows.length) return [];
  const known = new Set(
    (
      await deps.store.db
        .select({ value: contactIdentities.value })
        .from(contactIdentities)
        .where(and(eq(contactIdentities.workspaceId, workspaceId), eq(contactIdentities.contactId, contactId), eq(contactIdentities.kind, 'email')))
    ).map((r) => r.value),
  );
  const now = deps.runtime.now().getTime();
  return rows
    .map((r) => ({ r, p: pendingConfirmationView(r.channelState) }))
    .filter((x): x is { r: (typeof rows)[number]; p: NonNullable<typeof x.p> } => !!x.p && !known.has(x.p.email))
    .map(({ r, p }) => ({ ...p, conversationId: r.id, conversationNumber: r.number, expired: Date.parse(p.expiresAt) <= now }))
    .sort((a, b) => b.sentAt.localeCompare(a.sentAt));
}

/**
 * "Send again" by an agent (the visitor says the mail never came, or the link expired): a fresh link to the same
 * address, the old one void. Counted against the same per-address limit as the visitor's own requests, so an
 * agent cannot be made to flood someone's mailbox either.
 */
export async function resendEmailConfirmation(deps: Services, workspaceId: string, conversationId: string): Promise<PendingEmailDto> {
  const [conv] = await deps.store.db
    .select({ id: conversations.id, number: conversations.number, contactId: conversations.contactId, channelState: conversations.channelState })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, conversationId)));
  const pending = conv ? pendingConfirmationView(conv.channelState) : null;
  if (!conv || !pending) throw new AppError('conflict', 'no_pending_confirmation', 'No e-mail address in this conversation is waiting for confirmation.');
  const locale: WidgetLocale = (conv.channelState.emailConfirmation as { locale?: string }).locale === 'en' ? 'en' : 'nl';
  const sent = await mailConfirmation(deps, workspaceId, conv.id, pending.email, locale, [[`widget:confirm:address:${workspaceId}:${pending.email}`, CONFIRMATIONS_PER_ADDRESS]]);
  return { ...sent, conversationId: conv.id, conversationNumber: conv.number, expired: false };
}
