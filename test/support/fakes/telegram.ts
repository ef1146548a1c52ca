import type { FakeProviderHandle, UnsignedRequest, WebhookSample } from '../../../src/channels/contract';
import type { RawRequest } from '../../../src/channels/channel';
import { startFakeServer } from './fake-server';

/**
 * A local Telegram Bot API: /bot<token>/getMe, setWebhook, sendMessage, sendPhoto, sendDocument, getFile and
 * /file/bot<token>/<path>, with Telegram's {"ok":false,"error_code","description"} errors. It checks
 * MarkdownV2 the way Telegram does: an unescaped reserved character is a 400 "can't parse entities".
 */
export const TG = { token: '7012345678:AAHfakeTelegramBotTokenForTests_x', secret: 'tg-secret-token-0123456789' };
export const TG_USER = { id: 987654321, is_bot: false, first_name: 'Kees', last_name: 'Bakker', username: 'keesb', language_code: 'nl' };
const chat = { id: TG_USER.id, first_name: 'Kees', last_name: 'Bakker', username: 'keesb', type: 'private' };
const now = () => Math.floor(Date.now() / 1000);

export const tgText = (updateId: number, messageId: number, text: string) => ({ update_id: updateId, message: { message_id: messageId, from: TG_USER, chat, date: now(), text } });

export const telegramSamples = (): WebhookSample[] => [
  { name: 'text', contentType: 'application/json', body: JSON.stringify(tgText(10000, 1365, 'Hoi, mijn bestelling is niet aangekomen')), expect: { messages: 1, statuses: 0, texts: ['Hoi, mijn bestelling is niet aangekomen'] } },
  {
    name: 'photo with caption',
    contentType: 'application/json',
    body: JSON.stringify({
      update_id: 10001,
      message: {
        message_id: 1366,
        from: TG_USER,
        chat,
        date: now(),
        photo: [
          { file_id: 'AgAD-small', file_unique_id: 'u1', file_size: 1200, width: 90, height: 67 },
          { file_id: 'AgAD-large', file_unique_id: 'u2', file_size: 54000, width: 1280, height: 960 },
        ],
        caption: 'Zo zag de doos eruit',
      },
    }),
    expect: { messages: 1, statuses: 0, texts: ['Zo zag de doos eruit'], attachments: 1 },
  },
  {
    name: 'document',
    contentType: 'application/json',
    body: JSON.stringify({ update_id: 10002, message: { message_id: 1367, from: TG_USER, chat, date: now(), document: { file_name: 'factuur.pdf', mime_type: 'application/pdf', file_id: 'BQAD-doc', file_unique_id: 'u3', file_size: 12 } } }),
    expect: { messages: 1, statuses: 0, attachments: 1 },
  },
  {
    name: 'edited message',
    contentType: 'application/json',
    body: JSON.stringify({ update_id: 10003, edited_message: { message_id: 1365, from: TG_USER, chat, date: now(), edit_date: now(), text: 'Hoi, mijn bestelling is nog steeds niet aangekomen' } }),
    expect: { messages: 1, statuses: 0 },
  },
];

export const TG_FILES: Record<string, { path: string; data: Buffer }> = {
  'AgAD-large': { path: 'photos/file_1.jpg', data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 9]) },
  'BQAD-doc': { path: 'documents/file_2.pdf', data: Buffer.from('%PDF-1.4 tg') },
};

/** What the customer sees: MarkdownV2 with its escapes removed; throws like Telegram on a bad escape. */
export function renderMarkdownV2(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '`') {
      // Inside code only \` and \\ are escapes; everything else is literal.
      const fence = text.startsWith('```', i) ? '```' : '`';
      let j = i + fence.length;
      for (; j < text.length && !text.startsWith(fence, j); j++) {
        if (text[j] === '\\') j++;
        out += text[j] ?? '';
      }
      i = j + fence.length - 1;
    } else if (c === '\\') {
      out += text[i + 1] ?? '';
      i++;
    } else if ('.!#+-=|{}>()'.includes(c)) {
      throw new Error(`Bad Request: can't parse entities: Character '${c}' is reserved and must be escaped with the preceding '\\'`);
    } else if (!'*_~`[]'.includes(c)) out += c;
    else if (c === ']' && text[i + 1] === '(') {
      const close = text.indexOf(')', i);
      i = close;
    }
  }
  return out;
}

