import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createApiInbox, inbound } from '../support/app';
import { startVoiceLine, type VoiceLine } from '../support/voice-line';
import { fakeCall } from '../support/fakes/twilio-voice';
import { uuidv7, type Runtime } from '../../src/shared/runtime';
import { callbackRequests } from '../../src/store/schema';

/**
 * The customer picks when to be called back: slots within the phone line's opening hours (Dutch holidays
 * closed), a capacity per slot, and every wrong pick refused with a clear NL/EN error that stores nothing. And
 * "press 1" in the phone menu is due at once only while the line is open, and not late before its window ends.
 * The clock is injected: it starts on Wednesday 23 December 2026, 16:10 in Amsterdam.
 */
let clock = new Date('2026-12-23T15:10:00Z');
const runtime: Runtime = { now: () => clock, id: () => uuidv7(), random: Math.random };
let line: VoiceLine;
let apiInboxId: string;
const nineToFive = [{ start: '09:00', end: '17:00' }];
const week = [[], nineToFive, nineToFive, nineToFive, nineToFive, nineToFive, []];

beforeAll(async () => {
  line = await startVoiceLine({ runtime, settings: { callbackSlots: { minutes: 30, days: 5, capacity: 1 } } });
  const r = await line.app.call('PATCH', '/api/v1/certainty/settings', {
    token: line.token,
    body: { promiseAcknowledgement: false, calendars: { [line.inboxId]: { timeZone: 'Europe/Amsterdam', week, dutchHolidays: true } } },
  });
  expect(r.status, r.text).toBe(200);
  apiInboxId = (await createApiInbox(line.app, line.token)).id;
});
afterAll(async () => {
  await line?.close();
});

async function newCase(ext: string) {
  const r = await inbound(line.app, line.token, apiInboxId, { externalId: ext, contact: { email: `${ext}@klant.nl`, name: 'Sanne', phone: '+3161234' + String(1000 + Math.floor(Math.random() * 8999)) }, content: 'Bel me even?' });
  expect(r.status).toBe(201);
  const link = await line.app.call('POST', `/api/v1/conversations/${r.body.conversationId}/status-link`, { token: line.token });
  return { conversationId: r.body.conversationId as string, path: new URL(link.body.url).pathname };
}
const storedCount = async () => ((await line.app.balie.services.store.db.select({ n: sql<number>`count(*)::int` }).from(callbackRequests)) as [{ n: number }])[0].n;
const queueItem = async (id: string) => (await line.app.call('GET', '/api/v1/callbacks?status=all&limit=200', { token: line.token })).body.items.find((i: { id: string }) => i.id === id);

