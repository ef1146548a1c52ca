import type { FakeProviderHandle, WebhookSample } from '../../../src/channels/contract';
import { signedMeta } from './whatsapp';
import { startFakeServer } from './fake-server';

/**
 * A local Graph API for Messenger and Instagram: the Send API (/{page-id}/messages, JSON or multipart with
 * filedata), the user profile API, page lookup, a CDN for attachments, Meta's error codes (2018278 outside
 * the window, 613 rate limit, 551 user unavailable) and X-Hub-Signature-256 webhooks shaped like Meta's
 * Messenger Platform webhook reference examples.
 */
export const META = { pageId: '1067280970047460', token: 'EAAG-fake-page-token', appSecret: 'meta-app-secret-1', verifyToken: 'meta-verify-token' };
export const PSID = '6734560990017632';

export async function startMetaMessagingFake(kind: 'messenger' | 'instagram'): Promise<
  FakeProviderHandle<{ pageId: string; apiBaseUrl: string; humanAgentTag: boolean }, { accessToken: string; appSecret: string; verifyToken: string }> & {
    url: string;
    bodies: () => any[];
  }
> {
  let fail: 'retryable' | 'permanent' | null = null;
  const sent: { text: string; attachments: number[] }[] = [];
  const bodies: any[] = [];
  let n = 0;
  const object = kind === 'messenger' ? 'page' : 'instagram';
  const authed = (h: Record<string, unknown>) => h.authorization === `Bearer ${META.token}`;
  const oauth = { status: 401, json: { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190, fbtrace_id: 'Afake' } } };
  const server = await startFakeServer([
    [
      'POST',
      /^\/v21\.0\/(\d+)\/messages$/,
      async (req, m) => {
        if (!authed(req.headers)) return oauth;
        if (m[1] !== META.pageId) return { status: 400, json: { error: { message: 'Unsupported post request.', code: 100, error_subcode: 33 } } };
        const f = fail;
        fail = null;
        if (f === 'retryable') return { status: 400, json: { error: { message: '(#613) Calls to this api have exceeded the rate limit.', type: 'OAuthException', code: 613, fbtrace_id: 'Afake' } } };
        if (f === 'permanent') return { status: 400, json: { error: { message: '(#551) This person isn\'t available right now.', type: 'OAuthException', code: 551, error_subcode: 1545041, fbtrace_id: 'Afake' } } };
        const isMultipart = String(req.headers['content-type']).startsWith('multipart/');
        const parts = isMultipart ? req.parts() : [];
        const field = (name: string) => (isMultipart ? JSON.parse(parts.find((p) => p.name === name)?.data.toString('utf8') ?? 'null') : req.json()[name]);
        const body = { recipient: field('recipient'), message: field('message'), messaging_type: isMultipart ? parts.find((p) => p.name === 'messaging_type')?.data.toString() : req.json().messaging_type, tag: isMultipart ? parts.find((p) => p.name === 'tag')?.data.toString() : req.json().tag };
        bodies.push(body);
        // The page's known users: the test customer, and further customers whose PSID extends theirs.
        if (!String(body.recipient?.id ?? '').startsWith(PSID)) return { status: 400, json: { error: { message: '(#100) No matching user found', code: 100, error_subcode: 2018001 } } };
        if (body.messaging_type === 'MESSAGE_TAG' && body.tag !== 'HUMAN_AGENT') return { status: 400, json: { error: { message: '(#10) This message is sent outside of allowed window.', code: 10, error_subcode: 2018278 } } };
        const text: string = body.message?.text ?? '';
        if (text.length > (kind === 'messenger' ? 2000 : 1000)) return { status: 400, json: { error: { message: '(#100) Length of param message[text] must be less than or equal to 2000', code: 100 } } };
        const file = parts.find((p) => p.name === 'filedata');
        const linked: string | undefined = body.message?.attachment?.payload?.url;
        if (kind === 'instagram' && file) return { status: 400, json: { error: { message: '(#100) Upload attachment failure.', code: 100, error_subcode: 2018047 } } };
        let fetched: number | null = null;
        if (linked) {
          // Meta fetches a linked attachment before it accepts the message; an unreachable link fails the call.
          const got = await fetch(linked).catch(() => null);
          if (!got || got.status !== 200) return { status: 400, json: { error: { message: '(#100) Failed to fetch the file from the url', code: 100, error_subcode: 2018008 } } };
          fetched = (await got.arrayBuffer()).byteLength;
        }
        sent.push({ text, attachments: file ? [file.data.length] : fetched !== null ? [fetched] : [] });
        return { status: 200, json: { recipient_id: String(body.recipient.id), message_id: `m_fake${++n}`, ...(file ? { attachment_id: `att${n}` } : {}) } };
      },
    ],
    [
      'GET',
      /^\/v21\.0\/(\d+)$/,
      (req, m) => {
        if (!authed(req.headers)) return oauth;
        if (m[1] === META.pageId) return { status: 200, json: { name: 'Acme Support', id: META.pageId } };
        if (m[1] === PSID) {
          return kind === 'messenger'
            ? { status: 200, json: { first_name: 'Lotte', last_name: 'Visser', profile_pic: `${server.url}/cdn/profile.jpg`, id: PSID } }
            : { status: 200, json: { name: 'Lotte Visser', username: 'lottev', profile_pic: `${server.url}/cdn/profile.jpg`, id: PSID } };
        }
        return { status: 400, json: { error: { message: 'Unsupported get request.', code: 100, error_subcode: 33 } } };
      },
    ],
    ['GET', /^\/cdn\/(.+)$/, () => ({ status: 200, body: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 7, 7, 7]), contentType: 'image/jpeg' })],
  ]);
  const now = Date.now();
  const envelope = (messaging: unknown[]) => JSON.stringify({ object, entry: [{ id: META.pageId, time: now, messaging }] });
  const from = { sender: { id: PSID }, recipient: { id: META.pageId }, timestamp: now };
  const samples: WebhookSample[] = [
    { name: 'text', contentType: 'application/json', body: envelope([{ ...from, message: { mid: 'm_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P', text: 'Kan ik mijn afspraak verzetten?' } }]), expect: { messages: 1, statuses: 0, texts: ['Kan ik mijn afspraak verzetten?'] } },
    { name: 'image attachment', contentType: 'application/json', body: envelope([{ ...from, message: { mid: 'm_IMG1', attachments: [{ type: 'image', payload: { url: `${server.url}/cdn/photo.jpg` } }] } }]), expect: { messages: 1, statuses: 0, attachments: 1 } },
    { name: 'echo', contentType: 'application/json', body: envelope([{ sender: { id: META.pageId }, recipient: { id: PSID }, timestamp: now, message: { mid: 'm_ECHO1', is_echo: true, text: 'ours' } }]), expect: { messages: 0, statuses: 0 } },
    {
      name: kind === 'messenger' ? 'delivery' : 'read',
      contentType: 'application/json',
      body: envelope([kind === 'messenger' ? { ...from, delivery: { mids: ['m_fake1'], watermark: now } } : { ...from, read: { mid: 'm_fake1' } }]),
      expect: { messages: 0, statuses: 1 },
    },
  ];
  return {
    url: server.url,
    bodies: () => bodies,
    settings: { pageId: META.pageId, apiBaseUrl: server.url, humanAgentTag: true },
    secrets: { accessToken: META.token, appSecret: META.appSecret, verifyToken: META.verifyToken },
    recipient: { name: 'Lotte', identities: [{ kind, value: PSID }] },
    channelState: { lastCustomerMessageAt: new Date().toISOString() },
    webhook: {
      sign: (req) => signedMeta(META.appSecret, req),
      forge: (req) => signedMeta('wrong-app-secret', req),
      samples,
      handshake: {
        request: (url) => ({ method: 'GET', url, headers: {}, rawBody: Buffer.alloc(0), query: { 'hub.mode': 'subscribe', 'hub.verify_token': META.verifyToken, 'hub.challenge': 'CHALLENGE_ACCEPTED' } }),
        expectBody: 'CHALLENGE_ACCEPTED',
        wrong: (url) => ({ method: 'GET', url, headers: {}, rawBody: Buffer.alloc(0), query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': 'x' } }),
      },
    },
    failNextSend: (k) => {
      fail = k;
    },
    sent: () => sent,
    stop: () => server.close(),
  };
}
