import fs from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { attachments, contactIdentities, conversations, inboxes, messages, users } from '../store/schema';
import { emailSecretsSchema, emailSettingsSchema } from '../channels/email/settings';
import { automaticHeaders, oneOffTransport } from '../channels/email/transport';
import { recipientsFor, smtpFailure } from '../channels/email/adapter';
import { emailState } from '../channels/email/state';
import { checkImap } from '../channels/email/imap';
import { htmlForDisplay, displayCsp } from '../channels/email/sanitize';
import { AppError } from '../shared/errors';
import type { MessageDto } from '../shared/api';
import type { Actor, Deps } from './context';
import type { InboxRow } from './dto';
import { readSecrets } from './inboxes';
import { sendReply } from './send-reply';
import type { IncomingFile } from './attachments';

const INLINE_IMAGE = /^image\/(png|jpeg|gif|webp|bmp|avif)$/;
const MAX_INLINE = 3 * 1024 * 1024;

/** The iframe document for one e-mail: sanitized again at display time, cid: images inlined, remote ones parked. */
export async function emailDisplayDocument(deps: Deps, message: typeof messages.$inferSelect, allowRemote: boolean): Promise<{ html: string; csp: string }> {
  const email = (message.contentAttributes.email ?? {}) as { html?: unknown; fullText?: unknown };
  const files = await deps.store.db
    .select()
    .from(attachments)
    .where(and(eq(attachments.workspaceId, message.workspaceId), eq(attachments.messageId, message.id)));
  const inline = new Map<string, string>();
  let budget = MAX_INLINE * 3;
  for (const f of files) {
    if (!f.contentId || !INLINE_IMAGE.test(f.contentType) || f.size > MAX_INLINE || f.size > budget) continue;
    const data = await fs.promises.readFile(deps.files.path(f.sha256)).catch(() => null);
    if (!data) continue;
    budget -= f.size;
    inline.set(f.contentId, `data:${f.contentType};base64,${data.toString('base64')}`);
  }
  const policy = { inline, allowRemote, blocked: 0 };
  const body =
    typeof email.html === 'string'
      ? htmlForDisplay(email.html, policy)
      : `<pre>${escapeHtml(typeof email.fullText === 'string' ? email.fullText : message.content)}</pre>`;
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${metaCsp(allowRemote)}"><meta name="referrer" content="no-referrer"><style>body{font:14px/1.5 system-ui,sans-serif;margin:8px;color:#1f2328;overflow-wrap:anywhere}pre{white-space:pre-wrap;font:inherit}img{max-width:100%;height:auto}blockquote{margin:0 0 0 .5em;padding-left:.75em;border-left:3px solid #d0d7de;color:#57606a}</style></head><body data-blocked-images="${policy.blocked}">${body}</body></html>`;
  return { html, csp: displayCsp(allowRemote) };
}

/** The same policy inside the document, for when it is shown through srcdoc (meta CSP cannot sandbox or frame-ancestors). */
const metaCsp = (allowRemote: boolean) => displayCsp(allowRemote).split('; ').filter((d) => !/^(sandbox|frame-ancestors)/.test(d)).join('; ');

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function configOf(deps: Deps, inbox: InboxRow) {
  if (inbox.kind !== 'email') throw new AppError('validation', 'not_an_email_inbox', 'This inbox is not an e-mail inbox.');
  return { settings: emailSettingsSchema.parse(inbox.settings), secrets: emailSecretsSchema.parse(readSecrets(deps, inbox)) };
}

/** "Send test mail": one real mail through the inbox's SMTP account (or SMTP_URL), with the server's own words on failure. */
export async function sendTestMail(deps: Deps, inbox: InboxRow, to: string): Promise<{ ok: true; detail: string } | { ok: false; code: string; message: string }> {
  const { settings, secrets } = configOf(deps, inbox);
  const transport = oneOffTransport(settings, secrets, deps.config.SMTP_URL, { allowPrivateHosts: deps.config.BALIE_ALLOW_PRIVATE_MAIL_HOSTS });
  if (!transport) return { ok: false, code: 'smtp_not_configured', message: 'Fill in an SMTP server for this inbox, or set SMTP_URL on the server.' };
  const where = settings.smtpHost ? `${settings.smtpHost}:${settings.smtpPort ?? (settings.smtpSecure ? 465 : 587)}` : 'SMTP_URL';
  try {
    const info = await transport.sendMail({
      from: { name: settings.fromName ?? 'Balie', address: settings.address },
      to,
      subject: 'Balie test mail',
      headers: automaticHeaders('auto-generated'),
      text: `This is a test mail from the Balie inbox "${inbox.name}". Sending works.\n\nDit is een testmail van de Balie-inbox "${inbox.name}". Verzenden werkt.`,
    });
    return { ok: true, detail: `Accepted by ${where}: ${String(info.response ?? '').slice(0, 200)}` };
  } catch (err) {
    const f = smtpFailure(err, where);
    return { ok: false, code: f.code, message: f.message };
  } finally {
    transport.close();
  }
}

