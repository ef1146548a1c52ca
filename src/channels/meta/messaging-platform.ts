import { z } from 'zod';
import type { ChannelAdapter, MediaRef, ParsedInbound, SendContext, SendResult } from '../channel';
import { callProvider, eventIdOf, hoursSinceCustomer, multipart, networkFailure } from '../provider-http';
import { verifyMeta } from './signature';
import { GRAPH_API, GRAPH_VERSION, metaSecretsSchema } from './graph';
import { graphError } from './graph-error';


const settingsSchema = z.object({
  pageId: z.string().regex(/^\d{5,30}$/, 'must be the numeric id of the Facebook page (or Instagram account)'),
  apiBaseUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
  /** Replies between 24 hours and 7 days after the customer's last message go out with the HUMAN_AGENT tag. */
  humanAgentTag: z.boolean().optional(),
});
const secretsSchema = metaSecretsSchema;
type Settings = z.infer<typeof settingsSchema>;
type Secrets = z.infer<typeof secretsSchema>;
type Ctx = SendContext<Settings, Secrets>;

const messagingEvent = z.looseObject({
  sender: z.looseObject({ id: z.string() }),
  recipient: z.looseObject({ id: z.string() }),
  timestamp: z.number().optional(),
  message: z
    .looseObject({
      mid: z.string(),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      is_deleted: z.boolean().optional(),
      attachments: z.array(z.looseObject({ type: z.string(), payload: z.looseObject({ url: z.string().optional() }).nullable().optional() })).optional(),
      reply_to: z.looseObject({ mid: z.string().optional() }).optional(),
    })
    .optional(),
  delivery: z.looseObject({ mids: z.array(z.string()).optional(), watermark: z.number().optional() }).optional(),
  read: z.looseObject({ watermark: z.number().optional(), mid: z.string().optional() }).optional(),
  postback: z.looseObject({ mid: z.string().optional(), title: z.string().optional(), payload: z.string().optional() }).optional(),
});
const webhook = z.looseObject({
  object: z.enum(['page', 'instagram']),
  entry: z.array(z.looseObject({ id: z.string(), time: z.number().optional(), messaging: z.array(messagingEvent).optional() })),
});

const attachmentType = (contentType: string) =>
  contentType.startsWith('image/') ? 'image' : contentType.startsWith('video/') ? 'video' : contentType.startsWith('audio/') ? 'audio' : 'file';

/** What Instagram messaging takes by link (Meta's media table): PNG/JPEG/GIF up to 8 MB, video, audio and PDF up to 25 MB. */
function instagramMedia(file: { contentType: string; size: number }): { type: string } | { error: string } {
  const t = file.contentType.toLowerCase().split(';')[0]!.trim();
  const type = /^image\/(png|jpeg|gif)$/.test(t)
    ? 'image'
    : /^video\/(mp4|ogg|x-msvideo|avi|quicktime|webm)$/.test(t)
      ? 'video'
      : /^audio\/(aac|mp4|x-m4a|m4a|wav|x-wav|mpeg)$/.test(t)
        ? 'audio'
        : t === 'application/pdf'
          ? 'file'
          : null;
  if (!type) return { error: `Instagram does not take ${t || 'this kind of'} files (PNG, JPEG, GIF, video, audio and PDF only).` };
  if (file.size > (type === 'image' ? 8 : 25) * 1024 * 1024) return { error: `Instagram takes ${type} files up to ${type === 'image' ? 8 : 25} MB.` };
  return { type };
}

/**
 * Messenger and Instagram messaging share the Send API, the webhook shape ("messaging" events) and Meta's
 * signature; they differ in the identity kind, the webhook object and the profile fields. Free replies go
 * out within 24 hours of the customer's last message; up to 7 days with the HUMAN_AGENT tag when the page
 * was approved for it (setting `humanAgentTag`); later not at all.
 */
