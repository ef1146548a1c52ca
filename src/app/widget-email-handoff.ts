import crypto from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { channelAdapter } from '../channels/registry';
import { contacts, conversations, inboxes } from '../store/schema';
import { AppError } from '../shared/errors';
import type { TranscriptResult } from '../shared/widget';
import type { Deps, Services } from './context';
import { channelContext } from './channel-context';
import { lockConversation } from './conversations';
import type { EmailHandoff } from './email-continuation';
import { safeEqual } from './signature';
import { applyVisitorAttributes, claimEmailIdentity, visitorHistory, visitorMessages } from './widget-chat';
import { botText, type WidgetLocale } from './widget-texts';
import { findVisitorContact, siteVouchesForEmail, type Visitor } from './widget-visitor';

/**
 * A visitor leaves an e-mail address in the widget: to get the transcript and to continue the chat by e-mail.
 * An address that is only typed is not proven to be theirs, and whoever reads that mailbox would otherwise
 * read the chat (transcript, copies of agent replies) and write into it (their answers thread into the chat).
 * So a typed address is confirmed first: Balie mails a link (signed, expiring, single use) to it, and only the
 * click starts the hand-off (`channelState.emailHandoff`, app/email-continuation.ts), which every later step —
 * the copies, the cross-inbox threading — requires. The address the site passes with a valid identifierHash
 * is the site's word for its logged-in user and needs no link.
 */
export const EMAIL_CONFIRMATION_TTL_MS = 24 * 3_600_000;
/** Confirmation mails are mail to an address a stranger typed: capped per address and per network as well. */
export const CONFIRMATIONS_PER_ADDRESS = { limit: 3, windowMs: 24 * 3_600_000 };
export const CONFIRMATIONS_PER_IP = { limit: 10, windowMs: 3_600_000 };
const PURPOSE = 'widget-email-confirmation';

/** What waits for the click, on the conversation (one at a time: asking again with another address replaces it). */
interface PendingConfirmation {
  email: string;
  nonce: string;
  expires: number;
  locale: WidgetLocale;
  /** When the mail went out (ISO); older records have only `expires`, which is this plus the link's lifetime. */
  sentAt?: string;
}

/** The pending address as agents see it: which address, when its link was mailed, until when it works. */
export interface PendingConfirmationView {
  email: string;
  sentAt: string;
  expiresAt: string;
}

export function pendingConfirmationView(state: Record<string, unknown>): PendingConfirmationView | null {
  const p = pendingOf(state);
  if (!p || typeof p.email !== 'string' || typeof p.expires !== 'number') return null;
  const expiresMs = p.expires * 1000;
  return { email: p.email, sentAt: p.sentAt ?? new Date(expiresMs - EMAIL_CONFIRMATION_TTL_MS).toISOString(), expiresAt: new Date(expiresMs).toISOString() };
}

/** The last link that was used, so a second click says "already confirmed" instead of "invalid". */
interface UsedConfirmation {
  email: string;
  nonce: string;
  at: string;
}

const pendingOf = (state: Record<string, unknown>) => state.emailConfirmation as PendingConfirmation | undefined;
const usedOf = (state: Record<string, unknown>) => state.emailConfirmed as UsedConfirmation | undefined;
const signed = (workspaceId: string, conversationId: string, nonce: string, expires: number, email: string) =>
  `${workspaceId}:${conversationId}:${nonce}:${expires}:${email}`;

export function confirmationToken(deps: Pick<Deps, 'secrets'>, workspaceId: string, conversationId: string, p: Pick<PendingConfirmation, 'email' | 'nonce' | 'expires'>) {
  const sig = deps.secrets.mac(PURPOSE, signed(workspaceId, conversationId, p.nonce, p.expires, p.email));
  return `${workspaceId}.${conversationId}.${p.nonce}.${p.expires}.${sig}`;
}

export const confirmationPath = (token: string) => `/widget/confirm-email/${token}`;

const TOKEN_RE = /^([0-9a-f-]{36})\.([0-9a-f-]{36})\.([A-Za-z0-9_-]{22})\.(\d{10,12})\.([A-Za-z0-9_-]{43})$/;

export type ConfirmationCheck =
  | { status: 'valid'; workspaceId: string; conversationId: string; email: string; nonce: string; locale: WidgetLocale }
  | { status: 'used'; email: string; locale: WidgetLocale }
  | { status: 'expired'; locale: WidgetLocale }
  | { status: 'invalid' };

