import { z } from 'zod';
import type { ChannelAdapter, MessageTemplate, OutboundMessage, SendContext, SendResult } from '../channel';
import { callProvider, hoursSinceCustomer, multipart, networkFailure } from '../provider-http';
import { verifyMeta } from '../meta/signature';
import { GRAPH_API, GRAPH_VERSION, metaSecretsSchema } from '../meta/graph';
import { graphError } from '../meta/graph-error';
import { parseWhatsAppWebhook } from './parse';


const settingsSchema = z.object({
  phoneNumberId: z.string().regex(/^\d{5,30}$/, 'must be the numeric phone number id from the WhatsApp Manager'),
  /** WhatsApp Business Account id: needed to sync the approved message templates. */
  businessAccountId: z.string().regex(/^\d{5,30}$/).optional(),
  apiBaseUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
  /** An SMS inbox that takes over when a WhatsApp message cannot be delivered. */
  fallbackInboxId: z.uuid().optional(),
});
const secretsSchema = metaSecretsSchema;
type Settings = z.infer<typeof settingsSchema>;
type Secrets = z.infer<typeof secretsSchema>;
type Ctx = SendContext<Settings, Secrets>;

const graph = (ctx: Ctx, path: string) => `${(ctx.settings.apiBaseUrl ?? GRAPH_API).replace(/\/+$/, '')}/${GRAPH_VERSION}/${path}`;
const auth = (ctx: Ctx) => ({ authorization: `Bearer ${ctx.secrets.accessToken}` });

/** The customer's WhatsApp id (their number without "+"), from the identities ingest stored. */
function recipientOf(message: OutboundMessage): string | null {
  const id = message.recipient.identities.find((i) => i.kind === 'whatsapp') ?? message.recipient.identities.find((i) => i.kind === 'phone');
  return id ? id.value.replace(/^\+/, '') : null;
}

const mediaType = (contentType: string) =>
  contentType.startsWith('image/') ? 'image' : contentType.startsWith('video/') ? 'video' : contentType.startsWith('audio/') ? 'audio' : 'document';

/** A template to send outside the 24-hour window, chosen and filled in by the agent in the composer. */
const templateAttr = z.object({ name: z.string().min(1).max(512), language: z.string().min(2).max(15), variables: z.array(z.string().max(1000)).max(20).default([]) });

async function post(ctx: Ctx, body: Record<string, unknown>): Promise<SendResult> {
  const res = await callProvider(ctx.http, graph(ctx, `${ctx.settings.phoneNumberId}/messages`), {
    method: 'POST',
    headers: auth(ctx),
    json: { messaging_product: 'whatsapp', recipient_type: 'individual', ...body },
  });
  const id = (res.json as { messages?: { id?: string }[] } | null)?.messages?.[0]?.id;
  if (res.status >= 200 && res.status < 300 && id) return { ok: true, externalId: id };
  return graphError(res);
}

async function uploadMedia(ctx: Ctx, file: OutboundMessage['attachments'][number]): Promise<{ ok: true; id: string } | Extract<SendResult, { ok: false }>> {
  const form = multipart([
    { name: 'messaging_product', value: 'whatsapp' },
    { name: 'type', value: file.contentType },
    { name: 'file', fileName: file.fileName, contentType: file.contentType, data: await file.read() },
  ]);
  const res = await callProvider(ctx.http, graph(ctx, `${ctx.settings.phoneNumberId}/media`), {
    method: 'POST',
    headers: { ...auth(ctx), 'content-type': form.contentType },
    body: form.body,
    timeoutMs: 60_000,
  });
  const id = (res.json as { id?: string } | null)?.id;
  if (res.status >= 200 && res.status < 300 && id) return { ok: true, id };
  return graphError(res);
}

/**
 * WhatsApp Cloud API. Free-form replies only within 24 hours of the customer's last message; outside it an
 * approved template must be used (the Cloud API would answer 131047). Media is uploaded to the media API,
 * so the customer never needs access to Balie's file URLs.
 */
