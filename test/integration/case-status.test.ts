import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createApiInbox, createTestApp, inbound, setupWorkspace, type TestApp } from '../support/app';
import { uuidv7, type Runtime } from '../../src/shared/runtime';

/** The customer's case-status page: signed, revocable, expiring links; never internal notes; rate limits. */
let app: TestApp;
let token: string;
let inboxId: string;
let clockOffset = 0;
const runtime: Runtime = { now: () => new Date(Date.now() + clockOffset), id: () => uuidv7(), random: Math.random };

const tokenOf = (url: string) => url.split('/s/')[1]!;

beforeAll(async () => {
  app = await createTestApp({ runtime });
  token = (await setupWorkspace(app)).apiToken;
  inboxId = (await createApiInbox(app, token)).id;
});
afterAll(() => app.close());

async function newCase(ext: string, content = 'Mijn internet doet het niet. Wanneer komt de monteur?') {
  const r = await inbound(app, token, inboxId, { externalId: ext, contact: { email: `${ext}@klant.nl`, name: 'Sanne Jansen' }, content });
  expect(r.status).toBe(201);
  return r.body as { conversationId: string; contactId: string };
}

async function linkOf(conversationId: string) {
  const r = await app.call('POST', `/api/v1/conversations/${conversationId}/status-link`, { token });
  expect(r.status).toBe(200);
  return r.body.url as string;
}

