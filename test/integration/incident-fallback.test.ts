import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { conversations, incidentNotices, messages } from '../../src/store/schema';
import { startContractApp } from '../support/channel-harness';
import { signedMeta, startWhatsAppFake, WA, waEnvelope } from '../support/fakes/whatsapp';
import { startTwilioFake } from '../support/fakes/twilio';

/**
 * Incident notices on WhatsApp use the inbox's fallback channel like any other message: a customer WhatsApp
 * cannot reach (last wrote more than 24 hours ago) gets the notice's SMS text through the SMS inbox, recorded on
 * the message; a customer inside the window gets the WhatsApp text on WhatsApp. Without a fallback the notice
 * fails with WhatsApp's reason. Against the local fake Graph API and Twilio.
 */
let app: Awaited<ReturnType<typeof startContractApp>>;
let wa: Awaited<ReturnType<typeof startWhatsAppFake>>;
let tw: Awaited<ReturnType<typeof startTwilioFake>>;
let waInbox: string;
let smsInbox: string;

beforeAll(async () => {
  [app, wa, tw] = await Promise.all([startContractApp(), startWhatsAppFake(), startTwilioFake()]);
  smsInbox = (await app.createInbox('sms', { ...tw.settings, ...tw.secrets })).inboxId;
  waInbox = (await app.createInbox('whatsapp', { ...wa.settings, ...wa.secrets })).inboxId;
}, 120_000);
afterAll(async () => {
  await Promise.all([app?.close(), wa?.stop(), tw?.stop()]);
});

const db = () => app.test.balie.services.store.db;
const until = <T,>(check: () => Promise<T | undefined | null | false>) => app.test.until(check, 60_000);
const nudge = () => ['incident-broadcast', 'send-batch', 'send-outbound'].forEach((q) => app.test.balie.queue.nudge(q));

async function whatsappCustomer(waId: string, name: string, hoursAgo: number) {
  const id = `wamid.INC-${waId}`;
  const body = JSON.stringify(
    waEnvelope({ contacts: [{ profile: { name }, wa_id: waId }], messages: [{ from: waId, id, timestamp: String(Math.floor(Date.now() / 1000) - hoursAgo * 3600), type: 'text', text: { body: 'Mijn internet doet het niet' } }] }),
  );
  const url = `${app.test.config.publicUrl}/webhooks/whatsapp/${waInbox}`;
  expect(await app.postWebhook('whatsapp', waInbox, signedMeta(WA.appSecret, { method: 'POST', url, contentType: 'application/json', body }))).toBe(200);
  const m = await until(async () => (await db().select().from(messages).where(and(eq(messages.inboxId, waInbox), eq(messages.externalId, id))))[0]);
  const [conv] = await db().select({ contactId: conversations.contactId }).from(conversations).where(eq(conversations.id, m.conversationId));
  const contactId = conv!.contactId;
  expect((await app.callApi('PATCH', `/api/v1/contacts/${contactId}`, { attributes: { postcode: '3512AB' } })).status).toBe(200);
  return { contactId, conversationId: m.conversationId };
}

async function noticesOf(broadcastId: string, count: number) {
  return until(async () => {
    nudge();
    const rows = await db().select({ contactId: incidentNotices.contactId, messageId: incidentNotices.messageId }).from(incidentNotices).where(eq(incidentNotices.broadcastId, broadcastId));
    const ids = rows.map((r) => r.messageId).filter((x): x is string => !!x);
    if (ids.length < count) return undefined;
    const msgs = await db().select().from(messages).where(inArray(messages.id, ids));
    if (msgs.some((m) => m.status === 'queued')) return undefined;
    return rows.map((r) => ({ contactId: r.contactId, message: msgs.find((m) => m.id === r.messageId)! }));
  });
}