/**
 * Whether a link may confirm. The signature covers workspace, conversation, nonce, expiry and the address that
 * waits on the conversation, so a link cannot be altered, made for another conversation or moved to another
 * address; the nonce must be the one still waiting (single use; asking again with another address voids it).
 */
export async function checkConfirmation(deps: Pick<Deps, 'store' | 'secrets' | 'runtime'>, token: string, tx = deps.store.db): Promise<ConfirmationCheck> {
  const m = TOKEN_RE.exec(token);
  if (!m) return { status: 'invalid' };
  const [, workspaceId, conversationId, nonce, expiresText, sig] = m as unknown as [string, string, string, string, string, string];
  const expires = Number(expiresText);
  const [conv] = await tx
    .select({ channelState: conversations.channelState })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, conversationId)));
  if (!conv) return { status: 'invalid' };
  const genuine = (email: string) => safeEqual(sig, deps.secrets.mac(PURPOSE, signed(workspaceId, conversationId, nonce, expires, email)));
  const pending = pendingOf(conv.channelState);
  const locale = pending?.locale ?? emailLocale(conv.channelState);
  if (pending && pending.nonce === nonce && pending.expires === expires && genuine(pending.email)) {
    if (expires * 1000 < deps.runtime.now().getTime()) return { status: 'expired', locale };
    return { status: 'valid', workspaceId, conversationId, email: pending.email, nonce, locale: pending.locale };
  }
  const used = usedOf(conv.channelState);
  if (used && used.nonce === nonce && genuine(used.email)) return { status: 'used', email: used.email, locale };
  return { status: 'invalid' };
}

function emailLocale(state: Record<string, unknown>): WidgetLocale {
  const h = state.emailHandoff as { locale?: WidgetLocale } | undefined;
  return h?.locale === 'en' ? 'en' : 'nl';
}

/** The inbox of kind `email` a widget conversation can continue in, if the workspace has one. */
export async function emailHandoffInbox(deps: Pick<Deps, 'store'>, workspaceId: string) {
  const [row] = await deps.store.db
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.kind, 'email'), isNull(inboxes.archivedAt)))
    .orderBy(asc(inboxes.createdAt))
    .limit(1);
  return row ?? null;
}

/**
 * POST /api/widget/v1/transcript. The site-verified address gets the transcript (and the hand-off) at once;
 * a typed address gets a confirmation link and nothing of the chat until it is clicked.
 */
export async function requestEmailContinuation(deps: Services, v: Visitor, email: string, locale: WidgetLocale, ip: string): Promise<TranscriptResult> {
  const history = await visitorHistory(deps, v);
  if (!history.conversation) throw new AppError('not_found', 'no_conversation', 'There is no conversation yet.');
  const contact = (await findVisitorContact(deps.store.db, v))!;
  const address = email.toLowerCase();
  const siteVerified = siteVouchesForEmail(v, address);
  // The contact shows the address either way; a typed one becomes an identity only once the link is clicked.
  await applyVisitorAttributes(deps, v, contact.id, { email: address }, siteVerified, siteVerified);
  const handoffInbox = await emailHandoffInbox(deps, v.workspaceId);
  if (siteVerified) return deliverTranscript(deps, v.workspaceId, history.conversation.id, { email: address, locale, confirmedBy: 'identity' });
  if (!handoffInbox && !deps.mailer.configured) return { mailed: false, continuesByEmail: false, confirmationSent: false, continuesAfterConfirmation: false };

  await mailConfirmation(deps, v.workspaceId, history.conversation.id, address, locale, [
    [`widget:confirm:address:${v.workspaceId}:${address}`, CONFIRMATIONS_PER_ADDRESS],
    [`widget:confirm:ip:${v.inboxId}:${ip}`, CONFIRMATIONS_PER_IP],
  ]);
  return { mailed: false, continuesByEmail: false, confirmationSent: true, continuesAfterConfirmation: !!handoffInbox };
}

/**
 * A confirmation mail with a fresh link to `address`, which then waits on the conversation (a link mailed before
 * for this conversation stops working). Counted against `limits` first: every one of these is mail to an
 * address nobody has proven yet.
 */
