import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import WebSocket from 'ws';
import { createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { identifierHash } from '../../src/domain/widget-identity';
import { conversationCsat, contacts } from '../../src/store/schema';
import { demoKb } from '../support/demo-kb';
import { inboxes } from '../../src/store/schema';
import { moveWidgetBusinessHours } from '../../src/app/data-migrations';
import { alwaysOpen } from '../../src/domain/business-hours';

/** The widget API on both drivers: origins, visitor tokens, identity, rate limits, live delivery, CSAT. */
const SITE = 'https://shop.example';
const SECRET = 'widget-identity-secret-123';

describe('widget API', () => {
  let app: TestApp;
  let owner: Awaited<ReturnType<typeof setupWorkspace>>;
  let inboxId: string;
  let own: string;

  const session = (body: Record<string, unknown>, origin = own) =>
    app.call('POST', `/api/widget/v1/inboxes/${inboxId}/session`, { body: { hostOrigin: SITE, ...body }, headers: { origin } });
  const send = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.call('POST', '/api/widget/v1/messages', { body: { locale: 'nl', ...body }, headers: { origin: own, 'x-widget-token': token, ...headers } });

  beforeAll(async () => {
    app = await createTestApp();
    own = new URL(app.config.publicUrl).origin;
    owner = await setupWorkspace(app);
    const res = await app.call('POST', '/api/v1/inboxes', {
      token: owner.apiToken,
      body: { name: 'Webshop chat', kind: 'widget', settings: { allowedOrigins: [`${SITE}/`], identitySecret: SECRET, greeting: { nl: 'Hoi!' } } },
    });
    expect(res.status).toBe(201);
    inboxId = res.body.id;
    // Secrets are write-only; the origin was normalised.
    expect(res.body.settings.identitySecret).toBeUndefined();
    expect(res.body.secretsSet).toEqual(['identitySecret']);
    expect(res.body.settings.allowedOrigins).toEqual([SITE]);
  });
  afterAll(() => app?.close());

  it('refuses bad settings with a clear error', async () => {
    const res = await app.call('POST', '/api/v1/inboxes', { token: owner.apiToken, body: { name: 'Bad', kind: 'widget', settings: { allowedOrigins: ['javascript:alert(1)'] } } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_settings');
  });

  it('serves the loader and a frame only allowed sites may embed', async () => {
    const loader = await app.call('GET', '/widget.js');
    expect(loader.status).toBe(200);
    expect(loader.headers['content-type']).toMatch(/javascript/);
    const frame = await app.call('GET', `/widget/frame/${inboxId}?origin=${encodeURIComponent(SITE)}&lang=nl`);
    expect(frame.status).toBe(200);
    expect(String(frame.headers['content-security-policy'])).toContain(`frame-ancestors ${SITE}`);
    expect(String(frame.headers['content-security-policy'])).toContain("script-src 'self'");
    const evil = await app.call('GET', `/widget/frame/${inboxId}?origin=${encodeURIComponent('https://evil.example')}`);
    expect(evil.status).toBe(403);
    const unknown = await app.call('GET', '/widget/frame/00000000-0000-0000-0000-000000000000?origin=x');
    expect(unknown.status).toBe(404);
  });

  it('refuses requests from origins that are not allowed', async () => {
    expect((await session({}, 'https://evil.example')).status).toBe(403);
    expect((await session({ hostOrigin: 'https://evil.example' })).body.error.code).toBe('origin_not_allowed');
    // Called directly from an allowed page (no frame) works too.
    expect((await session({}, SITE)).status).toBe(200);
    const ok = await session({});
    const res = await send(ok.body.token, { clientId: 'abcdefgh1', content: 'hoi' }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
  });

  it('keeps the conversation for the same token, and a resend is no duplicate', async () => {
    const s = await session({});
    expect(s.status).toBe(200);
    expect(s.body.config.greeting.nl).toBe('Hoi!');
    expect(s.body.messages).toEqual([]);
    const token = s.body.token;
    const first = await send(token, { clientId: 'client-msg-1', content: 'Waar blijft mijn bestelling?' });
    expect(first.status).toBe(201);
    const again = await send(token, { clientId: 'client-msg-1', content: 'Waar blijft mijn bestelling?' });
    expect(again.body.duplicate).toBe(true);
    const resumed = await session({ token });
    expect(resumed.body.token).toBe(token);
    expect(resumed.body.messages.map((m: { content: string }) => m.content)).toEqual(['Waar blijft mijn bestelling?']);
    // The agents see it in the inbox.
    const list = await app.call('GET', `/api/v1/conversations?inboxId=${inboxId}`, { token: owner.apiToken });
    expect(list.body.items.some((c: { id: string }) => c.id === first.body.conversationId)).toBe(true);
    // A forged or foreign token is refused.
    expect((await send('v1.bad.token.x', { clientId: 'abcdefgh2', content: 'x' })).status).toBe(401);
  });

  it('agent replies reach the visitor live over the WebSocket, notes never do', async () => {
    const base = await app.listen();
    const s = await session({});
    const token = s.body.token;
    const first = await send(token, { clientId: 'live-msg-1', content: 'Hallo?' });
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/widget/v1/live?token=${encodeURIComponent(token)}`, { headers: { origin: own } });
    const frames: { type: string; message?: { content: string; from: string } }[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once('open', r));
    await app.until(async () => frames.some((f) => f.type === 'ready'));
    const convId = first.body.conversationId;
    await app.call('POST', `/api/v1/conversations/${convId}/messages`, { token: owner.apiToken, body: { kind: 'note', content: 'interne notitie' } });
    await app.call('POST', `/api/v1/conversations/${convId}/messages`, { token: owner.apiToken, body: { kind: 'message', content: 'Hij is onderweg!' } });
    await app.until(async () => frames.some((f) => f.message?.content === 'Hij is onderweg!'));
    expect(frames.find((f) => f.message?.content === 'Hij is onderweg!')!.message!.from).toBe('agent');
    expect(frames.some((f) => f.message?.content === 'interne notitie')).toBe(false);
    ws.close();
    // Wrong origin on the socket is refused.
    const bad = new WebSocket(`${base.replace('http', 'ws')}/api/widget/v1/live?token=${encodeURIComponent(token)}`, { headers: { origin: 'https://evil.example' } });
    const code = await new Promise<number>((r) => bad.on('close', (c) => r(c)));
    expect(code).toBe(4403);
  });

  it('verifies identities: a forged hash is refused, a valid one owns its history', async () => {
    const forged = await session({ identifier: 'user-42', identifierHash: 'a'.repeat(64) });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('identity_invalid');
    const hash = identifierHash(SECRET, 'user-42');
    const real = await session({ identifier: 'user-42', identifierHash: hash, name: 'Marieke Visser', email: 'marieke@example.com' });
    expect(real.status).toBe(200);
    expect(real.body.verified).toBe(true);
    const sent = await send(real.body.token, { clientId: 'ident-msg-1', content: 'Ik ben ingelogd', name: 'Nep Naam', email: 'nep@example.com' });
    expect(sent.status).toBe(201);
    // Same identity in another browser: same history. Anonymous visitor: not.
    const other = await session({ identifier: 'user-42', identifierHash: hash });
    expect(other.body.messages.map((m: { content: string }) => m.content)).toContain('Ik ben ingelogd');
    const anon = await session({});
    expect(anon.body.messages).toEqual([]);
    // Unverified attributes did not overwrite the verified ones.
    const conv = await app.call('GET', `/api/v1/conversations/${sent.body.conversationId}`, { token: owner.apiToken });
    const [c] = await app.balie.services.store.db.select().from(contacts).where(eq(contacts.id, conv.body.contactId ?? conv.body.contact.id));
    expect(c!.name).toBe('Marieke Visser');
    expect(c!.email).toBe('marieke@example.com');
  });

  it('rate limits new conversations per IP and messages per visitor', async () => {
    const ip = { 'x-forwarded-for': '203.0.113.9' };
    let last = 0;
    for (let i = 0; i < 7; i++) {
      const s = await session({});
      const res = await app.balie.app.inject({
        method: 'POST',
        url: '/api/widget/v1/messages',
        remoteAddress: '203.0.113.9',
        headers: { origin: own, 'x-widget-token': s.body.token, 'content-type': 'application/json', ...ip },
        payload: JSON.stringify({ clientId: `rl-new-${i}-xx`, content: 'hoi', locale: 'nl' }),
      });
      last = res.statusCode;
      if (i < 6) expect(res.statusCode).toBe(201);
    }
    expect(last).toBe(429);
    const s = await session({});
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await send(s.body.token, { clientId: `rl-msg-${i}-xx`, content: `bericht ${i}` })).status);
    expect(statuses.slice(0, 30).every((x) => x === 201)).toBe(true);
    expect(statuses[31]).toBe(429);
  });

  it('restricts file types and sizes', async () => {
    const s = await session({});
    const html = await send(s.body.token, { clientId: 'file-msg-1', content: '', attachments: [{ fileName: 'x.html', contentType: 'text/html', data: Buffer.from('<script>').toString('base64') }] });
    expect(html.status).toBe(422);
    expect(html.body.error.code).toBe('file_type_not_allowed');
    const png = await send(s.body.token, { clientId: 'file-msg-2', content: '', attachments: [{ fileName: 'foto.png', contentType: 'image/png', data: Buffer.from('png-bytes').toString('base64') }] });
    expect(png.status).toBe(201);
    const file = png.body.message.attachments[0];
    const dl = await app.call('GET', `/api/widget/v1/files/${file.id}?token=${encodeURIComponent(s.body.token)}`);
    expect(dl.status).toBe(200);
    expect(dl.headers['content-security-policy']).toContain('sandbox');
    // Another visitor cannot fetch it.
    const other = await session({});
    expect((await app.call('GET', `/api/widget/v1/files/${file.id}?token=${encodeURIComponent(other.body.token)}`)).status).toBe(404);
  });

  it('CSAT only after resolution, stored on the conversation', async () => {
    const s = await session({});
    const sent = await send(s.body.token, { clientId: 'csat-msg-1', content: 'Vraagje' });
    const early = await app.call('POST', '/api/widget/v1/csat', { body: { rating: 5 }, headers: { origin: own, 'x-widget-token': s.body.token } });
    expect(early.status).toBe(409);
    await app.call('POST', `/api/v1/conversations/${sent.body.conversationId}/status`, { token: owner.apiToken, body: { status: 'resolved' } });
    const bad = await app.call('POST', '/api/widget/v1/csat', { body: { rating: 9 }, headers: { origin: own, 'x-widget-token': s.body.token } });
    expect(bad.status).toBe(422);
    const ok = await app.call('POST', '/api/widget/v1/csat', { body: { rating: 4, comment: 'Snel geholpen' }, headers: { origin: own, 'x-widget-token': s.body.token } });
    expect(ok.status).toBe(200);
    const [row] = await app.balie.services.store.db.select().from(conversationCsat).where(eq(conversationCsat.conversationId, sent.body.conversationId));
    expect(row).toMatchObject({ rating: 4, comment: 'Snel geholpen' });
    const conv = await app.call('GET', `/api/v1/conversations/${sent.body.conversationId}`, { token: owner.apiToken });
    expect(conv.body.customAttributes.csat.rating).toBe(4);
    // An inbox can switch the rating off: the widget is told, and a rating is refused.
    expect(s.body.config.csatEnabled).toBe(true);
    expect((await app.call('PATCH', `/api/v1/inboxes/${inboxId}`, { token: owner.apiToken, body: { settings: { csat: false } } })).status).toBe(200);
    expect((await session({ token: s.body.token })).body.config.csatEnabled).toBe(false);
    const off = await app.call('POST', '/api/widget/v1/csat', { body: { rating: 5 }, headers: { origin: own, 'x-widget-token': s.body.token } });
    expect(off.status).toBe(409);
    expect(off.body.error.code).toBe('csat_disabled');
    await app.call('PATCH', `/api/v1/inboxes/${inboxId}`, { token: owner.apiToken, body: { settings: { csat: true } } });
  });

  it('the answer bot answers from published articles, asks if it helped, and hands over', async () => {
    const bot = await app.call('POST', '/api/v1/inboxes', { token: owner.apiToken, body: { name: 'Bot', kind: 'widget', settings: { allowedOrigins: [SITE], bot: { enabled: true } } } });
    expect(bot.body.settings.bot).toEqual({ enabled: true, threshold: 0.6 });
    for (const a of demoKb) {
      const r = await app.call('POST', '/api/v1/kb/articles', { token: owner.apiToken, body: { locale: a.locale, title: a.title, body: a.body, status: 'published' } });
      expect(r.status).toBe(201);
    }
    const draft = await app.call('POST', '/api/v1/kb/articles', { token: owner.apiToken, body: { locale: 'nl', title: 'Geheim concept over kinderzitjes', body: 'kinderzitjes', status: 'draft' } });
    expect(draft.body.status).toBe('draft');
    const post = (token: string, body: Record<string, unknown>, url = '/api/widget/v1/messages') =>
      app.balie.app.inject({ method: 'POST', url, remoteAddress: '198.51.100.7', headers: { origin: own, 'x-widget-token': token, 'content-type': 'application/json' }, payload: JSON.stringify({ locale: 'nl', ...body }) });
    const s = await app.call('POST', `/api/widget/v1/inboxes/${bot.body.id}/session`, { body: { hostOrigin: SITE }, headers: { origin: own } });
    const token = s.body.token;
    expect((await post(token, { clientId: 'bot-msg-1', content: 'Hoe kan ik mijn bestelling retourneren?' })).statusCode).toBe(201);
    let h = await app.call('GET', '/api/widget/v1/conversation', { headers: { origin: own, 'x-widget-token': token } });
    const answer = h.body.messages[1];
    expect(answer.from).toBe('bot');
    expect(answer.bot.articleTitle).toBe('Een bestelling retourneren');
    expect(answer.bot.articleUrl).toMatch(/^\/help\/.+\/nl\/een-bestelling-retourneren$/);
    expect(answer.content).toContain('chatbot');
    // Not helpful twice → a person.
    await post(token, { helpful: false }, '/api/widget/v1/bot-feedback');
    await post(token, { clientId: 'bot-msg-2', content: 'kan ik achteraf betalen met klarna' });
    await post(token, { helpful: false }, '/api/widget/v1/bot-feedback');
    h = await app.call('GET', '/api/widget/v1/conversation', { headers: { origin: own, 'x-widget-token': token } });
    const last = h.body.messages.at(-1);
    expect(last.bot.handover).toBe(true);
    expect(last.content).toContain('medewerker');
    expect(h.body.conversation.botState).toBe('handed_over');
    // After the handover the bot stays quiet.
    await post(token, { clientId: 'bot-msg-3', content: 'Hoe kan ik mijn bestelling retourneren?' });
    h = await app.call('GET', '/api/widget/v1/conversation', { headers: { origin: own, 'x-widget-token': token } });
    expect(h.body.messages.at(-1).from).toBe('visitor');

    // "medewerker" hands over at once; questions the KB does not answer too (drafts do not count).
    for (const [i, text] of ['medewerker', 'Verkopen jullie ook kinderzitjes?'].entries()) {
      const v = await app.call('POST', `/api/widget/v1/inboxes/${bot.body.id}/session`, { body: { hostOrigin: SITE }, headers: { origin: own } });
      await post(v.body.token, { clientId: `bot-ho-${i}-x`, content: text });
      const hv = await app.call('GET', '/api/widget/v1/conversation', { headers: { origin: own, 'x-widget-token': v.body.token } });
      expect(hv.body.messages.map((m: { from: string }) => m.from)).toEqual(['visitor', 'bot']);
      expect(hv.body.messages[1].bot.handover).toBe(true);
    }
    // Widget search finds published articles only.
    const search = await app.call('GET', '/api/widget/v1/kb/search?q=kinderzitjes', { headers: { origin: own, 'x-widget-token': token } });
    expect(search.body.items).toEqual([]);
    // Browsers send no Origin on a same-origin GET (the frame's own search): Sec-Fetch-Site says where it came from.
    const found = await app.call('GET', '/api/widget/v1/kb/search?q=wachtwoord%20vergeten', { headers: { 'sec-fetch-site': 'same-origin', 'x-widget-token': token } });
    expect(found.body.items[0].title).toBe('Wachtwoord vergeten of account wijzigen');
    const crossSite = await app.call('GET', '/api/widget/v1/kb/search?q=wachtwoord', { headers: { 'sec-fetch-site': 'cross-site', 'x-widget-token': token } });
    expect(crossSite.status).toBe(403);
  });

  it('counts in the inbox business calendar shared with the promises, and migrates the old widget hours', async () => {
    const created = await app.call('POST', '/api/v1/inboxes', { token: owner.apiToken, body: { name: 'Uren', kind: 'widget', settings: { allowedOrigins: [SITE] } } });
    const id = created.body.id;
    const hoursUrl = `/api/v1/inboxes/${id}/business-hours`;
    // Without its own calendar the inbox uses the workspace default (Mon–Fri 9–17, Dutch holidays).
    const initial = await app.call('GET', hoursUrl, { token: owner.apiToken });
    expect(initial.body).toMatchObject({ own: false, calendar: { timeZone: 'Europe/Amsterdam', dutchHolidays: true } });
    // The old widget setting is refused with a pointer, not silently dropped.
    const legacy = await app.call('PATCH', `/api/v1/inboxes/${id}`, { token: owner.apiToken, body: { settings: { businessHours: { timeZone: 'UTC', days: {} } } } });
    expect(legacy.status).toBe(422);
    expect(JSON.stringify(legacy.body.error.fields)).toContain('business-hours');

    // An inbox stored before the move: its hours land in the calendar, its settings lose the old key.
    await app.balie.services.store.db
      .update(inboxes)
      .set({ settings: { ...created.body.settings, businessHours: { timeZone: 'Europe/Amsterdam', days: { sat: [['10:00', '14:00']] } } } })
      .where(eq(inboxes.id, id));
    expect(await moveWidgetBusinessHours(app.balie.services)).toBeGreaterThanOrEqual(1);
    const moved = await app.call('GET', hoursUrl, { token: owner.apiToken });
    expect(moved.body.own).toBe(true);
    expect(moved.body.calendar.week[6]).toEqual([{ start: '10:00', end: '14:00' }]);
    expect(moved.body.calendar.week[1]).toEqual([]);
    expect(moved.body.calendar.dutchHolidays).toBe(true);
    const [row] = await app.balie.services.store.db.select().from(inboxes).where(eq(inboxes.id, id));
    expect(row!.settings.businessHours).toBeUndefined();
    expect(await moveWidgetBusinessHours(app.balie.services)).toBe(0);
    // The promises read the same calendar.
    const certainty = await app.call('GET', '/api/v1/certainty/settings', { token: owner.apiToken });
    expect(certainty.body.calendars[id].week[6]).toEqual([{ start: '10:00', end: '14:00' }]);

    const header = async (locale: 'nl' | 'en') =>
      (await app.call('POST', `/api/widget/v1/inboxes/${id}/session`, { body: { hostOrigin: SITE, locale }, headers: { origin: own } })).body.expectation;
    // Open around the clock and no history: the widget target, called a target.
    expect((await app.call('PUT', hoursUrl, { token: owner.apiToken, body: { calendar: alwaysOpen } })).status).toBe(200);
    expect(await header('nl')).toEqual({ kind: 'open', text: 'We streven ernaar binnen 3 minuten te antwoorden.' });
    expect((await header('en')).text).toBe('We aim to answer within 3 minutes.');
    // Open only tomorrow, 9–17 UTC: closed now, back tomorrow at 9:00.
    const tomorrow = (new Date().getUTCDay() + 1) % 7;
    const week = Array.from({ length: 7 }, (_, d) => (d === tomorrow ? [{ start: '09:00', end: '17:00' }] : []));
    await app.call('PUT', hoursUrl, { token: owner.apiToken, body: { calendar: { timeZone: 'UTC', week, dutchHolidays: false } } });
    expect((await header('nl')).text).toMatch(/^We zijn er weer morgen om 9:00\. Laat gerust uw bericht achter/);
    expect((await header('en')).text).toMatch(/^We are back tomorrow at 9:00\./);
    // A bad calendar gets a clear error; null returns the inbox to the workspace default.
    const bad = await app.call('PUT', hoursUrl, { token: owner.apiToken, body: { calendar: { timeZone: 'Mars/Olympus', week, dutchHolidays: false } } });
    expect(bad.status).toBe(422);
    expect((await app.call('PUT', hoursUrl, { token: owner.apiToken, body: { calendar: null } })).body.own).toBe(false);
  });
});