export async function checkInboxImap(deps: Deps, inbox: InboxRow) {
  const { settings, secrets } = configOf(deps, inbox);
  return checkImap(settings, secrets, { allowPrivateHosts: deps.config.BALIE_ALLOW_PRIVATE_MAIL_HOSTS });
}

/** Forward a conversation: the agent's note on top, the customer's messages below, to someone outside. */
export async function forwardConversation(deps: Deps, actor: Actor, conversation: typeof conversations.$inferSelect, input: { to: string[]; cc?: string[]; comment?: string; attachments?: IncomingFile[] }): Promise<MessageDto> {
  const rows = await deps.store.db
    .select({ content: messages.content, direction: messages.direction, createdAt: messages.createdAt, attrs: messages.contentAttributes })
    .from(messages)
    .where(and(eq(messages.workspaceId, actor.workspaceId), eq(messages.conversationId, conversation.id), eq(messages.kind, 'message')))
    .orderBy(messages.createdAt)
    .limit(200);
  const history = rows
    .map((m) => {
      const from = ((m.attrs.email ?? {}) as { from?: { address?: string } }).from?.address ?? (m.direction === 'outbound' ? 'us' : 'customer');
      return `---------- ${m.createdAt.toISOString()} ${from} ----------\n${m.content}`;
    })
    .join('\n\n');
  const content = `${input.comment?.trim() ? `${input.comment.trim()}\n\n` : ''}---------- Forwarded conversation #${conversation.number} ----------\n\n${history}`;
  // The composer's attachments go along (the agent attached them to this forward); stored like a reply's.
  return sendReply(deps, actor, conversation.id, {
    kind: 'message',
    content,
    contentAttributes: { email: { to: input.to, cc: input.cc ?? [], forward: true } },
    ...(input.attachments?.length ? { attachments: input.attachments } : {}),
  });
}

export interface EmailComposeDefaults {
  /** Who a plain reply goes to (the thread's reply address, else the customer). */
  to: string[];
  /** Who else was on the thread: reply-all adds them as CC. */
  replyAllCc: string[];
  subject: string | null;
  /** Appended to every reply, the agent's first (shown under the composer so nobody types them twice). */
  signatures: { agent: string | null; inbox: string | null };
}

/** The composer's starting point for an e-mail conversation, computed by the same rule the sender uses. */
export async function emailComposeDefaults(deps: Deps, actor: Actor, conversation: typeof conversations.$inferSelect): Promise<EmailComposeDefaults> {
  const [inbox] = await deps.store.db.select().from(inboxes).where(and(eq(inboxes.workspaceId, actor.workspaceId), eq(inboxes.id, conversation.inboxId)));
  const settings = emailSettingsSchema.safeParse(inbox?.settings);
  if (!inbox || inbox.kind !== 'email' || !settings.success) throw new AppError('validation', 'not_an_email_conversation', 'This conversation is not in an e-mail inbox.');
  const identities = await deps.store.db
    .select({ kind: contactIdentities.kind, value: contactIdentities.value })
    .from(contactIdentities)
    .where(and(eq(contactIdentities.workspaceId, actor.workspaceId), eq(contactIdentities.contactId, conversation.contactId)));
  const [me] = await deps.store.db.select({ settings: users.settings }).from(users).where(eq(users.id, actor.userId));
  const state = emailState(conversation.channelState);
  const plain = recipientsFor({ contentAttributes: {}, recipient: { name: '', identities } }, state, settings.data.address);
  const all = recipientsFor({ contentAttributes: { email: { replyAll: true } }, recipient: { name: '', identities } }, state, settings.data.address);
  const agentSignature = (me?.settings as Record<string, unknown> | undefined)?.emailSignature;
  return {
    to: plain.to,
    replyAllCc: all.cc,
    subject: state.subject ?? conversation.subject ?? null,
    signatures: { agent: typeof agentSignature === 'string' && agentSignature.trim() ? agentSignature : null, inbox: settings.data.signature?.trim() ? settings.data.signature : null },
  };
}