describe('callback slots', () => {
  it('lists the free slots of the next five working days of the phone line, without Christmas or the weekend', async () => {
    const c = await newCase('slots-list');
    const r = await line.app.call('GET', `${c.path}/callback-slots`);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ timeZone: 'Europe/Amsterdam', minutes: 30 });
    expect(r.body.slots[0]).toEqual({ start: '2026-12-23T15:30:00.000Z', end: '2026-12-23T16:00:00.000Z', available: true });
    const days = [...new Set(r.body.slots.map((s: { start: string }) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', dateStyle: 'short' }).format(new Date(s.start))))];
    expect(days).toEqual(['2026-12-23', '2026-12-24', '2026-12-28', '2026-12-29', '2026-12-30']);

    // The page offers them in a picker grouped by day, in Dutch or English.
    const page = await line.app.call('GET', c.path);
    expect(page.text).toContain('<select name="slot" required>');
    expect(page.text).toContain('<optgroup label="donderdag 24 december">');
    expect(page.text).toContain('data-when="donderdag 24 december tussen 09:00 en 09:30"');
    const en = await line.app.call('GET', `${c.path}?lang=en`);
    expect(en.text).toContain('<optgroup label="Thursday 24 December">');
    expect(en.text).toContain('When may we call?');
  });

  it('books a picked slot: the callback is due then, on time until the slot ends, and the slot is full afterwards', async () => {
    const c = await newCase('slots-book');
    const slot = '2026-12-24T08:00:00.000Z';
    const r = await line.app.call('POST', `${c.path}/callback`, { body: { phone: '06 1111 2222', slot, note: 'Over de storing' } });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ phone: '+31611112222', dueAt: slot, windowEndsAt: '2026-12-24T08:30:00.000Z' });
    expect(await queueItem(r.body.id)).toMatchObject({ dueAt: slot, windowEndsAt: '2026-12-24T08:30:00.000Z', overdue: false, source: 'status_page', note: 'Over de storing' });

    const slots = (await line.app.call('GET', `${c.path}/callback-slots`)).body.slots;
    expect(slots.find((s: { start: string }) => s.start === slot)).toMatchObject({ available: false });
    const page = await line.app.call('GET', (await newCase('slots-full-page')).path);
    expect(page.text).toMatch(/<option value="2026-12-24T08:00:00.000Z" [^>]*disabled>do 24 dec\.? · 09:00 – 09:30 \(vol\)<\/option>/);

    // Another customer picks the same slot: full, in their language, and nothing is stored.
    const other = await newCase('slots-book-2');
    const before = await storedCount();
    const full = await line.app.call('POST', `${other.path}/callback`, { body: { phone: '0612345678', slot } });
    expect(full.status).toBe(409);
    expect(full.body.error).toMatchObject({ code: 'slot_full', message: 'Dit tijdstip is net vol geraakt. Kies een ander moment.' });
    const fullEn = await line.app.call('POST', `${other.path}/callback?lang=en`, { body: { phone: '0612345678', slot } });
    expect(fullEn.body.error.message).toBe('This time has just filled up. Please pick another one.');
    expect(await storedCount()).toBe(before);

    // Overdue once the slot has ended, not when it starts.
    clock = new Date('2026-12-24T08:20:00Z');
    expect((await queueItem(r.body.id)).overdue).toBe(false);
    clock = new Date('2026-12-24T08:31:00Z');
    expect((await queueItem(r.body.id)).overdue).toBe(true);
    clock = new Date('2026-12-23T15:10:00Z');
  });

  it('refuses a slot in the past, outside opening hours, off the grid or too far ahead, with a 4xx and nothing stored', async () => {
    const c = await newCase('slots-bad');
    const before = await storedCount();
    const pick = (slot: string, lang = 'nl') => line.app.call('POST', `${c.path}/callback?lang=${lang}`, { body: { phone: '0612345678', slot } });
    const past = await pick('2026-12-23T14:00:00.000Z');
    expect(past.status).toBe(422);
    expect(past.body.error).toMatchObject({ code: 'slot_in_past', message: 'Dit tijdstip is al voorbij. Kies een ander moment.' });
    const evening = await pick('2026-12-23T19:00:00.000Z', 'en');
    expect(evening.status).toBe(422);
    expect(evening.body.error).toMatchObject({ code: 'slot_outside_hours', message: 'We are not open at this time. Please pick a time within our opening hours.' });
    expect((await pick('2026-12-25T09:00:00.000Z')).body.error.code).toBe('slot_outside_hours'); // Christmas
    expect((await pick('2026-12-26T10:00:00.000Z')).body.error.code).toBe('slot_outside_hours'); // Saturday
    expect((await pick('2026-12-24T08:10:00.000Z')).body.error.code).toBe('slot_outside_hours'); // not a slot start
    expect((await pick('2027-01-06T09:00:00.000Z')).body.error.code).toBe('slot_too_far');
    expect((await pick('tomorrow at ten')).status).toBe(422);
    const noPhone = await line.app.call('POST', `${c.path}/callback?lang=en`, { body: { phone: 'x', slot: '2026-12-24T09:00:00.000Z' } });
    expect(noPhone.body.error).toMatchObject({ code: 'phone_required', message: 'A valid phone number is needed to call you back.' });
    expect(await storedCount()).toBe(before);
  });

  it('takes a callback from the chat widget in a picked slot, with the same checks', async () => {
    const widget = await line.app.call('POST', '/api/v1/inboxes', { token: line.token, body: { name: 'Chat', kind: 'widget', settings: { allowedOrigins: ['https://shop.example'] } } });
    expect(widget.status, widget.text).toBe(201);
    const own = new URL(line.app.config.publicUrl).origin;
    const s = await line.app.call('POST', `/api/widget/v1/inboxes/${widget.body.id}/session`, { body: { hostOrigin: 'https://shop.example', locale: 'nl' }, headers: { origin: own } });
    expect(s.status, s.text).toBe(200);
    const headers = { origin: own, 'x-widget-token': s.body.token };
    // Nothing to call back about before the first message.
    const early = await line.app.call('GET', '/api/widget/v1/callback-slots?locale=en', { headers });
    expect(early.status).toBe(404);
    expect(early.body.error.message).toBe('Send us a message first, then we can call you back.');
    expect((await line.app.call('POST', '/api/widget/v1/messages', { body: { locale: 'nl', clientId: 'client-callback-1', content: 'Kunnen jullie me bellen?' }, headers })).status).toBeLessThan(300);
    const slots = await line.app.call('GET', '/api/widget/v1/callback-slots?locale=nl', { headers });
    expect(slots.status, slots.text).toBe(200);
    const free = slots.body.slots.find((x: { available: boolean }) => x.available);
    const bad = await line.app.call('POST', '/api/widget/v1/callback', { body: { phone: '0687654321', slot: '2026-12-23T19:00:00.000Z', locale: 'nl' }, headers });
    expect(bad.body.error).toMatchObject({ code: 'slot_outside_hours', message: 'Op dit tijdstip zijn we niet open. Kies een moment binnen onze openingstijden.' });
    const ok = await line.app.call('POST', '/api/widget/v1/callback', { body: { phone: '0687654321', slot: free.start, locale: 'nl' }, headers });
    expect(ok.status, ok.text).toBe(201);
    expect(await queueItem(ok.body.id)).toMatchObject({ source: 'widget', phone: '+31687654321', dueAt: free.start, overdue: false });
  });
});

