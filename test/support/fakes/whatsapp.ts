import type { FakeProviderHandle, UnsignedRequest, WebhookSample } from '../../../src/channels/contract';
import type { RawRequest } from '../../../src/channels/channel';
import { signMeta } from '../../../src/channels/meta/signature';
import { startFakeServer } from './fake-server';

/**
 * A local WhatsApp Cloud API: the Graph paths Balie uses (messages, media upload/download, templates, phone
 * number), Bearer-token checks, Meta's error shape and codes, and webhooks signed with X-Hub-Signature-256.
 * Payloads follow the examples in Meta's WhatsApp Cloud API webhook reference.
 */
export const WA = { phoneNumberId: '106540352242922', waba: '102290129340398', token: 'EAAJB-fake-whatsapp-token', appSecret: 'wa-app-secret-123', verifyToken: 'wa-verify-token-1' };
export const CUSTOMER_WA_ID = '31612345678';

export function waEnvelope(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: WA.waba,
        changes: [
          {
            value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: WA.phoneNumberId }, ...value },
            field: 'messages',
          },
        ],
      },
    ],
  };
}
const ts = () => String(Math.floor(Date.now() / 1000));
const contacts = [{ profile: { name: 'Sanne de Vries' }, wa_id: CUSTOMER_WA_ID }];
export const waText = (id: string, body: string) => waEnvelope({ contacts, messages: [{ from: CUSTOMER_WA_ID, id, timestamp: ts(), text: { body }, type: 'text' }] });
export const waStatus = (id: string, status: string, errors?: unknown[]) =>
  waEnvelope({ statuses: [{ id, status, timestamp: ts(), recipient_id: CUSTOMER_WA_ID, ...(errors ? { errors } : {}) }] });

