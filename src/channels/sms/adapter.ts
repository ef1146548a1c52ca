import { z } from 'zod';
import type { ChannelAdapter, ParsedInbound, SendContext } from '../channel';
import { eventIdOf } from '../provider-http';
import { formParams, verifyTwilio } from '../twilio/signature';
import { twilioAuth, twilioBase, twilioCall, twilioError, twilioSafe } from '../twilio/api';
import { normalizePhone } from '../../domain/identity';
import { smsSegments } from '../../shared/sms-segments';

const settingsSchema = z.object({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be the Account SID from the Twilio console (AC…)'),
  phoneNumber: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be the Twilio number in E.164 form, like +3197010200300'),
  apiBaseUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
});
const secretsSchema = z.object({ authToken: z.string().min(16).max(200) });
type Settings = z.infer<typeof settingsSchema>;
type Secrets = z.infer<typeof secretsSchema>;
type Ctx = SendContext<Settings, Secrets>;

/** The keywords carriers and Twilio treat as opt-out and opt-in (Twilio Advanced Opt-Out defaults). */
export const OPT_OUT = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE', 'STOP ALL'];
export const OPT_IN = ['START', 'YES', 'UNSTOP', 'OPTIN'];
const keyword = (body: string) => body.trim().toUpperCase().replace(/[.!]+$/, '');

