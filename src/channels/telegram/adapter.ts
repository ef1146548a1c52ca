import { z } from 'zod';
import type { ChannelAdapter, OutboundMessage, ParsedInbound, SendContext, SendResult } from '../channel';
import { callProvider, multipart, networkFailure, retryableStatus, safeEqual, type ProviderResponse } from '../provider-http';
import { escapeMarkdownV2, markdownToTelegram } from './markdown-v2';

export const TELEGRAM_API = 'https://api.telegram.org';

const settingsSchema = z.object({ apiBaseUrl: z.url({ protocol: /^https?$/ }).max(500).optional() });
const secretsSchema = z.object({
  botToken: z.string().regex(/^\d+:[\w-]{20,}$/, 'must be the token @BotFather gave, like 123456:ABC-…'),
  /** Telegram sends it back in X-Telegram-Bot-Api-Secret-Token; 1–256 characters of A-Z a-z 0-9 _ -. */
  secretToken: z.string().regex(/^[\w-]{16,256}$/, 'must be 16–256 characters of letters, digits, _ and -'),
});
type Settings = z.infer<typeof settingsSchema>;
type Secrets = z.infer<typeof secretsSchema>;
type Ctx = SendContext<Settings, Secrets>;

const base = (s: Settings) => (s.apiBaseUrl ?? TELEGRAM_API).replace(/\/+$/, '');
const method = (ctx: Ctx, name: string) => `${base(ctx.settings)}/bot${ctx.secrets.botToken}/${name}`;

