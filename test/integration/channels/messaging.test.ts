import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { attachments, contactIdentities, inboundEvents, messages } from '../../../src/store/schema';
import { startContractApp } from '../../support/channel-harness';
import { CUSTOMER_WA_ID, signedMeta, startWhatsAppFake, WA, waEnvelope, waStatus, waText } from '../../support/fakes/whatsapp';
import { signedTwilio, smsInbound, smsStatus, startTwilioFake, TW } from '../../support/fakes/twilio';
import { startTelegramFake, TG, TG_USER, tgText } from '../../support/fakes/telegram';
import { META, PSID, startMetaMessagingFake } from '../../support/fakes/meta-messaging';
import type { RawRequest } from '../../../src/channels/channel';

/**
 * Behaviour of the messaging channels through a running Balie and local fake providers: media stored as
 * attachments, delivery statuses on our messages, the 24-hour window, templates, STOP/START, the
 * WhatsApp → SMS fallback, one contact across WhatsApp and SMS, Telegram setWebhook, Messenger profiles,
 * and forged signatures that change nothing.
 */
let app: Awaited<ReturnType<typeof startContractApp>>;
let wa: Awaited<ReturnType<typeof startWhatsAppFake>>;
let tw: Awaited<ReturnType<typeof startTwilioFake>>;
let tg: Awaited<ReturnType<typeof startTelegramFake>>;
let fb: Awaited<ReturnType<typeof startMetaMessagingFake>>;
let waInbox: string;
let smsInboxId: string;
let tgInbox: string;
let fbInbox: string;

beforeAll(async () => {
  [app, wa, tw, tg, fb] = await Promise.all([startContractApp(), startWhatsAppFake(), startTwilioFake(), startTelegramFake(), startMetaMessagingFake('messenger')]);
  smsInboxId = (await app.createInbox('sms', { ...tw.settings, ...tw.secrets })).inboxId;
  waInbox = (await app.createInbox('whatsapp', { ...wa.settings, ...wa.secrets })).inboxId;
  tgInbox = (await app.createInbox('telegram', { ...tg.settings, ...tg.secrets })).inboxId;
  fbInbox = (await app.createInbox('messenger', { ...fb.settings, ...fb.secrets })).inboxId;
}, 120_000);
afterAll(async () => {
  await Promise.all([app?.close(), wa?.stop(), tw?.stop(), tg?.stop(), fb?.stop()]);
});

const db = () => app.test.balie.services.store.db;
// Generous: this suite shares a busy CI machine with others.
const until = <T,>(check: () => Promise<T | undefined | null | false>) => app.test.until(check, 60_000);
const url = (kind: string, inbox: string) => `${app.test.config.publicUrl}/webhooks/${kind}/${inbox}`;
const post = (kind: string, inbox: string, sign: (r: { method: 'POST'; url: string; contentType: string; body: string }) => RawRequest, body: string, contentType = 'application/json') =>
  app.postWebhook(kind, inbox, sign({ method: 'POST', url: url(kind, inbox), contentType, body }));
const waPost = (payload: unknown) => post('whatsapp', waInbox, (r) => signedMeta(WA.appSecret, r), JSON.stringify(payload));
const smsPost = (body: string) => post('sms', smsInboxId, (r) => signedTwilio(TW.authToken, r), body, 'application/x-www-form-urlencoded');

async function messageBy(inboxId: string, externalId: string) {
  return until(async () => {
    const [m] = await db().select().from(messages).where(and(eq(messages.inboxId, inboxId), eq(messages.externalId, externalId)));
    return m;
  });
}
async function reply(conversationId: string, body: Record<string, unknown>) {
  const res = await app.callApi('POST', `/api/v1/conversations/${conversationId}/messages`, { kind: 'message', ...body });
  expect(res.status).toBe(201);
  const id = (res.body as { id: string }).id;
  return until(async () => {
    const [m] = await db().select().from(messages).where(eq(messages.id, id));
    return m && m.status !== 'queued' ? m : undefined;
  });
}

