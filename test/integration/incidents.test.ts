import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createApiInbox, createTestApp, inbound, setupWorkspace, type TestApp } from '../support/app';
import { createHttpSink } from '../support/http-sink';

/**
 * Incident mode end to end over the API channel's signed webhook (the fake provider): declare → banner and IVR
 * text public → notices to the affected segment (opt-out respected) → inbound from the segment linked →
 * resolution broadcast → bulk resolve with a personal message.
 */
let app: TestApp;
let token: string;
let workspaceId: string;
let inboxId: string;
let sink: Awaited<ReturnType<typeof createHttpSink>>;

type Sent = { message: { content: string; conversationId: string }; contact: { name: string } };
const sent = () => sink.received.map((r) => JSON.parse(r.body) as Sent);
const nudge = () => ['incident-broadcast', 'send-batch'].forEach((q) => app.balie.queue.nudge(q));

async function customer(ext: string, name: string, attributes: Record<string, unknown>) {
  const r = await inbound(app, token, inboxId, { externalId: ext, contact: { email: `${ext}@klant.nl`, name }, content: 'Vraag over mijn abonnement' });
  const patched = await app.call('PATCH', `/api/v1/contacts/${r.body.contactId}`, { token, body: { attributes } });
  expect(patched.status).toBe(200);
  return r.body as { conversationId: string; contactId: string };
}

beforeAll(async () => {
  app = await createTestApp();
  const ws = await setupWorkspace(app);
  token = ws.apiToken;
  workspaceId = ws.workspaceId;
  sink = await createHttpSink();
  inboxId = (await createApiInbox(app, token, { webhookUrl: `${sink.url}/hook` })).id;
});
afterAll(async () => {
  await app.close();
  await sink.close();
});