const user = z.looseObject({ id: z.number(), is_bot: z.boolean().optional(), first_name: z.string().optional(), last_name: z.string().optional(), username: z.string().optional() });
const photoSize = z.looseObject({ file_id: z.string(), file_unique_id: z.string().optional(), file_size: z.number().optional(), width: z.number().optional() });
const tgMessage = z.looseObject({
  message_id: z.number(),
  from: user.optional(),
  chat: z.looseObject({ id: z.number(), type: z.string() }),
  date: z.number(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(photoSize).optional(),
  document: z.looseObject({ file_id: z.string(), file_name: z.string().optional(), mime_type: z.string().optional() }).optional(),
  voice: z.looseObject({ file_id: z.string(), mime_type: z.string().optional() }).optional(),
  video: z.looseObject({ file_id: z.string(), file_name: z.string().optional(), mime_type: z.string().optional() }).optional(),
});
const update = z.looseObject({ update_id: z.number(), message: tgMessage.optional(), edited_message: tgMessage.optional() });

/** Telegram answers {"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}. */
function telegramError(res: ProviderResponse): Extract<SendResult, { ok: false }> {
  const j = (res.json ?? {}) as { error_code?: number; description?: string; parameters?: { retry_after?: number } };
  const status = j.error_code ?? res.status;
  const message = (j.description ?? `HTTP ${res.status}`).slice(0, 400);
  const code = status === 403 ? 'bot_blocked' : status === 429 ? 'rate_limited' : `telegram_${status}`;
  return { ok: false, code, message: j.parameters?.retry_after ? `${message} (retry after ${j.parameters.retry_after}s)` : message, retryable: retryableStatus(status) };
}

function chatIdOf(message: OutboundMessage): string | null {
  const fromState = message.conversation.channelState.telegramChatId;
  if (typeof fromState === 'string' || typeof fromState === 'number') return String(fromState);
  return message.recipient.identities.find((i) => i.kind === 'telegram')?.value ?? null;
}

const formatted = (message: OutboundMessage) => (message.contentType === 'markdown' ? markdownToTelegram(message.content) : escapeMarkdownV2(message.content));

async function sendJson(ctx: Ctx, name: string, body: Record<string, unknown>): Promise<SendResult> {
  const res = await callProvider(ctx.http, method(ctx, name), { method: 'POST', json: body });
  const id = (res.json as { ok?: boolean; result?: { message_id?: number } } | null)?.result?.message_id;
  if (res.status === 200 && id !== undefined) return { ok: true, externalId: `${body.chat_id}:${id}` };
  return telegramError(res);
}

/**
 * Telegram Bot API. The webhook is registered with setWebhook (by "check connection"), with a secret token
 * Telegram echoes in X-Telegram-Bot-Api-Secret-Token. Text goes out as MarkdownV2, escaped so that no agent
 * text can break the message.
 */
export const telegramChannel: ChannelAdapter<Settings, Secrets> = {
  kind: 'telegram',
  // 4096 characters after entity parsing; escaping adds backslashes that do not count.
  capabilities: { attachments: true, templates: false, readReceipts: false, window24h: false, maxLength: 4096, idempotentSend: false },
  settingsSchema,
  secretsSchema,
  receivesWebhooks: true,
  registersWebhook: true,
  verifyWebhook(req, { secrets }) {
    const got = req.headers['x-telegram-bot-api-secret-token'];
    if (req.method !== 'POST') return { ok: false, status: 403, code: 'method_not_allowed', message: 'Telegram webhooks are POSTs.' };
    if (!got) return { ok: false, status: 401, code: 'secret_token_missing', message: 'X-Telegram-Bot-Api-Secret-Token is missing.' };
    if (!secrets.secretToken || !safeEqual(got, secrets.secretToken)) return { ok: false, status: 401, code: 'secret_token_invalid', message: 'X-Telegram-Bot-Api-Secret-Token does not match.' };
    return { ok: true };
  },
  parseInbound(req) {
    const u = update.parse(JSON.parse(req.rawBody.toString('utf8')));
    const m = u.message ?? u.edited_message;
    const eventId = `tg:${u.update_id}`;
    if (!m || !m.from || m.from.is_bot) return { eventId, items: [{ type: 'ignored', reason: 'not a customer message' }] };
    const name = [m.from.first_name, m.from.last_name].filter(Boolean).join(' ') || m.from.username;
    const media = [];
    // Telegram sends every size of a photo; the last is the largest.
    if (m.photo?.length) media.push({ id: m.photo[m.photo.length - 1]!.file_id, contentType: 'image/jpeg', fileName: `photo-${m.message_id}.jpg` });
    if (m.document) media.push({ id: m.document.file_id, contentType: m.document.mime_type, fileName: m.document.file_name });
    if (m.video) media.push({ id: m.video.file_id, contentType: m.video.mime_type, fileName: m.video.file_name });
    if (m.voice) media.push({ id: m.voice.file_id, contentType: m.voice.mime_type ?? 'audio/ogg', fileName: `voice-${m.message_id}.ogg` });
    const item: ParsedInbound = {
      type: 'message',
      message: {
        // An edit is a new message for the agent (the original stays as it was received).
        externalId: u.edited_message ? `${m.chat.id}:${m.message_id}:edit:${u.update_id}` : `${m.chat.id}:${m.message_id}`,
        contact: {
          identities: [{ kind: 'telegram', value: String(m.from.id), verified: true }],
          name,
        },
        content: m.text ?? m.caption ?? '',
        contentAttributes: { ...(m.from.username ? { telegramUsername: m.from.username } : {}), ...(u.edited_message ? { edited: true } : {}) },
        sentAt: new Date(m.date * 1000),
        channelState: { telegramChatId: String(m.chat.id) },
        mediaToFetch: media,
      },
    };
    return { eventId, items: [item] };
  },

  async send(message, ctx) {
    const chatId = chatIdOf(message);
    if (!chatId) return { ok: false, code: 'no_recipient', message: 'The contact has no Telegram chat.', retryable: false };
    if (message.content.length > 4096) return { ok: false, code: 'too_long', message: 'Telegram messages can be at most 4096 characters.', retryable: false };
    try {
      let last: SendResult | null = null;
      let text = message.content;
      for (const [i, file] of message.attachments.entries()) {
        const isPhoto = /^image\/(jpeg|png|webp)$/.test(file.contentType) && file.size <= 10 * 1024 * 1024;
        const caption = i === 0 && text.length <= 1024 && text.trim() ? formatted({ ...message, content: text }) : undefined;
        const form = multipart([
          { name: 'chat_id', value: chatId },
          ...(caption ? [{ name: 'caption', value: caption }, { name: 'parse_mode', value: 'MarkdownV2' }] : []),
          { name: isPhoto ? 'photo' : 'document', fileName: file.fileName, contentType: file.contentType, data: await file.read() },
        ]);
        const res = await callProvider(ctx.http, method(ctx, isPhoto ? 'sendPhoto' : 'sendDocument'), { method: 'POST', headers: { 'content-type': form.contentType }, body: form.body, timeoutMs: 60_000 });
        const id = (res.json as { result?: { message_id?: number } } | null)?.result?.message_id;
        if (res.status !== 200 || id === undefined) return telegramError(res);
        last = { ok: true, externalId: `${chatId}:${id}` };
        if (caption) text = '';
      }
      if (text.trim()) last = await sendJson(ctx, 'sendMessage', { chat_id: chatId, text: formatted({ ...message, content: text }), parse_mode: 'MarkdownV2', link_preview_options: { is_disabled: true } });
      return last ?? { ok: false, code: 'empty_message', message: 'Nothing to send.', retryable: false };
    } catch (err) {
      return networkFailure(err);
    }
  },

  async fetchMedia(ref, ctx) {
    const res = await callProvider(ctx.http, `${method(ctx, 'getFile')}?file_id=${encodeURIComponent(ref.id)}`, { method: 'GET' });
    const path = (res.json as { result?: { file_path?: string } } | null)?.result?.file_path;
    if (res.status !== 200 || !path) throw new Error(`getFile: ${telegramError(res).message}`);
    const file = await ctx.http.request(`${base(ctx.settings)}/file/bot${ctx.secrets.botToken}/${path}`, { method: 'GET', timeoutMs: 60_000 });
    if (file.status !== 200) throw new Error(`file download answered HTTP ${file.status}`);
    return { fileName: ref.fileName ?? path.split('/').pop() ?? ref.id, contentType: ref.contentType ?? 'application/octet-stream', data: file.body };
  },

  /** getMe proves the token; setWebhook points the bot at this inbox with the secret token. */
  async checkConnection(ctx) {
    try {
      const me = await callProvider(ctx.http, method(ctx, 'getMe'), { method: 'GET' });
      if (me.status !== 200) return { ok: false, code: telegramError(me).code, message: telegramError(me).message };
      const hook = await callProvider(ctx.http, method(ctx, 'setWebhook'), {
        method: 'POST',
        json: { url: `${ctx.publicUrl}/webhooks/telegram/${ctx.inboxId}`, secret_token: ctx.secrets.secretToken, allowed_updates: ['message', 'edited_message'], drop_pending_updates: false },
      });
      if (hook.status !== 200) return { ok: false, code: telegramError(hook).code, message: telegramError(hook).message };
      const username = (me.json as { result?: { username?: string } }).result?.username;
      return { ok: true, detail: username ? `@${username}` : undefined };
    } catch (err) {
      return { ok: false, code: 'network_error', message: (err as Error).message };
    }
  },
};