function signed(secret: string | undefined, req: UnsignedRequest): RawRequest {
  return {
    method: 'POST',
    url: req.url,
    headers: { 'content-type': req.contentType, ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
    rawBody: Buffer.from(req.body),
    query: {},
  };
}

export async function startTelegramFake(): Promise<
  FakeProviderHandle<{ apiBaseUrl: string }, { botToken: string; secretToken: string }> & { url: string; webhookSet: () => { url: string; secret_token: string } | null }
> {
  let fail: 'retryable' | 'permanent' | null = null;
  let webhook: { url: string; secret_token: string } | null = null;
  const sent: { text: string; attachments: number[] }[] = [];
  let n = 100;
  const notFound = { status: 404, json: { ok: false, error_code: 404, description: 'Not Found' } };
  const bad = (description: string) => ({ status: 400, json: { ok: false, error_code: 400, description } });
  const failing = () => {
    const f = fail;
    fail = null;
    if (f === 'retryable') return { status: 429, json: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } } };
    if (f === 'permanent') return { status: 403, json: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } };
    return null;
  };
  const result = (chatId: unknown) => ({ status: 200, json: { ok: true, result: { message_id: ++n, chat: { id: Number(chatId), type: 'private' }, date: now() } } });
  const server = await startFakeServer([
    ['GET', /^\/bot([^/]+)\/getMe$/, (_r, m) => (m[1] === TG.token ? { status: 200, json: { ok: true, result: { id: 7012345678, is_bot: true, first_name: 'Acme', username: 'acme_support_bot' } } } : { status: 401, json: { ok: false, error_code: 401, description: 'Unauthorized' } })],
    [
      'POST',
      /^\/bot([^/]+)\/setWebhook$/,
      (req, m) => {
        if (m[1] !== TG.token) return { status: 401, json: { ok: false, error_code: 401, description: 'Unauthorized' } };
        const b = req.json();
        if (!/^https?:\/\//.test(b.url ?? '')) return bad('Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
        webhook = { url: b.url, secret_token: b.secret_token };
        return { status: 200, json: { ok: true, result: true, description: 'Webhook was set' } };
      },
    ],
    [
      'POST',
      /^\/bot([^/]+)\/sendMessage$/,
      (req, m) => {
        if (m[1] !== TG.token) return notFound;
        const f = failing();
        if (f) return f;
        const b = req.json();
        if (b.parse_mode !== 'MarkdownV2') return bad('expected MarkdownV2 in this fake');
        let text: string;
        try {
          text = renderMarkdownV2(b.text);
        } catch (err) {
          return bad((err as Error).message);
        }
        if (text.length > 4096) return bad('Bad Request: message is too long');
        sent.push({ text, attachments: [] });
        return result(b.chat_id);
      },
    ],
    [
      'POST',
      /^\/bot([^/]+)\/send(Photo|Document)$/,
      (req, m) => {
        if (m[1] !== TG.token) return notFound;
        const f = failing();
        if (f) return f;
        const parts = req.parts();
        const file = parts.find((p) => p.name === (m[2] === 'Photo' ? 'photo' : 'document'));
        if (!file) return bad(`Bad Request: there is no ${m[2]!.toLowerCase()} in the request`);
        const caption = parts.find((p) => p.name === 'caption')?.data.toString('utf8');
        sent.push({ text: caption ? renderMarkdownV2(caption) : '', attachments: [file.data.length] });
        return result(parts.find((p) => p.name === 'chat_id')?.data.toString('utf8'));
      },
    ],
    [
      'GET',
      /^\/bot([^/]+)\/getFile$/,
      (req, m) => {
        if (m[1] !== TG.token) return notFound;
        const f = TG_FILES[req.query.get('file_id') ?? ''];
        return f ? { status: 200, json: { ok: true, result: { file_id: req.query.get('file_id'), file_size: f.data.length, file_path: f.path } } } : bad('Bad Request: invalid file_id');
      },
    ],
    [
      'GET',
      /^\/file\/bot([^/]+)\/(.+)$/,
      (_req, m) => {
        const f = Object.values(TG_FILES).find((x) => x.path === m[2]);
        return m[1] === TG.token && f ? { status: 200, body: f.data, contentType: 'application/octet-stream' } : notFound;
      },
    ],
  ]);
  return {
    url: server.url,
    webhookSet: () => webhook,
    settings: { apiBaseUrl: server.url },
    secrets: { botToken: TG.token, secretToken: TG.secret },
    recipient: { name: 'Kees', identities: [{ kind: 'telegram', value: String(TG_USER.id) }] },
    channelState: { telegramChatId: String(TG_USER.id) },
    webhook: { sign: (req) => signed(TG.secret, req), forge: (req) => signed('wrong-secret-token-000000', req), samples: telegramSamples(), signsBody: false },
    failNextSend: (kind) => {
      fail = kind;
    },
    sent: () => sent,
    stop: () => server.close(),
  };
}
