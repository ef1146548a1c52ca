import type { ChannelAdapter, OutboundMessage } from '../channel';
import { emailSecretsSchema, emailSettingsSchema, domainOf, type EmailSecrets, type EmailSettings } from './settings';
import { baseSubject, ourMessageId, replyToAddress, subjectToken, threadIndexFor } from './threading';
import { automaticHeaders, transportFor } from './transport';
import { checkImap } from './imap';
import { emailState, type EmailThreadState } from './state';

const EMAIL_RE = /^[^\s@<>",;]{1,200}@[^\s@<>",;]{1,255}$/;

interface ReplyOptions {
  to?: string[];
  cc?: string[];
  bcc?: string[];
  replyAll?: boolean;
  forward?: boolean;
  subject?: string;
}

function replyOptions(attrs: Record<string, unknown>): ReplyOptions {
  const e = (attrs.email ?? {}) as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && EMAIL_RE.test(x.trim())).map((x) => x.trim().toLowerCase()) : undefined);
  return {
    to: list(e.to),
    cc: list(e.cc),
    bcc: list(e.bcc),
    replyAll: e.replyAll === true,
    forward: e.forward === true,
    subject: typeof e.subject === 'string' ? e.subject.slice(0, 500) : undefined,
  };
}

/** Who gets this reply: what the agent chose, else the thread's reply address, else the contact's e-mail. */
export function recipientsFor(message: Pick<OutboundMessage, 'contentAttributes' | 'recipient'>, state: EmailThreadState, inboxAddress: string) {
  const opts = replyOptions(message.contentAttributes);
  const ours = (a: string) => a.toLowerCase().split('+')[0]!.replace(/@.*/, '') === inboxAddress.split('@')[0] && domainOf(a) === domainOf(inboxAddress);
  const contactEmail = message.recipient.identities.find((i) => i.kind === 'email')?.value;
  let to = opts.to?.length ? opts.to : state.replyTo?.length ? state.replyTo : contactEmail ? [contactEmail] : [];
  let cc = opts.cc ?? [];
  if (opts.replyAll && !opts.forward) cc = [...cc, ...(state.participants ?? [])];
  to = [...new Set(to.filter((a) => !ours(a)))];
  cc = [...new Set(cc.filter((a) => !ours(a) && !to.includes(a)))];
  const bcc = [...new Set((opts.bcc ?? []).filter((a) => !ours(a) && !to.includes(a) && !cc.includes(a)))];
  return { to, cc, bcc, opts };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The e-mail channel. Inbound mail arrives through Balie's SMTP listener or an IMAP account (both store the raw
 * message first, see app/email-inbound.ts); this adapter sends replies through the inbox's SMTP account or
 * SMTP_URL, threaded so the customer's client and Balie both keep them in one conversation.
 */
