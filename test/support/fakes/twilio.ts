import type { FakeProviderHandle, UnsignedRequest, WebhookSample } from '../../../src/channels/contract';
import type { RawRequest } from '../../../src/channels/channel';
import { formParams, twilioSignature } from '../../../src/channels/twilio/signature';
import { startFakeServer } from './fake-server';

/**
 * A local Twilio REST API (2010-04-01): Messages.json with basic auth, IncomingPhoneNumbers.json, MMS media
 * and Twilio's error JSON ({code, message, more_info, status}). Webhooks are form posts signed with
 * X-Twilio-Signature exactly as Twilio computes it. Parameters follow Twilio's messaging webhook docs.
 */
export const TW = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'twilio-auth-token-0123456789ab', number: '+3197010200300' };
export const SMS_CUSTOMER = '+31612345678';
export const RECORDING_MP3 = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0x64]);

export const smsInbound = (sid: string, body: string, extra: Record<string, string> = {}) =>
  new URLSearchParams({
    ToCountry: 'NL',
    ToState: '',
    SmsMessageSid: sid,
    NumMedia: '0',
    ToCity: '',
    FromZip: '',
    SmsSid: sid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: body,
    FromCountry: 'NL',
    To: TW.number,
    ToZip: '',
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: TW.accountSid,
    From: SMS_CUSTOMER,
    ApiVersion: '2010-04-01',
    ...extra,
  }).toString();

export const smsStatus = (sid: string, status: string, extra: Record<string, string> = {}) =>
  new URLSearchParams({ SmsSid: sid, SmsStatus: status, MessageStatus: status, To: SMS_CUSTOMER, MessageSid: sid, AccountSid: TW.accountSid, From: TW.number, ApiVersion: '2010-04-01', ...extra }).toString();

export function signedTwilio(authToken: string, req: UnsignedRequest): RawRequest {
  const rawBody = Buffer.from(req.body);
  return {
    method: 'POST',
    url: req.url,
    headers: { 'content-type': req.contentType, 'x-twilio-signature': twilioSignature(authToken, req.url, formParams(rawBody)) },
    rawBody,
    query: {},
  };
}

const form = 'application/x-www-form-urlencoded';

export async function startTwilioFake(): Promise<
  FakeProviderHandle<{ accountSid: string; phoneNumber: string; apiBaseUrl: string }, { authToken: string }> & { url: string; requests: () => URLSearchParams[]; mediaFailures: () => { url: string; status: number }[]; calls: () => { sid: string; to: string; from: string; url: string; statusCallback: string | null }[] }