/** Twilio splits a body of up to 1600 characters into segments itself; longer ones it refuses (21617). */
const MAX_BODY = 1600;
/** Twilio's MMS limits: 10 media URLs per message and 5 MB in total. */
const MAX_MEDIA = 10;
const MAX_MEDIA_BYTES = 5 * 1024 * 1024;
const FINAL_STATUSES: Record<string, 'sent' | 'delivered' | 'read' | 'failed'> = { sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed', undelivered: 'failed' };

/**
 * SMS through Twilio Programmable Messaging. Inbound SMS/MMS and status callbacks arrive as form posts
 * signed with X-Twilio-Signature; STOP/START keywords are recorded on the conversation and a stopped
 * customer is not written to (Twilio would refuse with 21610 anyway).
 */
export const smsChannel: ChannelAdapter<Settings, Secrets> = {
  kind: 'sms',
  // Outbound files go as MMS: Twilio fetches each MediaUrl, a signed link that expires (app/media-links.ts).
  capabilities: { attachments: true, templates: false, readReceipts: false, window24h: false, maxLength: MAX_BODY, idempotentSend: false },
  settingsSchema,
  secretsSchema,
  receivesWebhooks: true,
  webhookAck: { contentType: 'text/xml', body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' },
  verifyWebhook: (req, { secrets }) => verifyTwilio(req, secrets.authToken),
  parseInbound(req, { settings }) {
    const p = new Map(formParams(req.rawBody));
    const sid = p.get('MessageSid') ?? p.get('SmsSid');
    if (!sid) throw new Error('not a Twilio messaging webhook (no MessageSid)');
    if (p.get('AccountSid') && p.get('AccountSid') !== settings.accountSid) throw new Error('webhook for another Twilio account');
    const status = p.get('MessageStatus') ?? p.get('SmsStatus');
    // An inbound message's own callback says "received"; everything else with a status is about ours.
    if (status && status !== 'received') {
      const mapped = FINAL_STATUSES[status];
      const eventId = eventIdOf('twilio', [`s:${sid}:${status}`], req.rawBody);
      if (!mapped) return { eventId, items: [{ type: 'ignored', reason: `status ${status}` }] };
      const code = p.get('ErrorCode');
      const reason = mapped === 'failed' ? `${status}${code ? `: Twilio error ${code}` : ''}${p.get('ErrorMessage') ? ` — ${p.get('ErrorMessage')}` : ''}` : undefined;
      return { eventId, items: [{ type: 'status', externalId: sid, status: mapped, reason }] };
    }
    const from = p.get('From') ?? '';
    const body = p.get('Body') ?? '';
    const media = [];
    const count = Math.min(Number(p.get('NumMedia') ?? 0) || 0, 10);
    for (let i = 0; i < count; i++) {
      const url = p.get(`MediaUrl${i}`);
      if (url) media.push({ id: url.split('/').pop() ?? `${sid}-${i}`, url, contentType: p.get(`MediaContentType${i}`) });
    }
    const kw = keyword(body);
    const optOut = OPT_OUT.includes(kw) ? true : OPT_IN.includes(kw) ? false : undefined;
    const phone = normalizePhone(from);
    const item: ParsedInbound = {
      type: 'message',
      message: {
        externalId: sid,
        contact: { identities: [{ kind: 'phone', value: phone.ok ? phone.value : from, verified: true }] },
        content: body,
        contentAttributes: { ...(p.get('NumSegments') ? { segments: Number(p.get('NumSegments')) } : {}), ...(optOut !== undefined ? { smsOptOut: optOut } : {}) },
        ...(optOut !== undefined ? { channelState: { smsOptedOut: optOut } } : {}),
        mediaToFetch: media,
      },
    };
    return { eventId: eventIdOf('twilio', [`m:${sid}`], req.rawBody), items: [item] };
  },

  async send(message, ctx: Ctx) {
    const to = message.recipient.identities.find((i) => i.kind === 'phone')?.value;
    if (!to) return { ok: false, code: 'no_recipient', message: 'The contact has no phone number.', retryable: false };
    if (message.conversation.channelState.smsOptedOut === true) {
      return { ok: false, code: 'recipient_opted_out', message: 'The customer replied STOP to this number; they can opt in again with START.', retryable: false };
    }
    if (message.content.length > MAX_BODY) return { ok: false, code: 'too_long', message: `An SMS can be at most ${MAX_BODY} characters (${smsSegments(message.content).segments} segments).`, retryable: false };
    const media = message.attachments;
    if (!message.content.trim() && media.length === 0) return { ok: false, code: 'empty_message', message: 'An SMS needs text.', retryable: false };
    if (media.length > MAX_MEDIA) return { ok: false, code: 'too_many_attachments', message: `An MMS can carry at most ${MAX_MEDIA} files.`, retryable: false };
    if (media.reduce((n, f) => n + f.size, 0) > MAX_MEDIA_BYTES) return { ok: false, code: 'attachment_too_large', message: 'The files of an MMS may be at most 5 MB together.', retryable: false };
    if (media.some((f) => !f.publicUrl)) return { ok: false, code: 'attachment_unavailable', message: 'The file has no link Twilio can fetch.', retryable: false };
    return twilioSafe(async () => {
      const res = await twilioCall(ctx.http, { ...ctx.settings, ...ctx.secrets }, 'POST', '/Messages.json', {
        To: to,
        From: ctx.settings.phoneNumber,
        ...(message.content.trim() ? { Body: message.content } : {}),
        ...(media.length ? { MediaUrl: media.map((f) => f.publicUrl!) } : {}),
        StatusCallback: `${ctx.publicUrl}/webhooks/sms/${ctx.inboxId}`,
      });
      const sid = (res.json as { sid?: string } | null)?.sid;
      if ((res.status === 200 || res.status === 201) && sid) return { ok: true, externalId: sid };
      return twilioError(res);
    });
  },

  async fetchMedia(ref, ctx) {
    // MMS media URLs come from the (signed) webhook; only Twilio's own API host gets our credentials.
    if (!ref.url || !ref.url.startsWith(`${twilioBase(ctx.settings)}/`)) throw new Error('media URL is not on the Twilio API host');
    const res = await ctx.http.request(ref.url, { method: 'GET', headers: { authorization: twilioAuth({ ...ctx.settings, ...ctx.secrets }) }, timeoutMs: 60_000 });
    if (res.status !== 200) throw new Error(`media download answered HTTP ${res.status}`);
    const contentType = ref.contentType ?? String(res.headers['content-type'] ?? 'application/octet-stream');
    return { fileName: `mms-${ref.id}.${(contentType.split('/')[1] ?? 'bin').split(';')[0]}`, contentType, data: res.body };
  },

  async checkConnection(ctx) {
    return twilioSafe(async () => {
      const res = await twilioCall(ctx.http, { ...ctx.settings, ...ctx.secrets }, 'GET', `/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent(ctx.settings.phoneNumber)}`);
      if (res.status !== 200) return twilioError(res);
      const numbers = (res.json as { incoming_phone_numbers?: { sms_url?: string }[] }).incoming_phone_numbers ?? [];
      if (numbers.length === 0) return { ok: false, code: 'number_not_in_account', message: `${ctx.settings.phoneNumber} is not a number of this Twilio account.`, retryable: false };
      return { ok: true, externalId: numbers[0]!.sms_url ?? '' };
    }).then((r) =>
      r.ok
        ? { ok: true as const, detail: r.externalId === `${ctx.publicUrl}/webhooks/sms/${ctx.inboxId}` ? 'webhook_set' : 'webhook_not_set' }
        : { ok: false as const, code: r.code, message: r.message },
    );
  },
};