export async function mailConfirmation(
  deps: Services,
  workspaceId: string,
  conversationId: string,
  address: string,
  locale: WidgetLocale,
  limits: (readonly [string, { limit: number; windowMs: number }])[],
): Promise<PendingConfirmationView> {
  for (const [key, rule] of limits) {
    const hit = await deps.limiter.hit(key, rule.limit, rule.windowMs);
    if (!hit.allowed) throw new AppError('rate_limited', 'too_many_confirmations', 'Too many confirmation e-mails for this address; try again later.', { retryAfterSeconds: hit.retryAfterSeconds });
  }
  const handoffInbox = await emailHandoffInbox(deps, workspaceId);
  const now = deps.runtime.now();
  const pending: PendingConfirmation = {
    email: address,
    nonce: crypto.randomBytes(16).toString('base64url'),
    expires: Math.floor((now.getTime() + EMAIL_CONFIRMATION_TTL_MS) / 1000),
    locale,
    sentAt: now.toISOString(),
  };
  await deps.store.transaction(async (tx) => {
    const locked = await lockConversation(tx, workspaceId, conversationId);
    const channelState = { ...locked.channelState, emailConfirmation: pending };
    await tx.update(conversations).set({ channelState }).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, locked.id)));
  });
  const conv = await conversationForMail(deps, workspaceId, conversationId);
  const url = `${deps.config.publicUrl}${confirmationPath(confirmationToken(deps, workspaceId, conv.id, pending))}`;
  const subject = botText(locale, 'confirmSubject', {});
  const text = botText(locale, 'confirmBody', { url, continues: !!handoffInbox, hours: EMAIL_CONFIRMATION_TTL_MS / 3_600_000 });
  const sent = await mailOut(deps, handoffInbox, conv, address, subject, text, {});
  if (!sent.ok) throw new AppError('unavailable', 'confirmation_not_sent', `The confirmation e-mail could not be sent (${sent.code}); please try again later.`);
  return pendingConfirmationView({ emailConfirmation: pending })!;
}

/**
 * The visitor clicked the link and pressed "confirm" (a POST: mail scanners open links, they do not submit
 * forms). The link is used up in the same transaction in which the address — until now only pending on the
 * conversation — becomes a verified identity of the visitor's contact. An address another customer holds stays
 * with them and the two contacts become a merge suggestion (claimEmailIdentity); until an agent merges them,
 * app/email-continuation.ts threads mail into the chat only from the conversation's own contact.
 */
export async function confirmEmailAddress(deps: Services, token: string): Promise<{ email: string; locale: WidgetLocale; result: TranscriptResult }> {
  const claimed = await deps.store.transaction(async (tx) => {
    const check = await checkConfirmation(deps, token, tx);
    if (check.status !== 'valid') return check;
    const locked = await lockConversation(tx, check.workspaceId, check.conversationId);
    // Checked again under the lock: two clicks at once confirm once.
    if (pendingOf(locked.channelState)?.nonce !== check.nonce) return { status: 'used' as const, email: check.email, locale: check.locale };
    const { emailConfirmation: _done, ...rest } = locked.channelState;
    const used: UsedConfirmation = { email: check.email, nonce: check.nonce, at: deps.runtime.now().toISOString() };
    await tx
      .update(conversations)
      .set({ channelState: { ...rest, emailConfirmed: used } })
      .where(and(eq(conversations.workspaceId, check.workspaceId), eq(conversations.id, check.conversationId)));
    await claimEmailIdentity(tx, deps, check.workspaceId, locked.contactId, check.email);
    return check;
  });
  if (claimed.status === 'invalid') throw new AppError('not_found', 'confirmation_invalid', 'This confirmation link is not valid. Ask for the conversation by e-mail again in the chat.');
  if (claimed.status === 'expired') throw new AppError('gone', 'confirmation_expired', 'This confirmation link has expired. Ask for the conversation by e-mail again in the chat.', { locale: claimed.locale });
  if (claimed.status === 'used') throw new AppError('conflict', 'confirmation_used', 'This link was already used: the address is confirmed.', { locale: claimed.locale });
  const result = await deliverTranscript(deps, claimed.workspaceId, claimed.conversationId, { email: claimed.email, locale: claimed.locale, confirmedBy: 'link' });
  return { email: claimed.email, locale: claimed.locale, result };
}