export function metaMessagingChannel(opts: {
  kind: 'messenger' | 'instagram';
  object: 'page' | 'instagram';
  profileFields: string;
  /**
   * How files go out: `upload` sends the bytes with the Send API call (Messenger, multipart `filedata`); `url`
   * gives the Send API a link Meta fetches itself (Instagram), Balie's signed, expiring media link.
   */
  media: 'upload' | 'url';
  maxLength: number;
}): ChannelAdapter<Settings, Secrets> {
  const graph = (ctx: Ctx, path: string) => `${(ctx.settings.apiBaseUrl ?? GRAPH_API).replace(/\/+$/, '')}/${GRAPH_VERSION}/${path}`;
  const auth = (ctx: Ctx) => ({ authorization: `Bearer ${ctx.secrets.accessToken}` });

  async function sendApi(ctx: Ctx, body: { recipient: { id: string }; messaging_type: string; tag?: string; message: Record<string, unknown> }, file?: { fileName: string; contentType: string; data: Buffer }): Promise<SendResult> {
    const url = graph(ctx, `${ctx.settings.pageId}/messages`);
    const res = file
      ? await (() => {
          const form = multipart([
            { name: 'recipient', value: JSON.stringify(body.recipient) },
            { name: 'messaging_type', value: body.messaging_type },
            ...(body.tag ? [{ name: 'tag', value: body.tag }] : []),
            { name: 'message', value: JSON.stringify(body.message) },
            { name: 'filedata', fileName: file.fileName, contentType: file.contentType, data: file.data },
          ]);
          return callProvider(ctx.http, url, { method: 'POST', headers: { ...auth(ctx), 'content-type': form.contentType }, body: form.body, timeoutMs: 60_000 });
        })()
      : await callProvider(ctx.http, url, { method: 'POST', headers: auth(ctx), json: body });
    const id = (res.json as { message_id?: string } | null)?.message_id;
    if (res.status >= 200 && res.status < 300 && id) return { ok: true, externalId: id };
    return graphError(res);
  }

  return {
    kind: opts.kind,
    capabilities: { attachments: true, templates: false, readReceipts: true, window24h: true, maxLength: opts.maxLength, idempotentSend: false },
    settingsSchema,
    secretsSchema,
    receivesWebhooks: true,
    verifyWebhook: (req, { secrets }) => verifyMeta(req, secrets.appSecret, secrets.verifyToken),
    parseInbound(req, { settings }) {
      const data = webhook.parse(JSON.parse(req.rawBody.toString('utf8')));
      if (data.object !== opts.object) throw new Error(`webhook object ${data.object} is not ${opts.object}`);
      const items: ParsedInbound[] = [];
      const keys: string[] = [];
      for (const entry of data.entry) {
        for (const ev of entry.messaging ?? []) {
          if (ev.message) {
            keys.push(`m:${ev.message.mid}`);
            // Echoes are our own (or another app's) sends to the customer; the delivery report covers ours.
            if (ev.message.is_echo || ev.sender.id === settings.pageId) {
              items.push({ type: 'ignored', reason: 'echo' });
              continue;
            }
            if (ev.message.is_deleted) {
              items.push({ type: 'ignored', reason: 'deleted by the customer' });
              continue;
            }
            const media: MediaRef[] = (ev.message.attachments ?? [])
              .filter((a) => a.payload?.url && ['image', 'video', 'audio', 'file'].includes(a.type))
              .map((a, i) => ({ id: `${ev.message!.mid}-${i}`, url: a.payload!.url! }));
            const sentAt = ev.timestamp ? new Date(ev.timestamp) : undefined;
            items.push({
              type: 'message',
              message: {
                externalId: ev.message.mid,
                contact: { identities: [{ kind: opts.kind, value: ev.sender.id, verified: true }] },
                content: ev.message.text ?? '',
                contentAttributes: ev.message.reply_to?.mid ? { inReplyTo: ev.message.reply_to.mid } : {},
                sentAt,
                channelState: { lastCustomerMessageAt: (sentAt ?? new Date(0)).toISOString() },
                mediaToFetch: media,
              },
            });
          } else if (ev.postback) {
            const mid = ev.postback.mid ?? `postback:${ev.sender.id}:${ev.timestamp ?? 0}`;
            keys.push(`p:${mid}`);
            const sentAt = ev.timestamp ? new Date(ev.timestamp) : undefined;
            items.push({
              type: 'message',
              message: {
                externalId: mid,
                contact: { identities: [{ kind: opts.kind, value: ev.sender.id, verified: true }] },
                content: ev.postback.title ?? ev.postback.payload ?? '',
                contentAttributes: { reply: { id: ev.postback.payload ?? null, title: ev.postback.title ?? null, kind: 'postback' } },
                sentAt,
                channelState: { lastCustomerMessageAt: (sentAt ?? new Date(0)).toISOString() },
              },
            });
          } else if (ev.delivery?.mids?.length) {
            for (const mid of ev.delivery.mids) {
              keys.push(`d:${mid}`);
              items.push({ type: 'status', externalId: mid, status: 'delivered' });
            }
          } else if (ev.read?.mid) {
            keys.push(`r:${ev.read.mid}`);
            items.push({ type: 'status', externalId: ev.read.mid, status: 'read' });
          } else {
            // Messenger's read receipt is a watermark ("everything before t"), not a message id.
            keys.push(`x:${ev.sender.id}:${ev.timestamp ?? 0}:${ev.read?.watermark ?? ev.delivery?.watermark ?? ''}`);
            items.push({ type: 'ignored', reason: ev.read ? 'read watermark' : 'unsupported event' });
          }
        }
      }
      return { eventId: eventIdOf(opts.kind === 'messenger' ? 'fb' : 'ig', keys, req.rawBody), items };
    },

    async send(message, ctx) {
      const psid = message.recipient.identities.find((i) => i.kind === opts.kind)?.value;
      if (!psid) return { ok: false, code: 'no_recipient', message: `The contact has no ${opts.kind} id.`, retryable: false };
      const hours = hoursSinceCustomer(message.conversation.channelState, ctx.now);
      let tagging: { messaging_type: string; tag?: string } = { messaging_type: 'RESPONSE' };
      if (hours >= 24) {
        if (!ctx.settings.humanAgentTag || hours >= 24 * 7) {
          return {
            ok: false,
            code: 'outside_window',
            message: ctx.settings.humanAgentTag
              ? 'More than 7 days since the customer last wrote: Meta allows no reply any more.'
              : 'More than 24 hours since the customer last wrote: Meta allows a reply only with the human-agent tag, which is not enabled for this inbox.',
            retryable: false,
          };
        }
        tagging = { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
      }
      if (message.content.length > opts.maxLength) return { ok: false, code: 'too_long', message: `Messages can be at most ${opts.maxLength} characters.`, retryable: false };
      try {
        // Check every file before the first goes out, so a refused file does not leave half a message sent.
        const byUrl = opts.media === 'url' ? message.attachments.map((f) => ({ file: f, media: instagramMedia(f) })) : [];
        for (const { file, media } of byUrl) {
          if ('error' in media) return { ok: false, code: 'unsupported_attachment', message: media.error, retryable: false };
          if (!file.publicUrl) return { ok: false, code: 'attachment_unavailable', message: 'The file has no link Meta can fetch.', retryable: false };
        }
        let last: SendResult | null = null;
        for (const file of message.attachments) {
          last =
            opts.media === 'upload'
              ? await sendApi(ctx, { recipient: { id: psid }, ...tagging, message: { attachment: { type: attachmentType(file.contentType), payload: { is_reusable: false } } } }, { fileName: file.fileName, contentType: file.contentType, data: await file.read() })
              : await sendApi(ctx, { recipient: { id: psid }, ...tagging, message: { attachment: { type: (instagramMedia(file) as { type: string }).type, payload: { url: file.publicUrl! } } } });
          if (!last.ok) return last;
        }
        if (message.content.trim()) last = await sendApi(ctx, { recipient: { id: psid }, ...tagging, message: { text: message.content } });
        return last ?? { ok: false, code: 'empty_message', message: 'Nothing to send.', retryable: false };
      } catch (err) {
        return networkFailure(err);
      }
    },

    async fetchMedia(ref, ctx) {
      if (!ref.url) throw new Error('attachment without URL');
      // Meta's CDN URLs are signed in themselves; no token is sent along.
      const res = await ctx.http.request(ref.url, { method: 'GET', timeoutMs: 60_000 });
      if (res.status !== 200) throw new Error(`attachment download answered HTTP ${res.status}`);
      const contentType = String(res.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!;
      const ext = (contentType.split('/')[1] ?? 'bin').replace(/[^\w]/g, '');
      return { fileName: `${opts.kind}-${ref.id.replace(/[^\w.-]/g, '').slice(-40)}.${ext}`, contentType, data: res.body };
    },

    async fetchProfile(identity, ctx) {
      const res = await callProvider(ctx.http, graph(ctx, `${encodeURIComponent(identity.value)}?fields=${opts.profileFields}`), { method: 'GET', headers: auth(ctx) });
      if (res.status !== 200) return null;
      const p = res.json as { first_name?: string; last_name?: string; name?: string; username?: string; profile_pic?: string };
      const name = p.name ?? ([p.first_name, p.last_name].filter(Boolean).join(' ') || p.username);
      return { name: name || undefined, avatarUrl: p.profile_pic && /^https?:\/\//.test(p.profile_pic) ? p.profile_pic : undefined };
    },

    async checkConnection(ctx) {
      try {
        const res = await callProvider(ctx.http, graph(ctx, `${ctx.settings.pageId}?fields=name`), { method: 'GET', headers: auth(ctx) });
        if (res.status !== 200) return { ok: false, code: graphError(res).code, message: graphError(res).message };
        return { ok: true, detail: (res.json as { name?: string }).name };
      } catch (err) {
        return { ok: false, code: 'network_error', message: (err as Error).message };
      }
    },
  };
}