export const whatsappSamples = (): WebhookSample[] => [
  { name: 'text', contentType: 'application/json', body: JSON.stringify(waText('wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQTFBMkIzQzRENUU2RjcwODA5MAA=', 'Waar blijft mijn pakket?')), expect: { messages: 1, statuses: 0, texts: ['Waar blijft mijn pakket?'] } },
  {
    name: 'image with caption',
    contentType: 'application/json',
    body: JSON.stringify(waEnvelope({ contacts, messages: [{ from: CUSTOMER_WA_ID, id: 'wamid.IMG1', timestamp: ts(), type: 'image', image: { caption: 'Kapot geleverd', mime_type: 'image/jpeg', sha256: 'abc', id: 'media-img-1' } }] })),
    expect: { messages: 1, statuses: 0, texts: ['Kapot geleverd'], attachments: 1 },
  },
  {
    name: 'document',
    contentType: 'application/json',
    body: JSON.stringify(waEnvelope({ contacts, messages: [{ from: CUSTOMER_WA_ID, id: 'wamid.DOC1', timestamp: ts(), type: 'document', document: { filename: 'bon.pdf', mime_type: 'application/pdf', sha256: 'def', id: 'media-doc-1' } }] })),
    expect: { messages: 1, statuses: 0, attachments: 1 },
  },
  {
    name: 'location',
    contentType: 'application/json',
    body: JSON.stringify(waEnvelope({ contacts, messages: [{ from: CUSTOMER_WA_ID, id: 'wamid.LOC1', timestamp: ts(), location: { latitude: 52.3676, longitude: 4.9041, name: 'Dam', address: 'Amsterdam' }, type: 'location' }] })),
    expect: { messages: 1, statuses: 0, texts: ['📍 Dam, Amsterdam https://maps.google.com/?q=52.3676,4.9041'] },
  },
  {
    name: 'contacts',
    contentType: 'application/json',
    body: JSON.stringify(waEnvelope({ contacts, messages: [{ from: CUSTOMER_WA_ID, id: 'wamid.CON1', timestamp: ts(), type: 'contacts', contacts: [{ name: { formatted_name: 'Piet Jansen', first_name: 'Piet' }, phones: [{ phone: '+31 20 123 4567', type: 'WORK' }] }] }] })),
    expect: { messages: 1, statuses: 0, texts: ['👤 Piet Jansen +31 20 123 4567'] },
  },
  {
    name: 'button reply',
    contentType: 'application/json',
    body: JSON.stringify(waEnvelope({ contacts, messages: [{ context: { from: '15550783881', id: 'wamid.OUT1' }, from: CUSTOMER_WA_ID, id: 'wamid.BTN1', timestamp: ts(), interactive: { button_reply: { id: 'yes', title: 'Ja, graag' }, type: 'button_reply' }, type: 'interactive' }] })),
    expect: { messages: 1, statuses: 0, texts: ['Ja, graag'], check: (r) => expectAttr(r, 'reply', { id: 'yes', title: 'Ja, graag', kind: 'button_reply' }) },
  },
  {
    name: 'list reply',
    contentType: 'application/json',
    body: JSON.stringify(waEnvelope({ contacts, messages: [{ from: CUSTOMER_WA_ID, id: 'wamid.LST1', timestamp: ts(), interactive: { list_reply: { id: 'slot-2', title: 'Dinsdag', description: '9–12 uur' }, type: 'list_reply' }, type: 'interactive' }] })),
    expect: { messages: 1, statuses: 0, texts: ['Dinsdag'] },
  },
  {
    name: 'reaction',
    contentType: 'application/json',
    body: JSON.stringify(waEnvelope({ contacts, messages: [{ from: CUSTOMER_WA_ID, id: 'wamid.REA1', timestamp: ts(), reaction: { message_id: 'wamid.OUT1', emoji: '👍' }, type: 'reaction' }] })),
    expect: { messages: 1, statuses: 0, texts: ['👍'], check: (r) => expectAttr(r, 'reaction', { messageId: 'wamid.OUT1', emoji: '👍' }) },
  },
  { name: 'status delivered', contentType: 'application/json', body: JSON.stringify(waStatus('wamid.OUT1', 'delivered')), expect: { messages: 0, statuses: 1 } },
  {
    name: 'status failed',
    contentType: 'application/json',
    body: JSON.stringify(waStatus('wamid.OUT2', 'failed', [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' } }])),
    expect: {
      messages: 0,
      statuses: 1,
      check: (r) => {
        const s = r.items[0] as { reason?: string };
        if (!s.reason?.includes('131047')) throw new Error(`reason lacks the provider code: ${s.reason}`);
      },
    },
  },
];

function expectAttr(r: { items: unknown[] }, key: string, value: unknown) {
  const item = r.items[0] as { message: { contentAttributes: Record<string, unknown> } };
  if (JSON.stringify(item.message.contentAttributes[key]) !== JSON.stringify(value)) throw new Error(`${key}: ${JSON.stringify(item.message.contentAttributes[key])}`);
}

export function signedMeta(appSecret: string, req: UnsignedRequest): RawRequest {
  const rawBody = Buffer.from(req.body);
  return { method: 'POST', url: req.url, headers: { 'content-type': req.contentType, 'x-hub-signature-256': signMeta(appSecret, rawBody) }, rawBody, query: {} };
}

export const MEDIA_BYTES: Record<string, { type: string; data: Buffer }> = {
  'media-img-1': { type: 'image/jpeg', data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]) },
  'media-doc-1': { type: 'application/pdf', data: Buffer.from('%PDF-1.4 bon') },
};

export async function startWhatsAppFake(): Promise<
  FakeProviderHandle<{ phoneNumberId: string; businessAccountId: string; apiBaseUrl: string }, { accessToken: string; appSecret: string; verifyToken: string }> & {
    url: string;
    log: Awaited<ReturnType<typeof startFakeServer>>['log'];
    addTemplate(t: { name: string; language: string; body: string; status?: string }): void;
    setTemplateStatus(name: string, language: string, status: string): void;
    customerWrote(waId: string, at: Date): void;
  }
> {
  let fail: 'retryable' | 'permanent' | null = null;
  // The message templates of the business account; a test adds its own with `addTemplate`.
  const templates: Array<{ name: string; language: string; status: string; category: string; id: string; components: Array<{ type: string; text?: string }> }> = [
    { name: 'order_update', language: 'nl', status: 'APPROVED', category: 'UTILITY', id: '1', components: [{ type: 'BODY', text: 'Hallo {{1}}, uw bestelling {{2}} is onderweg.' }] },
    { name: 'draft_promo', language: 'nl', status: 'REJECTED', category: 'MARKETING', id: '2', components: [{ type: 'BODY', text: 'Korting!' }] },
  ];
  // When each customer last wrote (what opens the 24-hour window), as far as a test told the fake.
  const lastInbound = new Map<string, number>();
  const metaError = (code: number, message: string, details: string) => ({ status: 400, json: { error: { message: `(#${code}) ${message}`, type: 'OAuthException', code, error_data: { messaging_product: 'whatsapp', details }, fbtrace_id: 'Afake' } } });
  const sent: { text: string; attachments: number[]; body: any }[] = [];
  const uploads = new Map<string, number>();
  let n = 0;
  const unauthorized = { status: 401, json: { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: 'Afake' } } };
  const authed = (h: Record<string, unknown>) => h.authorization === `Bearer ${WA.token}`;
  const server = await startFakeServer([
    [
      'POST',
      /^\/v21\.0\/(\d+)\/messages$/,
      (req, m) => {
        if (!authed(req.headers)) return unauthorized;
        if (m[1] !== WA.phoneNumberId) return { status: 400, json: { error: { message: 'Unsupported post request.', type: 'GraphMethodException', code: 100, error_subcode: 33 } } };
        const f = fail;
        fail = null;
        if (f === 'retryable') return { status: 400, json: { error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429, error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' } } } };
        if (f === 'permanent')
          return { status: 400, json: { error: { message: '(#131026) Message undeliverable', type: 'OAuthException', code: 131026, error_data: { messaging_product: 'whatsapp', details: 'Message Undeliverable.' } } } };
        const body = req.json();
        if (body.messaging_product !== 'whatsapp' || !body.to) return { status: 400, json: { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 } } };
        const type = body.type as string;
        // The Cloud API's rules on what a business may send: free-form only within 24 hours of the customer's last
        // message (for a customer the test said when), and a template only by an approved name in that language
        // with exactly its body's parameters.
        const wrote = lastInbound.get(String(body.to));
        if (type !== 'template' && wrote !== undefined && Date.now() - wrote >= 24 * 3_600_000) {
          return metaError(131047, 'Re-engagement message', 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.');
        }
        if (type === 'template') {
          const t = templates.find((x) => x.name === body.template?.name && x.language === body.template?.language?.code && x.status === 'APPROVED');
          if (!t) return metaError(132001, 'Template name does not exist in the translation', `template name (${body.template?.name}) does not exist in ${body.template?.language?.code}`);
          const expected = new Set([...(t.components.find((c) => c.type === 'BODY')?.text ?? '').matchAll(/\{\{(\d+)\}\}/g)].map((m) => m[1])).size;
          const given = (body.template.components ?? []).filter((c: { type: string }) => c.type === 'body').flatMap((c: { parameters?: unknown[] }) => c.parameters ?? []).length;
          if (given !== expected) return metaError(132000, 'Number of parameters does not match the expected number of params', `body: number of localizable_params (${given}) does not match the expected number of params (${expected})`);
        }
        if (type === 'text' && (body.text?.body?.length ?? 0) > 4096) return { status: 400, json: { error: { message: '(#100) Param text[body] must be at most 4096 characters long.', code: 100 } } };
        const text = type === 'text' ? body.text.body : type === 'template' ? `[template ${body.template.name}]` : (body[type]?.caption ?? '');
        const attachments = ['image', 'video', 'audio', 'document'].includes(type) ? [uploads.get(body[type].id) ?? -1] : [];
        sent.push({ text, attachments, body });
        return { status: 200, json: { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.FAKE${++n}` }] } };
      },
    ],
    [
      'POST',
      /^\/v21\.0\/(\d+)\/media$/,
      (req) => {
        if (!authed(req.headers)) return unauthorized;
        const file = req.parts().find((p) => p.name === 'file');
        if (!file) return { status: 400, json: { error: { message: '(#100) The parameter file is required.', code: 100 } } };
        const id = `up-${++n}`;
        uploads.set(id, file.data.length);
        return { status: 200, json: { id } };
      },
    ],
    [
      'GET',
      /^\/v21\.0\/(\d+)\/message_templates$/,
      (req) => {
        if (!authed(req.headers)) return unauthorized;
        return {
          status: 200,
          json: {
            data: templates,
            paging: { cursors: { before: 'a', after: 'b' } },
          },
        };
      },
    ],
    [
      'GET',
      /^\/media-download\/(.+)$/,
      (req, m) => {
        if (!authed(req.headers)) return { status: 401, body: 'unauthorized', contentType: 'text/plain' };
        const f = MEDIA_BYTES[m[1]!];
        return f ? { status: 200, body: f.data, contentType: f.type } : { status: 404, body: 'gone', contentType: 'text/plain' };
      },
    ],
    [
      'GET',
      /^\/v21\.0\/([\w.-]+)$/,
      (req, m) => {
        if (!authed(req.headers)) return unauthorized;
        if (m[1] === WA.phoneNumberId) return { status: 200, json: { verified_name: 'Acme Support', display_phone_number: '+1 555-078-3881', id: WA.phoneNumberId } };
        const f = MEDIA_BYTES[m[1]!];
        if (!f) return { status: 400, json: { error: { message: 'Unsupported get request.', code: 100, error_subcode: 33 } } };
        return { status: 200, json: { messaging_product: 'whatsapp', url: `${server.url}/media-download/${m[1]}`, mime_type: f.type, sha256: 'x', file_size: f.data.length, id: m[1] } };
      },
    ],
  ]);
  return {
    url: server.url,
    log: server.log,
    settings: { phoneNumberId: WA.phoneNumberId, businessAccountId: WA.waba, apiBaseUrl: server.url },
    secrets: { accessToken: WA.token, appSecret: WA.appSecret, verifyToken: WA.verifyToken },
    recipient: { name: 'Sanne', identities: [{ kind: 'phone', value: `+${CUSTOMER_WA_ID}` }, { kind: 'whatsapp', value: CUSTOMER_WA_ID }] },
    channelState: { lastCustomerMessageAt: new Date().toISOString() },
    webhook: {
      sign: (req) => signedMeta(WA.appSecret, req),
      forge: (req) => signedMeta('not-the-app-secret', req),
      samples: whatsappSamples(),
      handshake: {
        request: (url) => ({ method: 'GET', url, headers: {}, rawBody: Buffer.alloc(0), query: { 'hub.mode': 'subscribe', 'hub.verify_token': WA.verifyToken, 'hub.challenge': '1158201444' } }),
        expectBody: '1158201444',
        wrong: (url) => ({ method: 'GET', url, headers: {}, rawBody: Buffer.alloc(0), query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1158201444' } }),
      },
    },
    addTemplate: (t: { name: string; language: string; body: string; status?: string }) => {
      templates.push({ name: t.name, language: t.language, status: t.status ?? 'APPROVED', category: 'UTILITY', id: String(templates.length + 1), components: [{ type: 'BODY', text: t.body }] });
    },
    setTemplateStatus: (name: string, language: string, status: string) => {
      for (const t of templates) if (t.name === name && t.language === language) t.status = status;
    },
    customerWrote: (waId: string, at: Date) => {
      lastInbound.set(waId, at.getTime());
    },
    failNextSend: (kind) => {
      fail = kind;
    },
    sent: () => sent,
    stop: () => server.close(),
  };
}