export const emailChannel: ChannelAdapter<EmailSettings, EmailSecrets> = {
  kind: 'email',
  capabilities: { attachments: true, templates: false, readReceipts: false, window24h: false, maxLength: null, idempotentSend: false },
  settingsSchema: emailSettingsSchema as unknown as ChannelAdapter<EmailSettings, EmailSecrets>['settingsSchema'],
  secretsSchema: emailSecretsSchema,
  receivesWebhooks: false,
  async send(message, ctx) {
    const settings = ctx.settings;
    const domain = settings.dkimDomain || domainOf(settings.address);
    const state = emailState(message.conversation.channelState);
    const { to, cc, bcc, opts } = recipientsFor(message, state, settings.address);
    if (to.length === 0) return { ok: false, code: 'no_recipient', message: 'The customer has no e-mail address to reply to.', retryable: false };
    const choice = transportFor(settings, ctx.secrets, ctx.smtpUrl, { allowPrivateHosts: ctx.allowPrivateMailHosts ?? false });
    if (!choice) return { ok: false, code: 'smtp_not_configured', message: 'This inbox has no SMTP account and SMTP_URL is not set.', retryable: false };

    const messageId = ourMessageId(message.id, message.conversationId, domain);
    const base = opts.subject ?? (baseSubject(state.subject ?? message.conversation.subject) || `#${message.conversation.number}`);
    const subject = `${opts.forward ? 'Fwd: ' : state.lastMessageId ? 'Re: ' : ''}${base} ${subjectToken(message.conversation.number)}`;
    const signatures = [message.sender?.emailSignature, settings.signature].filter((s): s is string => !!s?.trim());
    const text = [message.content, ...signatures.map((s) => `-- \n${s}`)].join('\n\n');
    const html = `<div>${[message.content, ...signatures].map((p) => escapeHtml(p).replace(/\r?\n/g, '<br>')).join('<br><br>')}</div>`;
    const seq = (state.seq ?? 0) + 1;
    const references = opts.forward ? [] : (state.references ?? []).slice(-20);
    const attachments = await Promise.all(message.attachments.map(async (a) => ({ filename: a.fileName, contentType: a.contentType, content: await a.read() })));
    const fromName = message.sender?.name && settings.fromName ? `${message.sender.name} | ${settings.fromName}` : (settings.fromName ?? message.sender?.name ?? '');
    try {
      const info = await choice.transport.sendMail({
        from: { name: fromName, address: settings.address },
        replyTo: replyToAddress(settings.address, message.conversationId),
        to,
        cc,
        bcc,
        subject,
        text,
        html,
        messageId,
        ...(references.length && !opts.forward ? { inReplyTo: state.lastMessageId ?? references[references.length - 1], references } : {}),
        headers: {
          'Thread-Index': threadIndexFor(message.conversationId, state.threadIndexRoot ?? null, seq),
          'X-Balie-Conversation': String(message.conversation.number),
          ...(message.autoSubmitted ? automaticHeaders(message.autoSubmitted) : {}),
        },
        attachments,
        ...(settings.dkimDomain && settings.dkimSelector && ctx.secrets.dkimPrivateKey
          ? { dkim: { domainName: settings.dkimDomain, keySelector: settings.dkimSelector, privateKey: ctx.secrets.dkimPrivateKey } }
          : {}),
      });
      if (info.rejected?.length && !info.accepted?.length) {
        return { ok: false, code: 'recipient_rejected', message: `The mail server refused ${info.rejected.join(', ')}`, retryable: false };
      }
      const next: EmailThreadState = { ...state, seq, references: [...(state.references ?? []), messageId].slice(-20), lastMessageId: messageId, subject: state.subject ?? base };
      return { ok: true, externalId: messageId, channelState: { email: next } };
    } catch (err) {
      return smtpFailure(err, choice.describe);
    }
  },
  checkConnection: async (ctx) => checkImap(ctx.settings, ctx.secrets, { allowPrivateHosts: ctx.allowPrivateMailHosts ?? false }),
};

/** nodemailer errors → a code and whether trying again can help (5xx answers and bad logins cannot). */
export function smtpFailure(err: unknown, where: string) {
  const e = err as { code?: string; responseCode?: number; message?: string };
  const text = (e.message ?? String(err)).slice(0, 300);
  if (e.code === 'mail_host_blocked') return { ok: false as const, code: 'smtp_host_blocked', message: text, retryable: false };
  if (e.code === 'EAUTH') return { ok: false as const, code: 'smtp_auth_failed', message: `${where} refused the login: ${text}`, retryable: false };
  if (e.code === 'EDNS' || /ENOTFOUND|EAI_AGAIN/.test(text)) return { ok: false as const, code: 'smtp_dns', message: `${where} could not be found (DNS): ${text}`, retryable: true };
  if (e.code === 'ETLS' || /certificate|ssl|tls/i.test(text)) return { ok: false as const, code: 'smtp_tls', message: `TLS with ${where} failed: ${text}`, retryable: false };
  if (e.responseCode && e.responseCode >= 500) return { ok: false as const, code: `smtp_${e.responseCode}`, message: `${where} refused the mail: ${text}`, retryable: false };
  if (e.responseCode && e.responseCode >= 400) return { ok: false as const, code: `smtp_${e.responseCode}`, message: `${where} deferred the mail: ${text}`, retryable: true };
  return { ok: false as const, code: 'smtp_connection', message: `Could not deliver through ${where}: ${text}`, retryable: true };
}
