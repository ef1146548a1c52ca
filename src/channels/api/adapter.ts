import crypto from 'node:crypto';
import { z } from 'zod';
import type { ChannelAdapter } from '../channel';
import { signBody } from '../../app/signature';

const settingsSchema = z.object({
  /** Where agent replies are POSTed; without it, replies are only available through the API and webhooks. */
  webhookUrl: z.url({ protocol: /^https?$/ }).max(2000).optional(),
});
const secretsSchema = z.object({ webhookSecret: z.string().min(16).max(200).optional() });

/**
 * The API channel: any system can bring conversations in with POST /api/v1/inboxes/{id}/inbound and receives
 * the agents' replies as signed webhooks. Receivers deduplicate by X-Balie-Delivery (the message id).
 */
export const apiChannel: ChannelAdapter<z.infer<typeof settingsSchema>, z.infer<typeof secretsSchema>> = {
  kind: 'api',
  capabilities: { attachments: true, templates: false, readReceipts: false, window24h: false, maxLength: null, idempotentSend: true },
  settingsSchema,
  secretsSchema,
  receivesWebhooks: false,
  async send(message, ctx) {
    if (!ctx.settings.webhookUrl) return { ok: true, externalId: message.id };
    const body = JSON.stringify({
      event: 'message.outbound',
      message: {
        id: message.id,
        conversationId: message.conversationId,
        content: message.content,
        contentType: message.contentType,
        attachments: message.attachments.map((a) => ({ fileName: a.fileName, contentType: a.contentType, size: a.size, url: a.url })),
      },
      conversation: { id: message.conversationId, number: message.conversation.number },
      contact: message.recipient,
    });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-balie-event': 'message.outbound',
      'x-balie-delivery': message.id,
    };
    if (ctx.secrets.webhookSecret) headers['x-balie-signature'] = signBody(ctx.secrets.webhookSecret, body);
    try {
      const res = await ctx.http.request(ctx.settings.webhookUrl, { method: 'POST', headers, body, timeoutMs: 10_000 });
      if (res.status >= 200 && res.status < 300) {
        let externalId = message.id;
        try {
          const parsed = JSON.parse(res.body.toString('utf8')) as { id?: unknown };
          if (typeof parsed.id === 'string' && parsed.id.length > 0 && parsed.id.length <= 255) externalId = parsed.id;
        } catch {
          /* a receiver may answer with an empty or non-JSON body */
        }
        return { ok: true, externalId };
      }
      const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
      return { ok: false, code: `http_${res.status}`, message: `The receiver answered HTTP ${res.status}`, retryable };
    } catch (err) {
      const blocked = (err as { code?: string }).code === 'blocked_address';
      return { ok: false, code: blocked ? 'blocked_address' : 'network_error', message: (err as Error).message, retryable: !blocked };
    }
  },
};

export const generateWebhookSecret = () => crypto.randomBytes(24).toString('base64url');
