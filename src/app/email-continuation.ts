import { and, eq, inArray } from 'drizzle-orm';
import { contactIdentities, conversations } from '../store/schema';
import { baseAddress, type ThreadEvidence } from '../channels/email/threading';
import { emailState, type EmailThreadState } from '../channels/email/state';
import type { Deps } from './context';

/**
 * Set on a conversation of another channel (a widget chat) whose customer asked to continue by e-mail, once the
 * address is proven theirs (app/widget-email-handoff.ts). `inboxId` is the e-mail inbox the mails go out through.
 */
export interface EmailHandoff {
  email: string;
  inboxId: string;
  /** The language the visitor chatted in: the copies are written in it. */
  locale?: 'nl' | 'en';
  /** How the address was proven: the site's signed identity, or the visitor clicked the confirmation link. */
  confirmedBy: 'identity' | 'link';
}

/**
 * The hand-off in force, or null. One without proof (written before addresses were confirmed) is not in force:
 * copies and threading stop for it, so an address someone merely typed never reads or writes the chat.
 */
export function emailHandoffOf(channelState: Record<string, unknown>): EmailHandoff | null {
  const h = channelState.emailHandoff as Partial<EmailHandoff> | undefined;
  if (!h || typeof h.email !== 'string' || typeof h.inboxId !== 'string') return null;
  if (h.confirmedBy !== 'identity' && h.confirmedBy !== 'link') return null;
  return { email: h.email, inboxId: h.inboxId, confirmedBy: h.confirmedBy, ...(h.locale === 'nl' || h.locale === 'en' ? { locale: h.locale } : {}) };
}

export interface ContinuedThread {
  conversationId: string;
  /** The conversation's own inbox (the widget's), where the reply is stored. */
  inboxId: string;
  state: EmailThreadState;
}

/**
 * Cross-inbox threading, for conversations continued by e-mail. Mail for a widget chat goes out through an
 * e-mail inbox, but its Message-ID, Reply-To token and Thread-Index name the widget conversation, so the
 * customer's answer carries that conversation's id — which per-inbox threading (email-inbound.ts) does not find.
 * It is threaded back into the chat only when all of these hold:
 *  - the conversation handed off to exactly this e-mail inbox (`channelState.emailHandoff.inboxId`), and the
 *    hand-off is in force: the address was confirmed (link clicked) or came from the site's signed identity,
 *  - the mail comes from the address the customer left there,
 *  - and that address is an identity of the conversation's own contact.
 * The last rule keeps the visitor from reading someone else's mail: an address typed in the widget that already
 * belongs to another customer is not theirs, so that customer's answer stays in the e-mail inbox, with them.
 */
export async function findContinuedThread(deps: Pick<Deps, 'store'>, ws: string, emailInboxId: string, ev: ThreadEvidence, senderAddress: string): Promise<ContinuedThread | null> {
  const ids = [...ev.encodedConversations, ...(ev.threadIndexConversation ? [ev.threadIndexConversation] : []), ...(ev.addressConversation ? [ev.addressConversation] : [])];
  if (!ids.length) return null;
  const sender = baseAddress(senderAddress);
  const rows = await deps.store.db
    .select({ id: conversations.id, inboxId: conversations.inboxId, contactId: conversations.contactId, channelState: conversations.channelState })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, ws), inArray(conversations.id, [...new Set(ids)])));
  for (const id of ids) {
    const c = rows.find((r) => r.id === id);
    const handoff = c ? emailHandoffOf(c.channelState) : null;
    if (!c || !handoff || handoff.inboxId !== emailInboxId || c.inboxId === emailInboxId) continue;
    if (baseAddress(handoff.email) !== sender) continue;
    const [owned] = await deps.store.db
      .select({ contactId: contactIdentities.contactId })
      .from(contactIdentities)
      .where(and(eq(contactIdentities.workspaceId, ws), eq(contactIdentities.kind, 'email'), eq(contactIdentities.value, handoff.email.toLowerCase())));
    if (owned?.contactId !== c.contactId) continue;
    return { conversationId: c.id, inboxId: c.inboxId, state: emailState(c.channelState) };
  }
  return null;
}