describe('"press 1" in the phone menu', () => {
  const pressOne = async (from: string) => {
    const call = fakeCall({ post: line.post, voiceUrl: line.voiceUrl(), from });
    await call.start();
    await call.press('1');
    await call.hangup('completed', 20);
    const [row] = await line.app.balie.services.store.db.select().from(callbackRequests).where(and(eq(callbackRequests.workspaceId, line.workspaceId), eq(callbackRequests.phone, from)));
    return row!;
  };

  it('outside opening hours is due at the next opening, and not overdue until one slot after it', async () => {
    // Christmas evening (Friday): the next opening is Monday 28 December, 09:00 in Amsterdam.
    clock = new Date('2026-12-25T20:00:00Z');
    const row = await pressOne('+31655501001');
    expect(row.dueAt).toEqual(new Date('2026-12-28T08:00:00Z'));
    expect(row.windowEndsAt).toEqual(new Date('2026-12-28T08:30:00Z'));
    expect((await queueItem(row.id)).overdue).toBe(false);
    clock = new Date('2026-12-28T08:10:00Z');
    expect((await queueItem(row.id)).overdue).toBe(false);
    clock = new Date('2026-12-28T08:31:00Z');
    expect((await queueItem(row.id)).overdue).toBe(true);
  });

  it('while open is due now, but not shown as overdue the moment it arrives', async () => {
    clock = new Date('2026-12-29T10:00:00Z');
    const row = await pressOne('+31655501002');
    expect(row.dueAt).toEqual(clock);
    clock = new Date('2026-12-29T10:01:00Z');
    expect((await queueItem(row.id)).overdue).toBe(false);
    clock = new Date('2026-12-29T10:31:00Z');
    expect((await queueItem(row.id)).overdue).toBe(true);
  });
});