describe('WhatsApp', () => {
  it('downloads inbound media through the media API and stores it as an attachment', async () => {
    expect(
      await waPost(waEnvelope({ contacts: [{ profile: { name: 'Sanne' }, wa_id: CUSTOMER_WA_ID }], messages: [{ from: CUSTOMER_WA_ID, id: 'wamid.MEDIA-IT', timestamp: String(Math.floor(Date.now() / 1000)), type: 'image', image: { id: 'media-img-1', mime_type: 'image/jpeg', caption: 'De schade' } }] })),
    ).toBe(200);
    const m = await messageBy(waInbox, 'wamid.MEDIA-IT');
    expect(m.content).toBe('De schade');
    const files = await until(async () => {
      const rows = await db().select().from(attachments).where(eq(attachments.messageId, m.id));
      return rows.length ? rows : undefined;
    });
    expect(files[0]).toMatchObject({ contentType: 'image/jpeg', size: 8 });
  });

  it('replies inside the window, applies delivery statuses, and shows the provider’s reason on failure', async () => {
    await waPost(waText('wamid.IT-1', 'Wanneer komt de monteur?'));
    const inbound = await messageBy(waInbox, 'wamid.IT-1');
    const sent = await reply(inbound.conversationId, { content: 'Morgen tussen 9 en 12.' });
    expect(sent).toMatchObject({ status: 'sent' });
    expect(sent.externalId).toMatch(/^wamid\.FAKE/);
    expect(wa.sent().at(-1)?.text).toBe('Morgen tussen 9 en 12.');
    await waPost(waStatus(sent.externalId!, 'delivered'));
    await waPost(waStatus(sent.externalId!, 'read'));
    // A late "delivered" after "read" does not move the message back.
    await waPost(waStatus(sent.externalId!, 'delivered'));
    await until(async () => (await db().select().from(messages).where(eq(messages.id, sent.id)))[0]?.status === 'read');
    const second = await reply(inbound.conversationId, { content: 'Tot morgen!' });
    await waPost(waStatus(second.externalId!, 'failed', [{ code: 131026, title: 'Message undeliverable', error_data: { details: 'Receiver is incapable of receiving this message' } }]));
    const failed = await until(async () => {
      const [m] = await db().select().from(messages).where(eq(messages.id, second.id));
      return m?.status === 'failed' ? m : undefined;
    });
    expect(failed.statusReason).toContain('131026');
  });

  it('refuses a free-form reply outside the 24-hour window and sends an approved template with variables', async () => {
    const old = String(Math.floor(Date.now() / 1000) - 25 * 3600);
    await waPost(waEnvelope({ contacts: [{ profile: { name: 'Jan' }, wa_id: '31687654321' }], messages: [{ from: '31687654321', id: 'wamid.OLD-1', timestamp: old, type: 'text', text: { body: 'Hallo?' } }] }));
    const inbound = await messageBy(waInbox, 'wamid.OLD-1');
    const before = wa.sent().length;
    const refused = await reply(inbound.conversationId, { content: 'Sorry voor de late reactie' });
    expect(refused.status).toBe('failed');
    expect(refused.statusReason).toMatch(/^outside_window/);
    expect(wa.sent().length).toBe(before);

    const templates = await app.callApi('GET', `/api/v1/inboxes/${waInbox}/templates`);
    expect(templates.status).toBe(200);
    expect(templates.body).toEqual({ items: [{ name: 'order_update', language: 'nl', category: 'UTILITY', status: 'APPROVED', body: 'Hallo {{1}}, uw bestelling {{2}} is onderweg.', variables: 2 }] });
    const viaTemplate = await reply(inbound.conversationId, { content: 'Hallo Jan, uw bestelling 1234 is onderweg.', contentAttributes: { template: { name: 'order_update', language: 'nl', variables: ['Jan', '1234'] } } });
    expect(viaTemplate.status).toBe('sent');
    expect((wa.sent().at(-1) as unknown as { body: unknown }).body).toMatchObject({
      type: 'template',
      template: { name: 'order_update', language: { code: 'nl' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Jan' }, { type: 'text', text: '1234' }] }] },
    });
  });

  it('keeps the window a newer message opened when an older one is delivered late', async () => {
    const now = Math.floor(Date.now() / 1000);
    const from = '31611223344';
    const msg = (id: string, timestamp: number, body: string) => waEnvelope({ contacts: [{ profile: { name: 'Noor' }, wa_id: from }], messages: [{ from, id, timestamp: String(timestamp), type: 'text', text: { body } }] });
    await waPost(msg('wamid.LATE-NEW', now, 'Is mijn pakket al onderweg?'));
    const newer = await messageBy(waInbox, 'wamid.LATE-NEW');
    // Meta retries a webhook for up to days: yesterday's message arrives after today's.
    await waPost(msg('wamid.LATE-OLD', now - 26 * 3600, 'Hallo, ik heb een vraag'));
    const older = await messageBy(waInbox, 'wamid.LATE-OLD');
    expect(older.conversationId).toBe(newer.conversationId);
    const sent = await reply(newer.conversationId, { content: 'Ja, het komt morgen.' });
    expect(sent).toMatchObject({ status: 'sent' });
  });

  it('answers the subscription handshake with hub.challenge only for the right verify token', async () => {
    const ok = await app.test.call('GET', `/webhooks/whatsapp/${waInbox}?hub.mode=subscribe&hub.verify_token=${WA.verifyToken}&hub.challenge=4242`);
    expect(ok).toMatchObject({ status: 200, text: '4242' });
    expect((await app.test.call('GET', `/webhooks/whatsapp/${waInbox}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=4242`)).status).toBe(403);
  });

  it('checks the connection with the phone number API', async () => {
    expect((await app.callApi('POST', `/api/v1/inboxes/${waInbox}/check-connection`)).body).toEqual({ ok: true, detail: 'Acme Support · +1 555-078-3881' });
  });
});

describe('SMS (Twilio)', () => {
  it('makes WhatsApp and SMS from one number one contact', async () => {
    await smsPost(smsInbound('SMsame0000000000000000000000000001', 'Ik stuur het ook even per sms', { From: '+31612345678' }));
    const sms = await messageBy(smsInboxId, 'SMsame0000000000000000000000000001');
    await waPost(waText('wamid.SAME-1', 'En via WhatsApp'));
    const whatsapp = await messageBy(waInbox, 'wamid.SAME-1');
    expect(sms.senderId).toBe(whatsapp.senderId);
    const ids = await db().select().from(contactIdentities).where(eq(contactIdentities.contactId, sms.senderId!));
    expect(ids.map((i) => `${i.kind}:${i.value}`).sort()).toEqual(['phone:+31612345678', 'whatsapp:31612345678']);
    const timeline = await app.callApi('GET', `/api/v1/contacts/${sms.senderId}/timeline`);
    expect(timeline.status).toBe(200);
    expect(JSON.stringify(timeline.body)).toContain('En via WhatsApp');
    expect(JSON.stringify(timeline.body)).toContain('Ik stuur het ook even per sms');
  });

  it('sends with a status callback URL, applies callbacks, and honours STOP and START', async () => {
    await smsPost(smsInbound('SMstop0000000000000000000000000001', 'Waar is mijn pakket?', { From: '+31611112222' }));
    const inbound = await messageBy(smsInboxId, 'SMstop0000000000000000000000000001');
    const sent = await reply(inbound.conversationId, { content: 'Het is onderweg 🚚' });
    expect(sent.status).toBe('sent');
    const request = tw.requests().at(-1)!;
    expect(request.get('StatusCallback')).toBe(url('sms', smsInboxId));
    expect(request.get('To')).toBe('+31611112222');
    await smsPost(smsStatus(sent.externalId!, 'delivered', { To: '+31611112222' }));
    await until(async () => (await db().select().from(messages).where(eq(messages.id, sent.id)))[0]?.status === 'delivered');

    await smsPost(smsInbound('SMstop0000000000000000000000000002', 'STOP', { From: '+31611112222' }));
    await messageBy(smsInboxId, 'SMstop0000000000000000000000000002');
    const count = tw.sent().length;
    const refused = await reply(inbound.conversationId, { content: 'Nog één ding' });
    expect(refused).toMatchObject({ status: 'failed' });
    expect(refused.statusReason).toMatch(/^recipient_opted_out/);
    expect(tw.sent().length).toBe(count);
    await smsPost(smsInbound('SMstop0000000000000000000000000003', 'Start', { From: '+31611112222' }));
    await messageBy(smsInboxId, 'SMstop0000000000000000000000000003');
    expect((await reply(inbound.conversationId, { content: 'Welkom terug' })).status).toBe('sent');
  });

  it('stores inbound MMS media and answers Twilio with TwiML', async () => {
    const body = smsInbound('MMmms00000000000000000000000000001', 'Foto', {
      NumMedia: '1',
      MediaContentType0: 'image/png',
      MediaUrl0: `${tw.url}/2010-04-01/Accounts/${TW.accountSid}/Messages/MMmms00000000000000000000000000001/Media/ME01`,
    });
    const raw = signedTwilio(TW.authToken, { method: 'POST', url: url('sms', smsInboxId), contentType: 'application/x-www-form-urlencoded', body });
    const res = await app.test.balie.app.inject({ method: 'POST', url: `/webhooks/sms/${smsInboxId}`, headers: raw.headers as Record<string, string>, payload: raw.rawBody });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/xml');
    expect(res.body).toContain('<Response>');
    const m = await messageBy(smsInboxId, 'MMmms00000000000000000000000000001');
    const files = await until(async () => {
      const rows = await db().select().from(attachments).where(eq(attachments.messageId, m.id));
      return rows.length ? rows : undefined;
    });
    expect(files[0]).toMatchObject({ contentType: 'image/png', size: 7 });
  });

  it('falls back from WhatsApp to SMS when WhatsApp cannot deliver, visibly on the message', async () => {
    const patched = await app.callApi('PATCH', `/api/v1/inboxes/${waInbox}`, { settings: { fallbackInboxId: smsInboxId } });
    expect(patched.status).toBe(200);
    try {
      const old = String(Math.floor(Date.now() / 1000) - 30 * 3600);
      await waPost(waEnvelope({ contacts: [{ profile: { name: 'Eva' }, wa_id: '31655554444' }], messages: [{ from: '31655554444', id: 'wamid.FB-1', timestamp: old, type: 'text', text: { body: 'Hoi' } }] }));
      const inbound = await messageBy(waInbox, 'wamid.FB-1');
      const m = await reply(inbound.conversationId, { content: 'Uw afspraak staat vast.' });
      expect(m.status).toBe('sent');
      expect(m.contentAttributes.fallback).toMatchObject({ inboxId: smsInboxId, channel: 'sms' });
      expect(String((m.contentAttributes.fallback as { reason: string }).reason)).toMatch(/^outside_window/);
      expect(tw.requests().at(-1)?.get('To')).toBe('+31655554444');
      expect(tw.sent().at(-1)?.text).toBe('Uw afspraak staat vast.');
      // The fallback SMS reports to the SMS inbox's webhook; its delivery lands on the original message.
      expect(tw.requests().at(-1)?.get('StatusCallback')).toBe(url('sms', smsInboxId));
      const sid = (m.contentAttributes.fallback as { externalId: string }).externalId;
      expect(sid).toMatch(/^SM/);
      expect(await smsPost(smsStatus(sid, 'sent', { To: '+31655554444' }))).toBe(200);
      expect(await smsPost(smsStatus(sid, 'delivered', { To: '+31655554444' }))).toBe(200);
      const delivered = await until(async () => {
        const [row] = await db().select().from(messages).where(eq(messages.id, m.id));
        return row?.status === 'delivered' ? row : undefined;
      });
      expect(delivered.inboxId).toBe(waInbox);
      expect(delivered.contentAttributes.fallback).toMatchObject({ channel: 'sms', externalId: sid, status: 'delivered' });
      // What the agent app shows: the message as the API returns it.
      const listed = await app.callApi('GET', `/api/v1/conversations/${inbound.conversationId}/messages`);
      const shown = (listed.body as { items: { id: string; status: string; contentAttributes: Record<string, unknown> }[] }).items.find((x) => x.id === m.id);
      expect(shown).toMatchObject({ status: 'delivered', contentAttributes: { fallback: { channel: 'sms', status: 'delivered' } } });

      // A second fallback SMS that the carrier could not deliver: failed, with Twilio's reason and the channel.
      const second = await reply(inbound.conversationId, { content: 'En nog een herinnering.' });
      const sid2 = (second.contentAttributes.fallback as { externalId: string }).externalId;
      await smsPost(smsStatus(sid2, 'undelivered', { To: '+31655554444', ErrorCode: '30003' }));
      const failed = await until(async () => {
        const [row] = await db().select().from(messages).where(eq(messages.id, second.id));
        return row?.status === 'failed' ? row : undefined;
      });
      expect(failed.statusReason).toBe('undelivered: Twilio error 30003 (sms)');
      expect(failed.contentAttributes.fallback).toMatchObject({ status: 'failed', statusReason: 'undelivered: Twilio error 30003' });

      // Accepted by WhatsApp, reported undeliverable afterwards: the SMS inbox takes over, once.
      await waPost(waText('wamid.FB-2', 'Bent u er nog?'));
      const recent = await messageBy(waInbox, 'wamid.FB-2');
      const accepted = await reply(recent.conversationId, { content: 'Wij bellen u morgen om 10 uur.' });
      expect(accepted.status).toBe('sent');
      expect(accepted.externalId).toMatch(/^wamid\.FAKE/);
      const smsBefore = tw.sent().length;
      await waPost(waStatus(accepted.externalId!, 'failed', [{ code: 131026, title: 'Message undeliverable' }]));
      const viaSms = await until(async () => {
        const [row] = await db().select().from(messages).where(eq(messages.id, accepted.id));
        return row?.status === 'sent' && row.contentAttributes.fallback ? row : undefined;
      });
      expect(viaSms.contentAttributes.fallback).toMatchObject({ channel: 'sms', inboxId: smsInboxId, reason: expect.stringContaining('131026') });
      expect(viaSms.contentAttributes.fallbackPending).toBeUndefined();
      expect(viaSms.externalId).toMatch(/^SM/);
      expect(tw.sent().slice(smsBefore).map((x) => x.text)).toEqual(['Wij bellen u morgen om 10 uur.']);
      // A late WhatsApp report about the original send no longer touches the message.
      await waPost(waStatus(accepted.externalId!, 'read'));
      await app.test.until(async () => true);
      expect((await db().select().from(messages).where(eq(messages.id, accepted.id)))[0]).toMatchObject({ status: 'sent' });
    } finally {
      await app.callApi('PATCH', `/api/v1/inboxes/${waInbox}`, { settings: { fallbackInboxId: null } });
    }
  });
});

describe('Telegram', () => {
  it('registers the webhook with its secret token as soon as the inbox is created', async () => {
    // beforeAll created the inbox; nobody has pressed "check connection" yet.
    expect(tg.webhookSet()).toEqual({ url: url('telegram', tgInbox), secret_token: TG.secret });
    const bad = await app.callApi('POST', '/api/v1/inboxes', { name: 'Telegram wrong token', kind: 'telegram', settings: { ...tg.settings, botToken: '7000000000:AAWrongTokenWrongTokenWrongToken00', secretToken: 'another-secret-token-0123456789' } });
    expect(bad.status).toBe(201);
    expect((bad.body as { connection: unknown }).connection).toMatchObject({ ok: false });
  });

  it('registers the webhook with its secret token on "check connection"', async () => {
    const res = await app.callApi('POST', `/api/v1/inboxes/${tgInbox}/check-connection`);
    expect(res.body).toEqual({ ok: true, detail: '@acme_support_bot' });
    expect(tg.webhookSet()).toEqual({ url: url('telegram', tgInbox), secret_token: TG.secret });
  });

  it('takes text in and sends MarkdownV2 that Telegram accepts, whatever the agent typed', async () => {
    const raw = (body: string) => ({ method: 'POST', url: url('telegram', tgInbox), headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG.secret }, rawBody: Buffer.from(body), query: {} });
    expect(await app.postWebhook('telegram', tgInbox, raw(JSON.stringify(tgText(20001, 501, 'Mijn code werkt niet'))))).toBe(200);
    const inbound = await messageBy(tgInbox, `${TG_USER.id}:501`);
    const text = await reply(inbound.conversationId, { content: 'Probeer code A-12 (nieuw). Kost €5,- * 2 = €10! [zie site]' });
    expect(text.status).toBe('sent');
    expect(tg.sent().at(-1)?.text).toBe('Probeer code A-12 (nieuw). Kost €5,- * 2 = €10! [zie site]');
    const md = await reply(inbound.conversationId, { content: '**Let op:** code `A_12` geldt tot 1.1.', contentType: 'markdown' });
    expect(md.status).toBe('sent');
    expect(tg.sent().at(-1)?.text).toBe('Let op: code A_12 geldt tot 1.1.');
  });
});

describe('Messenger', () => {
  it('fetches the profile name and picture for a new contact', async () => {
    const body = JSON.stringify({ object: 'page', entry: [{ id: META.pageId, time: Date.now(), messaging: [{ sender: { id: PSID }, recipient: { id: META.pageId }, timestamp: Date.now(), message: { mid: 'm_PROFILE1', text: 'Hallo' } }] }] });
    expect(await post('messenger', fbInbox, (r) => signedMeta(META.appSecret, r), body)).toBe(200);
    const m = await messageBy(fbInbox, 'm_PROFILE1');
    const contact = await app.callApi('GET', `/api/v1/contacts/${m.senderId}`);
    expect(contact.body).toMatchObject({ name: 'Lotte Visser', avatarUrl: `${fb.url}/cdn/profile.jpg` });
  });

  it('suggests merging the same person who writes on another channel', async () => {
    const body = JSON.stringify({ update_id: 30001, message: { message_id: 9, from: { id: 111222333, is_bot: false, first_name: 'Lotte', last_name: 'Visser' }, chat: { id: 111222333, type: 'private' }, date: Math.floor(Date.now() / 1000), text: 'Ik ben het weer' } });
    await app.postWebhook('telegram', tgInbox, { method: 'POST', url: url('telegram', tgInbox), headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG.secret }, rawBody: Buffer.from(body), query: {} });
    const onTelegram = await messageBy(tgInbox, '111222333:9');
    const onMessenger = await messageBy(fbInbox, 'm_PROFILE1');
    const res = await app.callApi('GET', `/api/v1/contacts/${onMessenger.senderId}/merge-suggestions`);
    expect(res.status).toBe(200);
    expect((res.body as { items: { contact: { id: string }; reason: string }[] }).items).toEqual([expect.objectContaining({ reason: 'same_name', contact: expect.objectContaining({ id: onTelegram.senderId }) })]);
  });

  it('uses the HUMAN_AGENT tag between 24 hours and 7 days, and nothing after', async () => {
    // A customer of their own per case: the window follows a conversation's newest message, and a late, older
    // one must not shorten it, so reusing the earlier customer would keep the window open.
    const send = async (hoursAgo: number, mid: string) => {
      const t = Date.now() - hoursAgo * 3_600_000;
      const body = JSON.stringify({ object: 'page', entry: [{ id: META.pageId, time: t, messaging: [{ sender: { id: `${PSID}${mid}` }, recipient: { id: META.pageId }, timestamp: t, message: { mid, text: 'Vraagje' } }] }] });
      await post('messenger', fbInbox, (r) => signedMeta(META.appSecret, r), body);
      const m = await messageBy(fbInbox, mid);
      return reply(m.conversationId, { content: 'Antwoord' });
    };
    expect((await send(30, 'm_TAG1')).status).toBe('sent');
    expect(fb.bodies().at(-1)).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    const tooLate = await send(8 * 24, 'm_TAG2');
    expect(tooLate.status).toBe('failed');
    expect(tooLate.statusReason).toMatch(/^outside_window/);
  });
});