> {
  let fail: 'retryable' | 'permanent' | null = null;
  const sent: { text: string; attachments: number[] }[] = [];
  const requests: URLSearchParams[] = [];
  const placedCalls: { sid: string; to: string; from: string; url: string; statusCallback: string | null }[] = [];
  const mediaFailures: { url: string; status: number }[] = [];
  let n = 0;
  const auth = `Basic ${Buffer.from(`${TW.accountSid}:${TW.authToken}`).toString('base64')}`;
  const err = (status: number, code: number, message: string) => ({ status, json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } });
  const server = await startFakeServer([
    [
      'POST',
      /^\/2010-04-01\/Accounts\/(AC\w+)\/Messages\.json$/,
      async (req, m) => {
        if (req.headers.authorization !== auth || m[1] !== TW.accountSid) return err(401, 20003, 'Authenticate');
        const f = fail;
        fail = null;
        if (f === 'retryable') return err(429, 20429, 'Too Many Requests');
        if (f === 'permanent') return err(400, 21610, 'Attempt to send to unsubscribed recipient');
        const p = req.form();
        requests.push(p);
        if (!p.get('To') || !/^\+\d+$/.test(p.get('To')!)) return err(400, 21211, `The 'To' number ${p.get('To')} is not a valid phone number.`);
        if (p.get('From') !== TW.number) return err(400, 21606, 'The From phone number is not a valid, SMS-capable inbound phone number or short code for your account.');
        const body = p.get('Body') ?? '';
        if (body.length > 1600) return err(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
        const mediaUrls = p.getAll('MediaUrl');
        if (!body && mediaUrls.length === 0) return err(400, 21602, 'Message body is required.');
        if (mediaUrls.length > 10) return err(400, 21623, 'Number of media files exceeds allowed limit.');
        // Twilio fetches every MediaUrl itself (no credentials); a link it cannot fetch fails the MMS (11200).
        const sizes: number[] = [];
        for (const u of mediaUrls) {
          const got = await fetch(u).catch(() => null);
          if (!got || got.status !== 200) {
            mediaFailures.push({ url: u, status: got?.status ?? 0 });
            continue;
          }
          sizes.push((await got.arrayBuffer()).byteLength);
        }
        sent.push({ text: body, attachments: sizes });
        const sid = `SM${(++n).toString(16).padStart(32, '0')}`;
        return { status: 201, json: { sid, account_sid: TW.accountSid, to: p.get('To'), from: TW.number, body, status: 'queued', num_segments: '1', direction: 'outbound-api', api_version: '2010-04-01', error_code: null, error_message: null } };
      },
    ],
    [
      'GET',
      /^\/2010-04-01\/Accounts\/(AC\w+)\/IncomingPhoneNumbers\.json$/,
      (req, m) => {
        if (req.headers.authorization !== auth || m[1] !== TW.accountSid) return err(401, 20003, 'Authenticate');
        const numbers = req.query.get('PhoneNumber') === TW.number ? [{ sid: 'PN0123', phone_number: TW.number, sms_url: 'https://demo.twilio.com/welcome/sms/reply' }] : [];
        return { status: 200, json: { incoming_phone_numbers: numbers, page: 0, page_size: 50 } };
      },
    ],
    [
      'POST',
      /^\/2010-04-01\/Accounts\/(AC\w+)\/Calls\.json$/,
      (req, m) => {
        if (req.headers.authorization !== auth || m[1] !== TW.accountSid) return err(401, 20003, 'Authenticate');
        const f = fail;
        fail = null;
        if (f === 'retryable') return err(503, 20500, 'Service Unavailable');
        const p = req.form();
        if (!/^\+\d{7,15}$/.test(p.get('To') ?? '')) return err(400, 21211, `The 'To' number ${p.get('To')} is not a valid phone number.`);
        if (p.get('From') !== TW.number) return err(400, 21210, "The source phone number provided, From, is not yet verified for your account.");
        if (!p.get('Url')) return err(400, 21205, 'Url parameter is required.');
        const sid = `CA${(++n).toString(16).padStart(32, '0')}`;
        placedCalls.push({ sid, to: p.get('To')!, from: p.get('From')!, url: p.get('Url')!, statusCallback: p.get('StatusCallback') });
        return { status: 201, json: { sid, account_sid: TW.accountSid, to: p.get('To'), from: TW.number, status: 'queued', direction: 'outbound-api', api_version: '2010-04-01' } };
      },
    ],
    [
      'GET',
      /^\/2010-04-01\/Accounts\/(AC\w+)\/Recordings\/(RE\w+)\.mp3$/,
      // A voicemail as Twilio serves it (MP3, here an ID3 header and a few frame bytes).
      (req, m) => (req.headers.authorization === auth && m[1] === TW.accountSid ? { status: 200, body: RECORDING_MP3, contentType: 'audio/mpeg' } : err(401, 20003, 'Authenticate')),
    ],
    [
      'GET',
      /^\/2010-04-01\/Accounts\/(AC\w+)\/Messages\/(MM\w+)\/Media\/(ME\w+)$/,
      (req) => (req.headers.authorization === auth ? { status: 200, body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), contentType: 'image/png' } : err(401, 20003, 'Authenticate')),
    ],
  ]);
  const samples: WebhookSample[] = [
    { name: 'inbound SMS', contentType: form, body: smsInbound('SM1f0e8ae6ade43cb3c0ce4525424e404f', 'Hallo, is mijn monteur al onderweg?'), expect: { messages: 1, statuses: 0, texts: ['Hallo, is mijn monteur al onderweg?'] } },
    {
      name: 'inbound MMS',
      contentType: form,
      body: smsInbound('MM2f0e8ae6ade43cb3c0ce4525424e404f', 'Foto van de meter', {
        NumMedia: '1',
        MediaContentType0: 'image/png',
        MediaUrl0: `${server.url}/2010-04-01/Accounts/${TW.accountSid}/Messages/MM2f0e8ae6ade43cb3c0ce4525424e404f/Media/ME0123456789abcdef`,
      }),
      expect: { messages: 1, statuses: 0, attachments: 1 },
    },
    {
      name: 'STOP',
      contentType: form,
      body: smsInbound('SM3f0e8ae6ade43cb3c0ce4525424e404f', 'Stop'),
      expect: {
        messages: 1,
        statuses: 0,
        check: (r) => {
          const m = r.items[0] as { message: { channelState?: Record<string, unknown> } };
          if (m.message.channelState?.smsOptedOut !== true) throw new Error('STOP not recorded');
        },
      },
    },
    { name: 'status delivered', contentType: form, body: smsStatus('SM00000000000000000000000000000001', 'delivered'), expect: { messages: 0, statuses: 1 } },
    { name: 'status undelivered', contentType: form, body: smsStatus('SM00000000000000000000000000000002', 'undelivered', { ErrorCode: '30003' }), expect: { messages: 0, statuses: 1 } },
  ];
  return {
    url: server.url,
    requests: () => requests,
    mediaFailures: () => mediaFailures,
    calls: () => placedCalls,
    settings: { accountSid: TW.accountSid, phoneNumber: TW.number, apiBaseUrl: server.url },
    secrets: { authToken: TW.authToken },
    recipient: { name: 'Sanne', identities: [{ kind: 'phone', value: SMS_CUSTOMER }] },
    channelState: {},
    webhook: { sign: (req) => signedTwilio(TW.authToken, req), forge: (req) => signedTwilio('not-the-auth-token-000000', req), samples },
    failNextSend: (kind) => {
      fail = kind;
    },
    sent: () => sent,
    stop: () => server.close(),
  };
}
