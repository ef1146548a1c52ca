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
/** What the fake Graph API received, with the request body (the template and its parameters). */
const waSent = () => wa.sent() as unknown as Array<{ text: string; body: { to: string; type: string } & Record<string, unknown> }>;
const until = <T,>(check: () => Promise<T | undefined | null | false>) => app.test.until(check, 60_000);
const nudge = () => ['incident-broadcast', 'send-batch', 'send-outbound'].forEach((q) => app.test.balie.queue.nudge(q));

async function whatsappCustomer(waId: string, name: string, hoursAgo: number, attributes: Record<string, string> = { postcode: '3512AB' }) {
  wa.customerWrote(waId, new Date(Date.now() - hoursAgo * 3_600_000));
  const id = `wamid.INC-${waId}`;
  const body = JSON.stringify(
    waEnvelope({ contacts: [{ profile: { name }, wa_id: waId }], messages: [{ from: waId, id, timestamp: String(Math.floor(Date.now() / 1000) - hoursAgo * 3600), type: 'text', text: { body: 'Mijn internet doet het niet' } }] }),
  );
  const url = `${app.test.config.publicUrl}/webhooks/whatsapp/${waInbox}`;
  expect(await app.postWebhook('whatsapp', waInbox, signedMeta(WA.appSecret, { method: 'POST', url, contentType: 'application/json', body }))).toBe(200);
  const m = await until(async () => (await db().select().from(messages).where(and(eq(messages.inboxId, waInbox), eq(messages.externalId, id))))[0]);
  const [conv] = await db().select({ contactId: conversations.contactId }).from(conversations).where(eq(conversations.id, m.conversationId));
  const contactId = conv!.contactId;
  expect((await app.callApi('PATCH', `/api/v1/contacts/${contactId}`, { attributes })).status).toBe(200);
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

describe('incident notices as WhatsApp templates', () => {
  const put = (scenario: string, locale: string, kind: string, body: Record<string, unknown>) =>
    app.callApi('PUT', `/api/v1/certainty/incident-whatsapp-templates/${scenario}/${locale}/${kind}`, body);

  it('refuses a mapping that does not fit the template or the scenario', async () => {
    wa.addTemplate({ name: 'storing_melding', language: 'nl', body: 'Hoi {{1}}, er is een storing in {{2}}. We verwachten herstel {{3}}.' });
    wa.addTemplate({ name: 'storing_concept', language: 'nl', body: 'Storing {{1}}', status: 'REJECTED' });
    const good = { inboxId: waInbox, name: 'storing_melding', language: 'nl', parameters: ['{name}', '{area}', '{expected}'] };
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ ...good, name: 'bestaat_niet' }, 'unknown_template', 'name'],
      [{ ...good, name: 'storing_concept', parameters: ['area'] }, 'unknown_template', 'name'],
      [{ ...good, language: 'en' }, 'unknown_template', 'name'],
      [{ ...good, parameters: ['{name}', '{postcode}', '{expected}'] }, 'unknown_variable', 'parameters.1'],
      [{ ...good, parameters: ['{name}', '{area}', '{update}'] }, 'unknown_variable', 'parameters.2'],
      [{ ...good, parameters: ['{name}', '{area}'] }, 'template_parameter_count', 'parameters'],
      [{ ...good, inboxId: smsInbox }, 'not_whatsapp_inbox', 'inboxId'],
    ];
    for (const [body, code, path] of cases) {
      const res = await put('cable_break', 'nl', 'notice', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      const error = (res.body as { error: { code: string; message: string; fields?: Array<{ path: string }> } }).error;
      expect(error.code).toBe(code);
      expect(error.fields?.[0]?.path).toBe(path);
      expect(error.message.length).toBeGreaterThan(10);
    }
    expect((await put('no_such_scenario', 'nl', 'notice', good)).status).toBe(422);
    expect((await put('cable_break', 'de', 'notice', good)).status).toBe(422);
    const settings = await app.callApi('GET', '/api/v1/certainty/settings');
    expect((settings.body as { incidentWhatsAppTemplates: unknown }).incidentWhatsAppTemplates).toEqual({});
  });

  it('sends the template outside the window, free text inside it, and SMS without a template or when it fails', async () => {
    wa.addTemplate({ name: 'storing_update', language: 'nl', body: 'Nieuws over de storing in {{1}}: {{2}}' });
    const segment = { postcode: '3812AB' };
    const anna = await whatsappCustomer('31655550011', 'Anna de Boer', 30, segment);
    const bram = await whatsappCustomer('31655550012', 'Bram Smit', 2, segment);
    const chris = await whatsappCustomer('31655550013', 'Chris Taylor', 30, { ...segment, locale: 'en' });
    expect((await app.callApi('PATCH', `/api/v1/inboxes/${waInbox}`, { settings: { fallbackInboxId: smsInbox } })).status).toBe(200);
    const saved = await put('cable_break', 'nl', 'notice', { inboxId: waInbox, name: 'storing_melding', language: 'nl', parameters: ['{name}', 'area', '{expected}'] });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ name: 'storing_melding', parameters: ['name', 'area', 'expected'], body: 'Hoi {{1}}, er is een storing in {{2}}. We verwachten herstel {{3}}.' });
    expect((await put('cable_break', 'nl', 'update', { inboxId: waInbox, name: 'storing_update', language: 'nl', parameters: ['{area}', '{update}'] })).status).toBe(200);
    const settings = await app.callApi('GET', '/api/v1/certainty/settings');
    expect((settings.body as { incidentWhatsAppTemplates: Record<string, unknown> }).incidentWhatsAppTemplates.cable_break).toMatchObject({ nl: { notice: { name: 'storing_melding' }, update: { name: 'storing_update' } } });

    // The fake speaks the Cloud API's rules: no free-form message to a customer whose window closed.
    const direct = await fetch(`${wa.url}/v21.0/${WA.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${WA.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', to: '31655550011', type: 'text', text: { body: 'Hallo' } }),
    });
    expect(direct.status).toBe(400);
    expect(((await direct.json()) as { error: { code: number } }).error.code).toBe(131047);

    const smsBefore = tw.sent().length;
    const waBefore = wa.sent().length;
    const declared = await app.callApi('POST', '/api/v1/incidents', { scenario: 'cable_break', segment: { postcodeFrom: 3800, postcodeTo: 3899 }, variables: { area: 'Amersfoort', expected: '2026-12-04T18:00' } });
    expect(declared.status).toBe(201);
    const notices = await noticesOf((declared.body as { broadcastId: string }).broadcastId, 3);
    const of = (c: { contactId: string }) => notices.find((n) => n.contactId === c.contactId)!.message;

    // Anna (window closed): the approved template with her values, on WhatsApp.
    expect(of(anna)).toMatchObject({ status: 'sent', content: 'Hoi Anna, er is een storing in Amersfoort. We verwachten herstel vrijdag 4 december om 18:00.' });
    expect(of(anna).externalId).toMatch(/^wamid\.FAKE/);
    expect(of(anna).contentAttributes).toMatchObject({ template: { name: 'storing_melding', language: 'nl', variables: ['Anna', 'Amersfoort', 'vrijdag 4 december om 18:00'] } });
    expect(of(anna).contentAttributes.fallback).toBeUndefined();
    const annaSent = waSent().slice(waBefore).find((x) => x.body.to === '31655550011')!;
    expect(annaSent.body).toMatchObject({
      type: 'template',
      template: { name: 'storing_melding', language: { code: 'nl' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Anna' }, { type: 'text', text: 'Amersfoort' }, { type: 'text', text: 'vrijdag 4 december om 18:00' }] }] },
    });
    // Bram (window open): the scenario's free WhatsApp text.
    expect(of(bram)).toMatchObject({ status: 'sent', content: expect.stringMatching(/^Hoi Bram, door een kabelbreuk in Amersfoort/) });
    expect(of(bram).contentAttributes.template).toBeUndefined();
    expect(waSent().slice(waBefore).find((x) => x.body.to === '31655550012')!.body.type).toBe('text');
    // Chris (English, window closed, no English template): the SMS text through the SMS inbox.
    expect(of(chris).contentAttributes.template).toBeUndefined();
    expect(of(chris).contentAttributes.fallback).toMatchObject({ channel: 'sms', status: 'sent', reason: expect.stringMatching(/^outside_window/) });
    expect(tw.sent().slice(smsBefore).map((x) => x.text)).toEqual([expect.stringMatching(/^Cable break in Amersfoort/)]);

    // The update template is paused at Meta meanwhile: WhatsApp refuses it (132001), so Anna gets the update by SMS.
    wa.setTemplateStatus('storing_update', 'nl', 'PAUSED');
    const incidentId = (declared.body as { incident: { id: string } }).incident.id;
    const update = await app.callApi('POST', `/api/v1/incidents/${incidentId}/updates`, { nl: 'De monteurs zijn ter plaatse.' });
    expect(update.status).toBe(201);
    const updates = await noticesOf((update.body as { broadcastId: string }).broadcastId, 3);
    const annaUpdate = updates.find((n) => n.contactId === anna.contactId)!.message;
    expect(annaUpdate.contentAttributes).toMatchObject({ template: { name: 'storing_update', variables: ['Amersfoort', 'De monteurs zijn ter plaatse.'] } });
    expect(annaUpdate.contentAttributes.fallback).toMatchObject({ channel: 'sms', status: 'sent', reason: expect.stringMatching(/^meta_132001/) });
    expect(tw.sent().slice(smsBefore).map((x) => x.text)).toContain('Update over de kabelbreuk in Amersfoort: De monteurs zijn ter plaatse.');
    expect(updates.find((n) => n.contactId === bram.contactId)!.message).toMatchObject({ status: 'sent', content: 'Update over de kabelbreuk in Amersfoort: De monteurs zijn ter plaatse.' });

    // Removing the mapping: a closed window falls back to SMS again.
    expect((await app.callApi('DELETE', '/api/v1/certainty/incident-whatsapp-templates/cable_break/nl/notice')).status).toBe(204);
    const after = await app.callApi('GET', '/api/v1/certainty/settings');
    expect((after.body as { incidentWhatsAppTemplates: Record<string, { nl: Record<string, unknown> }> }).incidentWhatsAppTemplates.cable_break!.nl.notice).toBeUndefined();
  }, 120_000);
});