describe('incident mode', () => {
  it('declares, notifies the segment, links inbound, broadcasts the resolution and bulk-resolves', async () => {
    const anna = await customer('anna', 'Anna de Boer', { postcode: '3512 AB', product: 'glasvezel' });
    await customer('bram', 'Bram Visser', { postcode: '3581KL', product: 'glasvezel', incidentOptOut: true });
    await customer('cor', 'Cor Smit', { postcode: '1011AA', product: 'glasvezel' });
    const dirk = await customer('dirk', 'Dirk Bakker', { postcode: '3599ZZ', products: 'tv, glasvezel', locale: 'en' });

    const missing = await app.call('POST', '/api/v1/incidents', { token, body: { scenario: 'cable_break', variables: { area: 'Utrecht' } } });
    expect(missing.status).toBe(422);
    expect(missing.body.error.code).toBe('missing_variables');

    const declared = await app.call('POST', '/api/v1/incidents', {
      token,
      body: {
        scenario: 'cable_break',
        segment: { postcodeFrom: 3500, postcodeTo: 3599, products: ['glasvezel'] },
        variables: { area: 'Utrecht-Oost', expected: 'vrijdag 18:00' },
        keywords: ['kabelbreuk', 'internet'],
      },
    });
    expect(declared.status).toBe(201);
    const incidentId = declared.body.incident.id as string;

    // Public surfaces right away.
    const pub = await app.call('GET', `/api/v1/public/workspaces/${workspaceId}/incidents`);
    expect(pub.status).toBe(200);
    expect(pub.body.items[0].banner.nl).toContain('Utrecht-Oost');
    expect(pub.body.ivr.nl).toContain('kabelbreuk in Utrecht-Oost');

    // Proactive notices to Anna and Dirk only (Bram opted out, Cor is outside the postcode range).
    await app.until(async () => {
      nudge();
      return sent().length >= 2;
    }, 20_000);
    await new Promise((r) => setTimeout(r, 300));
    const notices = sent();
    expect(notices.map((n) => n.contact.name).sort()).toEqual(['Anna de Boer', 'Dirk Bakker']);
    expect(notices.find((n) => n.contact.name === 'Anna de Boer')!.message.content).toMatch(/^Hoi Anna,/);
    expect(notices.find((n) => n.contact.name === 'Dirk Bakker')!.message.content).toMatch(/^Hi Dirk,/);
    expect(sink.received.every((r) => String(r.headers['x-balie-signature']).startsWith('sha256='))).toBe(true);
    const list = await app.call('GET', '/api/v1/incidents', { token });
    const broadcast = list.body.items[0].broadcasts[0];
    expect(broadcast).toMatchObject({ kind: 'notice', status: 'done', queued: 2, skipped: 1 });
    // Delivery is tracked on the messages the broadcast wrote.
    await app.until(async () => (await app.call('GET', `/api/v1/incidents/${incidentId}/broadcasts/${broadcast.id}`, { token })).body.delivery.sent === 2);

    // Inbound from the segment is linked and labelled, with a suggested reply; a keyword links an outsider.
    const again = await inbound(app, token, inboxId, { externalId: 'anna-2', contact: { email: 'anna@klant.nl' }, content: 'Mijn tv doet het ook niet meer' });
    const cor = await inbound(app, token, inboxId, { externalId: 'cor-2', contact: { email: 'cor@klant.nl' }, content: 'Is er een kabelbreuk?' });
    const annaCert = await app.call('GET', `/api/v1/conversations/${again.body.conversationId}/certainty`, { token });
    expect(annaCert.body.incidents[0]).toMatchObject({ id: incidentId, reason: 'segment' });
    expect(annaCert.body.incidents[0].suggestedReply).toContain('Anna');
    const corCert = await app.call('GET', `/api/v1/conversations/${cor.body.conversationId}/certainty`, { token });
    expect(corCert.body.incidents[0]).toMatchObject({ id: incidentId, reason: 'keyword' });
    const conv = await app.call('GET', `/api/v1/conversations/${again.body.conversationId}`, { token });
    expect(conv.body.labels).toContain(declared.body.incident.label);

    // Resolution: banner gone, resolution notice to the segment.
    const before = sink.received.length;
    const resolved = await app.call('POST', `/api/v1/incidents/${incidentId}/resolve`, { token, body: {} });
    expect(resolved.status).toBe(200);
    expect((await app.call('GET', `/api/v1/public/workspaces/${workspaceId}/incidents`)).body).toMatchObject({ items: [], ivr: { nl: null } });
    await app.until(async () => {
      nudge();
      return sink.received.length >= before + 2;
    }, 20_000);
    expect(sent().slice(before).every((n) => /gerepareerd|repaired/.test(n.message.content))).toBe(true);
    expect((await app.call('POST', `/api/v1/incidents/${incidentId}/resolve`, { token, body: {} })).status).toBe(409);

    // Bulk resolve the linked conversations with a personal message.
    const bulk = await app.call('POST', `/api/v1/incidents/${incidentId}/bulk-resolve`, {
      token,
      body: { message: { nl: 'Hoi {name}, alles werkt weer. Merk je nog iets? Antwoord gerust.', en: 'Hi {name}, all fixed.' } },
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.resolved.sort()).toEqual([again.body.conversationId, cor.body.conversationId].sort());
    const after = await app.call('GET', `/api/v1/conversations/${cor.body.conversationId}`, { token });
    expect(after.body.status).toBe('resolved');
    await app.until(async () => sent().some((n) => n.message.content === 'Hoi Cor, alles werkt weer. Merk je nog iets? Antwoord gerust.'));

    const audit = await app.balie.services.store.rows<{ action: string }>(sql`select action from audit_log where action like 'incident.%' order by id`);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['incident.declared', 'incident.broadcast', 'incident.broadcast_finished', 'incident.resolved', 'incident.bulk_resolved']),
    );
    expect(anna.conversationId).toBeTruthy();
    expect(dirk.conversationId).toBeTruthy();
  });

  it('never sends a broadcast page twice', async () => {
    const { runBroadcastPage } = await import('../../src/app/incidents');
    const [b] = await app.balie.services.store.rows<{ id: string; workspace_id: string }>(sql`select id, workspace_id from incident_broadcasts order by created_at limit 1`);
    const count = async () => Number((await app.balie.services.store.rows<{ n: number }>(sql`select count(*)::int n from incident_notices where broadcast_id = ${b!.id}`))[0]!.n);
    const n = await count();
    await app.balie.services.store.rows(sql`update incident_broadcasts set status = 'running' where id = ${b!.id}`);
    await runBroadcastPage(app.balie.services, { workspaceId: b!.workspace_id, broadcastId: b!.id });
    expect(await count()).toBe(n);
  });

  it('writes a date and time per language on every surface, and refuses a date that does not exist', async () => {
    const wrong = await app.call('POST', '/api/v1/incidents', { token, body: { scenario: 'power_outage', notify: false, variables: { area: 'Zwolle', expected: '2026-02-30T18:00' } } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('invalid_date');
    const bad = await app.call('POST', '/api/v1/incidents', { token, body: { scenario: 'power_outage', notify: false, variables: { area: 'Zwolle', expected: { en: 'soon' } } } });
    expect(bad.status).toBe(422);
    expect((await app.call('GET', `/api/v1/public/workspaces/${workspaceId}/incidents`)).body.items).toEqual([]);

    const declared = await app.call('POST', '/api/v1/incidents', {
      token,
      body: { scenario: 'power_outage', notify: false, variables: { area: 'Zwolle', expected: '2026-12-04T18:00' } },
    });
    expect(declared.status).toBe(201);
    const texts = declared.body.incident.texts as Record<'nl' | 'en', Record<string, string>>;
    for (const k of ['banner', 'sms', 'email', 'whatsapp', 'ivr']) {
      expect(texts.nl[k], k).toMatch(/vrijdag 4 december( 2026)? om 18:00/);
      expect(texts.en[k], k).toMatch(/Friday 4 December( 2026)? at 18:00/);
    }
    // The surfaces read these texts: the public banner JSON (help center, widget, case-status page) and the IVR.
    const pub = await app.call('GET', `/api/v1/public/workspaces/${workspaceId}/incidents`);
    expect(pub.body.items[0].banner.en).toMatch(/^Power outage in Zwolle\. We are on it and expect power back Friday 4 December( 2026)? at 18:00\./);
    expect(pub.body.ivr.nl).toMatch(/vrijdag 4 december( 2026)? om 18:00/);
    expect(pub.body.ivr.en).toMatch(/Friday 4 December( 2026)? at 18:00/);
    // Free text per language, for when there is no clock time to give.
    const text = await app.call('POST', '/api/v1/incidents', {
      token,
      body: { scenario: 'bad_weather', notify: false, variables: { area: 'Drenthe', expected: { nl: 'na het weekend', en: 'after the weekend' } } },
    });
    expect(text.body.incident.texts.en.banner).toContain('back to normal after the weekend');
    expect(text.body.incident.texts.nl.banner).toContain('na het weekend weer normaal');
    for (const id of [declared.body.incident.id, text.body.incident.id]) await app.call('POST', `/api/v1/incidents/${id}/resolve`, { token, body: { notify: false } });
  });

  it('paces a broadcast at the workspace rate (messages per second)', async () => {
    for (const bad of [0, 1001, 2.5]) {
      expect((await app.call('PATCH', '/api/v1/certainty/settings', { token, body: { broadcastPerSecond: bad } })).status, String(bad)).toBe(422);
    }
    const defaults = await app.call('GET', '/api/v1/certainty/settings', { token });
    expect(defaults.body.broadcastPerSecond).toBe(100);
    expect((await app.call('PATCH', '/api/v1/certainty/settings', { token, body: { broadcastPerSecond: 2 } })).body.broadcastPerSecond).toBe(2);
    const names = ['Els', 'Fenna', 'Gijs', 'Hanna', 'Ivo', 'Jet'];
    for (const n of names) await customer(`pace-${n}`, `${n} Pace`, { postcode: '7011AB' });
    const before = sink.received.length;
    const declared = await app.call('POST', '/api/v1/incidents', { token, body: { scenario: 'power_outage', segment: { postcodeFrom: 7000, postcodeTo: 7099 }, variables: { area: 'Arnhem', expected: '2026-12-04T18:00' } } });
    expect(declared.status).toBe(201);
    const arrived = await app.until(async () => {
      nudge();
      const got = sink.received.slice(before).filter((r) => (JSON.parse(r.body) as Sent).contact.name.endsWith(' Pace'));
      return got.length === names.length ? got.map((r) => r.at).sort((a, b) => a - b) : undefined;
    }, 30_000);
    // Two a second: three batches of two, a second apart — six messages take at least two seconds.
    expect(arrived[5]! - arrived[0]!).toBeGreaterThanOrEqual(1800);
    expect(arrived[2]! - arrived[0]!).toBeGreaterThanOrEqual(800);
    await app.call('PATCH', '/api/v1/certainty/settings', { token, body: { broadcastPerSecond: 100 } });
    await app.call('POST', `/api/v1/incidents/${declared.body.incident.id}/resolve`, { token, body: { notify: false } });
  });
});