/**
 * The transcript goes to a proven address. With an e-mail inbox it goes out through that inbox (so a reply
 * threads back into the chat) and the hand-off starts: agents' later replies the visitor does not see in the
 * widget follow by e-mail (app/widget-email-copy.ts). Without one it goes through the system mailer (SMTP_URL).
 */
async function deliverTranscript(
  deps: Services,
  workspaceId: string,
  conversationId: string,
  proven: { email: string; locale: WidgetLocale; confirmedBy: EmailHandoff['confirmedBy'] },
): Promise<TranscriptResult> {
  const { email: address, locale } = proven;
  const handoff = await emailHandoffInbox(deps, workspaceId);
  const conv = await conversationForMail(deps, workspaceId, conversationId);
  const lines = (await visitorMessages(deps, workspaceId, conversationId)).map(
    (m) => `[${m.createdAt.slice(0, 16).replace('T', ' ')}] ${m.from === 'visitor' ? botText(locale, 'you', {}) : m.from === 'bot' ? 'Bot' : (m.senderName ?? botText(locale, 'agent', {}))}: ${m.content}`,
  );
  const subject = botText(locale, 'transcriptSubject', { number: conv.number });
  const text = `${botText(locale, 'transcriptIntro', { continues: !!handoff })}\n\n${lines.join('\n')}\n`;
  if (!handoff && !deps.mailer.configured) return { mailed: false, continuesByEmail: false, confirmationSent: false, continuesAfterConfirmation: false };
  const sent = await mailOut(deps, handoff, conv, address, subject, text, conv.channelState);
  if (handoff) {
    // The hand-off holds even when this mail failed: the agents' replies are still copied to the address.
    await deps.store.transaction(async (tx) => {
      const locked = await lockConversation(tx, workspaceId, conv.id);
      const record: EmailHandoff = { email: address, inboxId: handoff.id, locale, confirmedBy: proven.confirmedBy };
      await tx
        .update(conversations)
        .set({ channelState: { ...locked.channelState, ...(sent.ok ? sent.channelState : {}), emailHandoff: record } })
        .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, conv.id)));
    });
  }
  if (!sent.ok) {
    throw new AppError('unavailable', 'transcript_not_sent', `The transcript could not be mailed (${sent.code});${handoff ? ' we will still answer by e-mail.' : ' please try again later.'}`, { locale });
  }
  return { mailed: true, continuesByEmail: !!handoff, confirmationSent: false, continuesAfterConfirmation: false };
}

type MailTarget = { conversationId: string; number: number; subject: string | null; contactName: string | null };

/**
 * One mail to the visitor: through the e-mail inbox (its SMTP account and threading headers) when there is
 * one, else through the system mailer. `threadState` {} keeps a confirmation mail out of the chat's thread.
 */
async function mailOut(deps: Services, inbox: Awaited<ReturnType<typeof emailHandoffInbox>>, conv: MailTarget, address: string, subject: string, text: string, threadState: Record<string, unknown>) {
  if (!inbox) {
    return deps.mailer
      .send({ to: address, subject, text })
      .then(() => ({ ok: true as const, channelState: undefined }))
      .catch((err: Error) => ({ ok: false as const, code: 'smtp_error', message: err.message }));
  }
  return channelAdapter('email')!
    .send(
      {
        id: deps.runtime.id(),
        conversationId: conv.conversationId,
        content: text,
        contentType: 'text',
        contentAttributes: { email: { to: [address], subject } },
        attachments: [],
        recipient: { name: conv.contactName ?? '', identities: [{ kind: 'email', value: address }] },
        conversation: { number: conv.number, subject: conv.subject, channelState: threadState },
        // The transcript and the address confirmation are Balie's own mail, not an agent writing.
        autoSubmitted: 'auto-generated',
      },
      channelContext(deps, inbox),
    )
    .catch((err: Error) => ({ ok: false as const, code: 'adapter_error', message: err.message, retryable: true }));
}

async function conversationForMail(deps: Deps, workspaceId: string, conversationId: string) {
  const [row] = await deps.store.db
    .select({ conversationId: conversations.id, id: conversations.id, number: conversations.number, subject: conversations.subject, channelState: conversations.channelState, contactName: contacts.name })
    .from(conversations)
    .innerJoin(contacts, and(eq(contacts.workspaceId, conversations.workspaceId), eq(contacts.id, conversations.contactId)))
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, conversationId)));
  return row!;
}