export const whatsappChannel: ChannelAdapter<Settings, Secrets> = {
  kind: 'whatsapp',
  capabilities: { attachments: true, templates: true, readReceipts: true, window24h: true, maxLength: 4096, idempotentSend: false },
  settingsSchema,
  secretsSchema,
  receivesWebhooks: true,
  verifyWebhook: (req, { secrets }) => verifyMeta(req, secrets.appSecret, secrets.verifyToken),
  parseInbound: (req) => parseWhatsAppWebhook(req.rawBody),

  async send(message, ctx) {
    const to = recipientOf(message);
    if (!to) return { ok: false, code: 'no_recipient', message: 'The contact has no WhatsApp number.', retryable: false };
    try {
      const template = message.contentAttributes.template !== undefined ? templateAttr.safeParse(message.contentAttributes.template) : null;
      if (template && !template.success) return { ok: false, code: 'invalid_template', message: 'The template choice is incomplete.', retryable: false };
      if (template?.success) {
        const t = template.data;
        return await post(ctx, {
          to,
          type: 'template',
          template: {
            name: t.name,
            language: { code: t.language },
            ...(t.variables.length ? { components: [{ type: 'body', parameters: t.variables.map((text) => ({ type: 'text', text })) }] } : {}),
          },
        });
      }
      if (hoursSinceCustomer(message.conversation.channelState, ctx.now) >= 24) {
        return {
          ok: false,
          code: 'outside_window',
          message: 'More than 24 hours since the customer last wrote: WhatsApp only allows an approved template now.',
          retryable: false,
        };
      }
      if (message.content.length > 4096) return { ok: false, code: 'too_long', message: 'WhatsApp messages can be at most 4096 characters.', retryable: false };
      let last: SendResult | null = null;
      const files = message.attachments;
      for (const [i, file] of files.entries()) {
        const up = await uploadMedia(ctx, file);
        if (!up.ok) return up;
        const type = mediaType(file.contentType);
        // The text goes with the first file as its caption (not possible for audio), else as its own message.
        const caption = i === 0 && type !== 'audio' && message.content.length <= 1024 ? message.content : undefined;
        last = await post(ctx, { to, type, [type]: { id: up.id, ...(caption ? { caption } : {}), ...(type === 'document' ? { filename: file.fileName } : {}) } });
        if (!last.ok) return last;
        if (caption !== undefined) message = { ...message, content: '' };
      }
      if (message.content.trim()) last = await post(ctx, { to, type: 'text', text: { body: message.content, preview_url: false } });
      return last ?? { ok: false, code: 'empty_message', message: 'Nothing to send.', retryable: false };
    } catch (err) {
      return networkFailure(err);
    }
  },

  async fetchMedia(ref, ctx) {
    // Two steps: the media id gives a short-lived URL, which is downloaded with the same token.
    const meta = await callProvider(ctx.http, graph(ctx, encodeURIComponent(ref.id)), { method: 'GET', headers: auth(ctx) });
    const info = meta.json as { url?: string; mime_type?: string } | null;
    if (meta.status !== 200 || !info?.url) throw new Error(`media ${ref.id}: ${graphError(meta).message}`);
    const file = await ctx.http.request(info.url, { method: 'GET', headers: auth(ctx), timeoutMs: 60_000 });
    if (file.status !== 200) throw new Error(`media ${ref.id}: download answered HTTP ${file.status}`);
    const contentType = ref.contentType ?? info.mime_type ?? 'application/octet-stream';
    return { fileName: ref.fileName ?? `${mediaType(contentType)}-${ref.id}.${(contentType.split('/')[1] ?? 'bin').split(';')[0]}`, contentType, data: file.body };
  },

  async listTemplates(ctx) {
    if (!ctx.settings.businessAccountId) return [];
    const out: MessageTemplate[] = [];
    let url: string | undefined = graph(ctx, `${ctx.settings.businessAccountId}/message_templates?limit=100&fields=name,language,status,category,components`);
    for (let page = 0; url && page < 20; page++) {
      const res = await callProvider(ctx.http, url, { method: 'GET', headers: auth(ctx) });
      if (res.status !== 200) throw new Error(graphError(res).message);
      const json = res.json as { data?: { name: string; language: string; status: string; category: string; components?: { type: string; text?: string }[] }[]; paging?: { next?: string } };
      for (const t of json.data ?? []) {
        const body = t.components?.find((c) => c.type === 'BODY')?.text ?? '';
        const variables = new Set([...body.matchAll(/\{\{(\d+)\}\}/g)].map((m) => m[1])).size;
        out.push({ name: t.name, language: t.language, status: t.status, category: t.category, body, variables });
      }
      // Follow the provider's paging only on the same host (it is Meta's absolute URL).
      url = json.paging?.next && new URL(json.paging.next).host === new URL(graph(ctx, '')).host ? json.paging.next : undefined;
    }
    return out.filter((t) => t.status === 'APPROVED');
  },

  async checkConnection(ctx) {
    try {
      const res = await callProvider(ctx.http, graph(ctx, `${ctx.settings.phoneNumberId}?fields=display_phone_number,verified_name`), { method: 'GET', headers: auth(ctx) });
      if (res.status !== 200) return { ok: false, code: graphError(res).code, message: graphError(res).message };
      const j = res.json as { display_phone_number?: string; verified_name?: string };
      return { ok: true, detail: [j.verified_name, j.display_phone_number].filter(Boolean).join(' · ') };
    } catch (err) {
      return { ok: false, code: 'network_error', message: (err as Error).message };
    }
  },
};
