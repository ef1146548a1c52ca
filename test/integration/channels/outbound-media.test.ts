import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { messages } from '../../../src/store/schema';
import { mediaLinkPath } from '../../../src/app/media-links';
import { startContractApp } from '../../support/channel-harness';
import { signedTwilio, smsInbound, startTwilioFake, TW } from '../../support/fakes/twilio';
import { META, PSID, startMetaMessagingFake } from '../../support/fakes/meta-messaging';
import { signedMeta } from '../../support/fakes/whatsapp';

/**
 * Outbound files on channels whose provider fetches them itself: Twilio MMS (`MediaUrl`) and Instagram (an
 * attachment `url`). Balie listens on a real port here, so the fakes fetch the signed, expiring media links
 * exactly as Twilio and Meta would; the links refuse tampering, other workspaces and expiry.
 */
let app: Awaited<ReturnType<typeof startContractApp>>;
let tw: Awaited<ReturnType<typeof startTwilioFake>>;
let ig: Awaited<ReturnType<typeof startMetaMessagingFake>>;
let base: string;
let smsInbox: string;
let igInbox: string;

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  [app, tw, ig] = await Promise.all([startContractApp({ PUBLIC_URL: base }), startTwilioFake(), startMetaMessagingFake('instagram')]);
  await app.test.balie.app.listen({ port, host: '127.0.0.1' });
  smsInbox = (await app.createInbox('sms', { ...tw.settings, ...tw.secrets })).inboxId;
  igInbox = (await app.createInbox('instagram', { ...ig.settings, ...ig.secrets })).inboxId;
}, 120_000);
afterAll(async () => {
  await Promise.all([app?.close(), tw?.stop(), ig?.stop()]);
});

const db = () => app.test.balie.services.store.db;
const until = <T,>(check: () => Promise<T | undefined | null | false>) => app.test.until(check, 60_000);
const deps = () => app.test.balie.services;

async function inboundMessage(inboxId: string, externalId: string) {
  return until(async () => (await db().select().from(messages).where(and(eq(messages.inboxId, inboxId), eq(messages.externalId, externalId))))[0]);
}
async function replyWithFile(conversationId: string, file: { fileName: string; contentType: string; data: Buffer }, content = '') {
  const res = await app.callApi('POST', `/api/v1/conversations/${conversationId}/messages`, {
    kind: 'message',
    content,
    attachments: [{ fileName: file.fileName, contentType: file.contentType, data: file.data.toString('base64') }],
  });
  expect(res.status).toBe(201);
  const id = (res.body as { id: string }).id;
  return until(async () => {
    const [m] = await db().select().from(messages).where(eq(messages.id, id));
    return m && m.status !== 'queued' ? m : undefined;
  });
}

describe('outbound MMS through Twilio', () => {
  it('sends the file as MediaUrl, a signed link Twilio fetches without logging in', async () => {
    const body = smsInbound('SMmedia000000000000000000000000001', 'Kunt u de bon sturen?', { From: '+31622223333' });
    const raw = signedTwilio(TW.authToken, { method: 'POST', url: `${base}/webhooks/sms/${smsInbox}`, contentType: 'application/x-www-form-urlencoded', body });
    expect(await app.postWebhook('sms', smsInbox, raw)).toBe(200);
    const inbound = await inboundMessage(smsInbox, 'SMmedia000000000000000000000000001');
    const sent = await replyWithFile(inbound.conversationId, { fileName: 'bon.png', contentType: 'image/png', data: PNG }, 'Hierbij de bon');
    expect(sent.status).toBe('sent');
    const request = tw.requests().at(-1)!;
    const mediaUrl = request.get('MediaUrl')!;
    expect(mediaUrl.startsWith(`${base}/media/`)).toBe(true);
    expect(mediaUrl.endsWith('/bon.png')).toBe(true);
    expect(request.get('Body')).toBe('Hierbij de bon');
    expect(tw.mediaFailures()).toEqual([]);
    expect(tw.sent().at(-1)).toEqual({ text: 'Hierbij de bon', attachments: [PNG.length] });

    const got = await fetch(mediaUrl);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(got.headers.get('cache-control')).toBe('private, no-store');
    expect(Buffer.from(await got.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('sends a file without text as an MMS with only MediaUrl', async () => {
    const inbound = await inboundMessage(smsInbox, 'SMmedia000000000000000000000000001');
    const sent = await replyWithFile(inbound.conversationId, { fileName: 'foto.png', contentType: 'image/png', data: PNG });
    expect(sent.status).toBe('sent');
    expect(tw.requests().at(-1)!.get('Body')).toBeNull();
    expect(tw.sent().at(-1)).toEqual({ text: '', attachments: [PNG.length] });
  });

  it('refuses a tampered, foreign-workspace or expired link', async () => {
    const [a] = await db().select().from((await import('../../../src/store/schema')).attachments).limit(1);
    const good = mediaLinkPath(deps(), a!);
    expect((await fetch(`${base}${good}`)).status).toBe(200);
    const [, , ws, id, token, name] = good.split('/');
    const [exp, sig] = token!.split('.');
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const bad = [
      `/media/${ws}/${id}/${exp}.${flip(sig!)}/${name}`,
      `/media/${ws}/${id}/${Number(exp) + 3600}.${sig}/${name}`,
      `/media/00000000-0000-4000-8000-000000000009/${id}/${token}/${name}`,
      mediaLinkPath(deps(), a!, -60),
      `/media/${ws}/${id}/nonsense/${name}`,
    ];
    for (const path of bad) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('PNG');
    }
  });
});

describe('outbound media on Instagram', () => {
  const igPost = async (mid: string) => {
    const body = JSON.stringify({ object: 'instagram', entry: [{ id: META.pageId, time: Date.now(), messaging: [{ sender: { id: PSID }, recipient: { id: META.pageId }, timestamp: Date.now(), message: { mid, text: 'Mag ik een foto van de aansluiting?' } }] }] });
    expect(await app.postWebhook('instagram', igInbox, signedMeta(META.appSecret, { method: 'POST', url: `${base}/webhooks/instagram/${igInbox}`, contentType: 'application/json', body }))).toBe(200);
    return inboundMessage(igInbox, mid);
  };

  it('gives the Send API the signed link as the attachment url; Meta fetches it', async () => {
    const inbound = await igPost('ig_MEDIA1');
    const sent = await replyWithFile(inbound.conversationId, { fileName: 'aansluiting.png', contentType: 'image/png', data: PNG }, 'Zo ziet hij eruit');
    expect(sent.status).toBe('sent');
    const bodies = ig.bodies().slice(-2);
    expect(bodies[0]).toMatchObject({ recipient: { id: PSID }, message: { attachment: { type: 'image', payload: { url: expect.stringMatching(new RegExp(`^${base}/media/`)) } } } });
    expect(bodies[1]).toMatchObject({ message: { text: 'Zo ziet hij eruit' } });
    expect(ig.sent().slice(-2).map((s) => s.attachments)).toEqual([[PNG.length], []]);
  });

  it('refuses a file type Instagram does not take, before anything is sent', async () => {
    const inbound = await igPost('ig_MEDIA2');
    const before = ig.bodies().length;
    const failed = await replyWithFile(inbound.conversationId, { fileName: 'lijst.csv', contentType: 'text/csv', data: Buffer.from('a,b\n1,2\n') }, 'De lijst');
    expect(failed.status).toBe('failed');
    expect(failed.statusReason).toMatch(/^unsupported_attachment: Instagram does not take text\/csv/);
    expect(ig.bodies().length).toBe(before);
  });
});