describe('forged signatures', () => {
  it('accepts none of 1,000 forged or unsigned requests and stores nothing', async () => {
    const before = await db().select({ id: inboundEvents.id }).from(inboundEvents);
    const forgers: (() => RawRequest)[] = [
      () => signedMeta('guessed-secret', { method: 'POST', url: url('whatsapp', waInbox), contentType: 'application/json', body: JSON.stringify(waText(`wamid.FORGED-${Math.random()}`, 'x')) }),
      () => signedTwilio('guessed-token-0000000000', { method: 'POST', url: url('sms', smsInboxId), contentType: 'application/x-www-form-urlencoded', body: smsInbound(`SMforged${Math.random()}`, 'x') }),
      () => ({ method: 'POST', url: url('telegram', tgInbox), headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': `guess-${Math.random()}` }, rawBody: Buffer.from(JSON.stringify(tgText(Math.floor(Math.random() * 1e9), 1, 'x'))), query: {} }),
      () => ({ ...signedMeta(META.appSecret, { method: 'POST', url: url('messenger', fbInbox), contentType: 'application/json', body: '{"object":"page","entry":[]}' }), rawBody: Buffer.from('{"object":"page","entry":[{"id":"1"}]}') }),
      () => ({ method: 'POST', url: url('whatsapp', waInbox), headers: { 'content-type': 'application/json' }, rawBody: Buffer.from(JSON.stringify(waText('wamid.UNSIGNED', 'x'))), query: {} }),
    ];
    const statuses: number[] = [];
    for (let i = 0; i < 1000; i += 50) {
      statuses.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, (_, j) => {
            const req = forgers[(i + j) % forgers.length]!();
            const kind = new URL(req.url).pathname.split('/')[2]!;
            const inbox = new URL(req.url).pathname.split('/')[3]!;
            return app.postWebhook(kind, inbox, req);
          }),
        )),
      );
    }
    expect(statuses).toHaveLength(1000);
    expect(statuses.filter((s) => s < 400)).toHaveLength(0);
    expect(statuses.every((s) => s === 401 || s === 403)).toBe(true);
    const after = await db().select({ id: inboundEvents.id }).from(inboundEvents);
    expect(after.length).toBe(before.length);
  }, 120_000);
});