describe('incident notices through the fallback channel', () => {
  it('sends the SMS text through the SMS inbox when WhatsApp cannot deliver, and WhatsApp otherwise', async () => {
    const eva = await whatsappCustomer('31655550001', 'Eva Jansen', 30);
    const femke = await whatsappCustomer('31655550002', 'Femke de Vries', 1);
    expect((await app.callApi('PATCH', `/api/v1/inboxes/${waInbox}`, { settings: { fallbackInboxId: smsInbox } })).status).toBe(200);
    const smsBefore = tw.sent().length;
    const declared = await app.callApi('POST', '/api/v1/incidents', {
      scenario: 'cable_break',
      segment: { postcodeFrom: 3500, postcodeTo: 3599 },
      variables: { area: 'Utrecht-Oost', expected: '2026-12-04T18:00' },
    });
    expect(declared.status).toBe(201);
    const notices = await noticesOf((declared.body as { broadcastId: string }).broadcastId, 2);

    const toEva = notices.find((n) => n.contactId === eva.contactId)!.message;
    expect(toEva).toMatchObject({ status: 'sent', inboxId: waInbox });
    expect(toEva.externalId).toMatch(/^SM/);
    expect(toEva.contentAttributes.fallback).toMatchObject({ channel: 'sms', inboxId: smsInbox, status: 'sent', reason: expect.stringMatching(/^outside_window/) });
    const sms = tw.sent().slice(smsBefore).map((s) => s.text);
    expect(sms).toHaveLength(1);
    expect(sms[0]).toBe('Kabelbreuk in Utrecht-Oost. Monteurs graven de kabel op; verwacht herstel vrijdag 4 december om 18:00. Je hoeft het niet te melden.');
    expect(tw.requests().at(-1)?.get('To')).toBe('+31655550001');

    const toFemke = notices.find((n) => n.contactId === femke.contactId)!.message;
    expect(toFemke).toMatchObject({ status: 'sent', inboxId: waInbox });
    expect(toFemke.externalId).toMatch(/^wamid\.FAKE/);
    expect(toFemke.contentAttributes.fallback).toBeUndefined();
    expect(toFemke.content).toBe('Hoi Femke, door een kabelbreuk in Utrecht-Oost werken internet en tv niet. Verwacht herstel vrijdag 4 december om 18:00. Intussen online moeten? Antwoord hier voor een 4G-dongle.');
    expect(wa.sent().at(-1)?.text).toBe(toFemke.content);

    // What the agent app shows on Eva's conversation: the notice, delivered via SMS.
    const listed = await app.callApi('GET', `/api/v1/conversations/${eva.conversationId}/messages`);
    const shown = (listed.body as { items: Array<{ id: string; status: string; contentAttributes: Record<string, unknown> }> }).items.find((m) => m.id === toEva.id);
    expect(shown).toMatchObject({ status: 'sent', contentAttributes: { fallback: { channel: 'sms' } } });

    // Without a fallback channel the update cannot reach Eva, and says why; Femke still gets it on WhatsApp.
    expect((await app.callApi('PATCH', `/api/v1/inboxes/${waInbox}`, { settings: { fallbackInboxId: null } })).status).toBe(200);
    const incidentId = (declared.body as { incident: { id: string } }).incident.id;
    const update = await app.callApi('POST', `/api/v1/incidents/${incidentId}/updates`, { nl: 'De monteurs zijn ter plaatse.' });
    expect(update.status).toBe(201);
    const updates = await noticesOf((update.body as { broadcastId: string }).broadcastId, 2);
    const evaUpdate = updates.find((n) => n.contactId === eva.contactId)!.message;
    expect(evaUpdate.status).toBe('failed');
    expect(evaUpdate.statusReason).toMatch(/^outside_window/);
    expect(evaUpdate.contentAttributes.fallback).toBeUndefined();
    expect(tw.sent().length).toBe(smsBefore + 1);
    expect(updates.find((n) => n.contactId === femke.contactId)!.message.status).toBe('sent');
  });
});