describe('case-status page', () => {
  it('shows status, promise and public messages, but never an internal note', async () => {
    const c = await newCase('cs-1');
    await app.call('POST', `/api/v1/conversations/${c.conversationId}/messages`, { token, body: { kind: 'note', content: 'GEHEIM: klant is lastig, niet terugbellen' } });
    await app.call('POST', `/api/v1/conversations/${c.conversationId}/messages`, { token, body: { kind: 'message', content: 'Ik plan de monteur voor morgen om 10:00.' } });
    const promise = await app.call('POST', `/api/v1/conversations/${c.conversationId}/promise`, { token, body: {} });
    expect(promise.status).toBe(200);
    expect(promise.body.text).toContain('/s/');
    const url = await linkOf(c.conversationId);
    expect(await linkOf(c.conversationId)).toBe(url); // the same link until revoked

    const page = await app.call('GET', `/s/${tokenOf(url)}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['x-robots-tag']).toContain('noindex');
    expect(page.text).toContain('<meta name="robots" content="noindex,nofollow">');
    expect(page.text).toContain('Mijn internet doet het niet');
    expect(page.text).toContain('Ik plan de monteur voor morgen om 10:00.');
    expect(page.text).not.toContain('GEHEIM');
    expect(page.text).not.toContain('niet terugbellen');
    const en = await app.call('GET', `/s/${tokenOf(url)}?lang=en`);
    expect(en.text).toContain('lang="en"');
    expect(en.text).toContain('Messages');
  });

  it('stores only a hash of the token', async () => {
    const c = await newCase('cs-hash');
    const url = await linkOf(c.conversationId);
    const rows = await app.balie.services.store.rows<{ token_hash: string }>(sql`select token_hash from case_links`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.token_hash.includes(tokenOf(url)) || tokenOf(url).includes(r.token_hash))).toBe(false);
  });

  it('answers 404 for wrong, tampered, revoked and expired tokens', async () => {
    const c = await newCase('cs-2');
    const t = tokenOf(await linkOf(c.conversationId));
    expect((await app.call('GET', '/s/nonsense')).status).toBe(404);
    const tampered = t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A');
    expect((await app.call('GET', `/s/${tampered}`)).status).toBe(404);
    expect((await app.call('POST', `/s/${tampered}/messages`, { body: { content: 'x' } })).status).toBe(404);

    const revoked = await app.call('DELETE', `/api/v1/conversations/${c.conversationId}/status-link`, { token });
    expect(revoked.body.revoked).toBe(1);
    expect((await app.call('GET', `/s/${t}`)).status).toBe(404);
    const fresh = tokenOf(await linkOf(c.conversationId));
    expect(fresh).not.toBe(t);
    expect((await app.call('GET', `/s/${fresh}`)).status).toBe(200);

    // Resolved: the link works for the workspace-set days, then stops.
    await app.call('PATCH', '/api/v1/certainty/settings', { token, body: { statusLinkDays: 3 } });
    await app.call('POST', `/api/v1/conversations/${c.conversationId}/status`, { token, body: { status: 'resolved' } });
    clockOffset = 2 * 86_400_000;
    expect((await app.call('GET', `/s/${fresh}`)).status).toBe(200);
    clockOffset = 4 * 86_400_000;
    const expired = await app.call('GET', `/s/${fresh}`);
    expect(expired.status).toBe(404);
    expect(expired.text).toContain('werkt niet');
    clockOffset = 0;
  });

  it('adds customer information and files as an inbound message of the same conversation', async () => {
    const c = await newCase('cs-3');
    const t = tokenOf(await linkOf(c.conversationId));
    const r = await app.call('POST', `/s/${t}/messages`, {
      body: { content: 'Hierbij een foto van het modem.', attachments: [{ fileName: 'modem.jpg', contentType: 'image/jpeg', data: Buffer.from('jpegdata').toString('base64') }] },
    });
    expect(r.status).toBe(201);
    const msgs = await app.call('GET', `/api/v1/conversations/${c.conversationId}/messages`, { token });
    const added = msgs.body.items.find((m: { content: string }) => m.content === 'Hierbij een foto van het modem.');
    expect(added).toMatchObject({ direction: 'inbound' });
    expect(added.attachments[0].fileName).toBe('modem.jpg');
    expect((await app.call('POST', `/s/${t}/messages`, { body: { content: '  ' } })).status).toBe(422);
  });

  it('lets the customer confirm or correct an agreement and request a callback', async () => {
    const c = await newCase('cs-4');
    const t = tokenOf(await linkOf(c.conversationId));
    const a = await app.call('POST', `/api/v1/conversations/${c.conversationId}/agreements`, {
      token,
      body: { summary: 'We vervangen je modem gratis.', nextStep: 'Nieuw modem per post', dueAt: '2026-12-04T15:00:00Z' },
    });
    expect(a.status).toBe(201);
    const page = await app.call('GET', `/s/${t}`);
    expect(page.text).toContain('We vervangen je modem gratis.');
    expect((await app.call('POST', `/s/${t}/agreements/${a.body.id}`, { body: { correction: 'Ik had om een monteur gevraagd.' } })).body.status).toBe('corrected');
    const other = await newCase('cs-4b');
    const otherToken = tokenOf(await linkOf(other.conversationId));
    // Another case's token cannot touch this agreement.
    expect((await app.call('POST', `/s/${otherToken}/agreements/${a.body.id}`, { body: { confirm: true } })).status).toBe(404);

    expect((await app.call('POST', `/s/${t}/callback`, { body: {} })).status).toBe(422);
    const cb = await app.call('POST', `/s/${t}/callback`, { body: { phone: '06 1234 5678', preferredTime: 'na 17:00' } });
    expect(cb.status).toBe(201);
    expect(cb.body.phone).toBe('+31612345678');
    const cert = await app.call('GET', `/api/v1/conversations/${c.conversationId}/certainty`, { token });
    expect(cert.body.callbackRequests[0]).toMatchObject({ phone: '+31612345678', status: 'requested', preferredTime: 'na 17:00' });
    expect((await app.call('GET', `/s/${t}`)).text).toContain('We bellen je terug.');

    // An agent sets the time: the page says when, in the workspace's zone (Amsterdam: 09:30 UTC is 10:30).
    const scheduled = await app.call('PATCH', `/api/v1/callbacks/${cb.body.id}`, { token, body: { dueAt: '2030-01-08T09:30:00Z' } });
    expect(scheduled.status, scheduled.text).toBe(200);
    expect(scheduled.body.status).toBe('scheduled');
    expect((await app.call('GET', `/s/${t}`)).text).toContain('We bellen je terug op dinsdag 8 januari 2030 om 10:30.');
    expect((await app.call('GET', `/s/${t}?lang=en`)).text).toContain('We will call you back on Tuesday 8 January 2030 at 10:30.');
    // Cancelled: no promise of a call any more, the customer may ask again.
    await app.call('PATCH', `/api/v1/callbacks/${cb.body.id}`, { token, body: { status: 'cancelled' } });
    const after = (await app.call('GET', `/s/${t}`)).text;
    expect(after).not.toContain('We bellen je terug op');
    expect(after).toContain('data-action="callback"');
  });

  it('rate-limits actions per link and page views per address', async () => {
    const c = await newCase('cs-5');
    const t = tokenOf(await linkOf(c.conversationId));
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await app.call('POST', `/s/${t}/messages`, { body: { content: `info ${i}` } })).status);
    expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const msgs = await app.call('GET', `/api/v1/conversations/${c.conversationId}/messages`, { token });
    expect(msgs.body.items.filter((m: { content: string }) => m.content.startsWith('info ')).length).toBe(10);

    let limited = 0;
    for (let i = 0; i < 70 && !limited; i++) if ((await app.call('GET', `/s/wrong-${i}`)).status === 429) limited = i;
    expect(limited).toBeGreaterThan(0);
  });
});
