import { z } from 'zod';
import type { MediaRef, ParseResult, ParsedInbound } from '../channel';
import { eventIdOf } from '../provider-http';

/** The documented WhatsApp Cloud API webhook shape (field "messages"); unknown extras pass through. */
const media = z.looseObject({ id: z.string(), mime_type: z.string().optional(), caption: z.string().optional(), filename: z.string().optional() });
const message = z.looseObject({
  from: z.string(),
  id: z.string(),
  timestamp: z.string().optional(),
  type: z.string(),
  context: z.looseObject({ id: z.string().optional() }).optional(),
  text: z.looseObject({ body: z.string() }).optional(),
  image: media.optional(),
  video: media.optional(),
  audio: media.optional(),
  document: media.optional(),
  sticker: media.optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }).optional(),
  contacts: z
    .array(z.looseObject({ name: z.looseObject({ formatted_name: z.string().optional() }).optional(), phones: z.array(z.looseObject({ phone: z.string().optional() })).optional() }))
    .optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.looseObject({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
    })
    .optional(),
  button: z.looseObject({ text: z.string(), payload: z.string().optional() }).optional(),
  reaction: z.looseObject({ message_id: z.string(), emoji: z.string().optional() }).optional(),
});
const status = z.looseObject({
  id: z.string(),
  status: z.string(),
  timestamp: z.string().optional(),
  recipient_id: z.string().optional(),
  errors: z.array(z.looseObject({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional(), error_data: z.looseObject({ details: z.string().optional() }).optional() })).optional(),
});
const payload = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.looseObject({
      id: z.string(),
      changes: z.array(
        z.looseObject({
          field: z.string(),
          value: z.looseObject({
            metadata: z.looseObject({ phone_number_id: z.string() }).optional(),
            contacts: z.array(z.looseObject({ wa_id: z.string(), profile: z.looseObject({ name: z.string().optional() }).optional() })).optional(),
            messages: z.array(message).optional(),
            statuses: z.array(status).optional(),
          }),
        }),
      ),
    }),
  ),
});

const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;
const at = (ts: string | undefined) => (ts && /^\d+$/.test(ts) ? new Date(Number(ts) * 1000) : undefined);

/** What the customer sent, as text for the agent plus structured attributes for the UI. */
function describe(m: z.infer<typeof message>): { content: string; attributes: Record<string, unknown>; media: MediaRef[] } {
  const attributes: Record<string, unknown> = { whatsappType: m.type };
  if (m.context?.id) attributes.inReplyTo = m.context.id;
  const refs: MediaRef[] = [];
  for (const t of MEDIA_TYPES) {
    const part = m[t];
    if (part) refs.push({ id: part.id, contentType: part.mime_type?.split(';')[0]?.trim(), fileName: part.filename });
  }
  switch (m.type) {
    case 'text':
      return { content: m.text?.body ?? '', attributes, media: refs };
    case 'location': {
      const l = m.location!;
      attributes.location = l;
      const label = [l.name, l.address].filter(Boolean).join(', ');
      return { content: `📍 ${label ? `${label} ` : ''}https://maps.google.com/?q=${l.latitude},${l.longitude}`, attributes, media: refs };
    }
    case 'contacts': {
      attributes.sharedContacts = m.contacts;
      const lines = (m.contacts ?? []).map((c) => [c.name?.formatted_name, ...(c.phones ?? []).map((p) => p.phone)].filter(Boolean).join(' '));
      return { content: `👤 ${lines.join('; ')}`, attributes, media: refs };
    }
    case 'interactive': {
      const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
      attributes.reply = reply ? { id: reply.id, title: reply.title, kind: m.interactive!.type } : null;
      return { content: reply?.title ?? '', attributes, media: refs };
    }
    case 'button':
      attributes.reply = { id: m.button?.payload ?? null, title: m.button?.text, kind: 'template_button' };
      return { content: m.button?.text ?? '', attributes, media: refs };
    case 'reaction':
      attributes.reaction = { messageId: m.reaction?.message_id, emoji: m.reaction?.emoji ?? null };
      return { content: m.reaction?.emoji ? `${m.reaction.emoji}` : '(reaction removed)', attributes, media: refs };
    default: {
      const caption = MEDIA_TYPES.map((t) => m[t]?.caption).find(Boolean) ?? '';
      if (refs.length === 0) attributes.unsupported = true;
      return { content: caption || (refs.length ? '' : `(${m.type} message, not supported by WhatsApp Cloud API)`), attributes, media: refs };
    }
  }
}

export function parseWhatsAppWebhook(rawBody: Buffer): ParseResult {
  const data = payload.parse(JSON.parse(rawBody.toString('utf8')));
  const items: ParsedInbound[] = [];
  const keys: string[] = [];
  for (const entry of data.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      const v = change.value;
      for (const m of v.messages ?? []) {
        keys.push(`m:${m.id}`);
        const profile = v.contacts?.find((c) => c.wa_id === m.from) ?? v.contacts?.[0];
        const d = describe(m);
        const sentAt = at(m.timestamp) ?? new Date(0);
        items.push({
          type: 'message',
          message: {
            externalId: m.id,
            // The phone identity first: WhatsApp and SMS from one number are one customer.
            contact: {
              identities: [
                { kind: 'phone', value: m.from, verified: true },
                { kind: 'whatsapp', value: m.from, verified: true },
              ],
              name: profile?.profile?.name,
            },
            content: d.content,
            contentAttributes: d.attributes,
            sentAt: at(m.timestamp),
            // The 24-hour customer-service window runs from the customer's last message.
            channelState: { lastCustomerMessageAt: sentAt.toISOString() },
            mediaToFetch: d.media,
          },
        });
      }
      for (const s of v.statuses ?? []) {
        keys.push(`s:${s.id}:${s.status}`);
        if (!['sent', 'delivered', 'read', 'failed'].includes(s.status)) {
          items.push({ type: 'ignored', reason: `status ${s.status}` });
          continue;
        }
        const e = s.errors?.[0];
        const reason = e ? `${e.code ?? ''} ${e.title ?? e.message ?? ''}${e.error_data?.details ? ` — ${e.error_data.details}` : ''}`.trim() : undefined;
        items.push({ type: 'status', externalId: s.id, status: s.status as 'sent', reason, at: at(s.timestamp) });
      }
    }
  }
  return { eventId: eventIdOf('wa', keys, rawBody), items };
}
