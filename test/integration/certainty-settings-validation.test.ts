import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { certaintySettings } from '../../src/store/schema';
import { createApiInbox, createTestApp, setupWorkspace, type TestApp } from '../support/app';

/**
 * What the certainty settings and business-hours forms rely on from the server: the single-value settings are
 * saved and read back, a bad value is refused with a field code and its limit (so the app can say it in the
 * user's language) and nothing stored changes, and a period that does not end after it starts is refused.
 */
let app: TestApp;
let token: string;
let workspaceId: string;
let inboxId: string;

beforeAll(async () => {
  app = await createTestApp();
  const ws = await setupWorkspace(app);
  token = ws.apiToken;
  workspaceId = ws.workspaceId;
  inboxId = (await createApiInbox(app, token)).id;
});
afterAll(() => app.close());

const week = (monday: { start: string; end: string }[]) => Array.from({ length: 7 }, (_, d) => (d === 1 ? monday : []));

describe('certainty settings: the values the form edits', () => {
  it('saves acknowledgement, default promise, status-link lifetime and call thresholds, and reads them back', async () => {
    const body = {
      promiseAcknowledgement: false,
      promiseDefaults: { firstResponseMinutes: 90, resolutionMinutes: 2880 },
      statusLinkDays: 14,
      pingPong: { exchanges: 4, repeatSimilarity: 0.75, frustrationWords: ['belachelijk', 'ridiculous'] },
    };
    expect((await app.call('PATCH', '/api/v1/certainty/settings', { token, body })).status).toBe(200);
    expect((await app.call('GET', '/api/v1/certainty/settings', { token })).body).toMatchObject(body);
  });

  it('refuses a value out of range with a code and its limit, and keeps what was stored', async () => {
    const cases = [
      [{ statusLinkDays: 0 }, 'statusLinkDays', 'too_small', { minimum: 1, origin: 'number' }],
      [{ statusLinkDays: 400 }, 'statusLinkDays', 'too_big', { maximum: 365, origin: 'number' }],
      [{ promiseDefaults: { firstResponseMinutes: 0, resolutionMinutes: 60 } }, 'promiseDefaults.firstResponseMinutes', 'too_small', { minimum: 1 }],
      [{ pingPong: { exchanges: 3, repeatSimilarity: 0.05, frustrationWords: [] } }, 'pingPong.repeatSimilarity', 'too_small', { minimum: 0.1 }],
      [{ pingPong: { exchanges: 3, repeatSimilarity: 0.6, frustrationWords: ['x'] } }, 'pingPong.frustrationWords.0', 'too_small', { minimum: 2, origin: 'string' }],
    ] as const;
    for (const [body, path, code, params] of cases) {
      const res = await app.call('PATCH', '/api/v1/certainty/settings', { token, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.fields).toContainEqual({ path, message: expect.any(String), code, params: expect.objectContaining(params) });
    }
    const stored = (await app.call('GET', '/api/v1/certainty/settings', { token })).body;
    expect(stored).toMatchObject({ statusLinkDays: 14, promiseDefaults: { firstResponseMinutes: 90 }, pingPong: { repeatSimilarity: 0.75, frustrationWords: ['belachelijk', 'ridiculous'] } });
  });
});

describe('business hours: a period must end after it starts', () => {
  it('refuses a period ending before (or when) it starts with end_before_start, and keeps the stored calendar', async () => {
    const good = { timeZone: 'Europe/Amsterdam', week: week([{ start: '09:00', end: '17:00' }]), dutchHolidays: true };
    expect((await app.call('PUT', `/api/v1/inboxes/${inboxId}/business-hours`, { token, body: { calendar: good } })).status).toBe(200);
    for (const monday of [[{ start: '17:00', end: '09:00' }], [{ start: '09:00', end: '09:00' }], [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '13:00' }]]) {
      const res = await app.call('PUT', `/api/v1/inboxes/${inboxId}/business-hours`, { token, body: { calendar: { ...good, week: week(monday) } } });
      expect(res.status, JSON.stringify(monday)).toBe(422);
      expect(res.body.error.fields).toEqual([{ path: `calendar.week.1.${monday.length - 1}.end`, message: 'must be later than start', code: 'end_before_start' }]);
    }
    const zone = await app.call('PUT', `/api/v1/inboxes/${inboxId}/business-hours`, { token, body: { calendar: { ...good, timeZone: 'Europe/Amsterdm' } } });
    expect(zone.status).toBe(422);
    expect(zone.body.error.fields).toEqual([{ path: 'calendar.timeZone', message: 'unknown IANA time zone', code: 'unknown_time_zone' }]);
    // Until midnight is a period that ends after it starts.
    const late = { ...good, week: week([{ start: '18:00', end: '24:00' }]) };
    expect((await app.call('PUT', `/api/v1/inboxes/${inboxId}/business-hours`, { token, body: { calendar: late } })).status).toBe(200);
    const stored = await app.call('GET', `/api/v1/inboxes/${inboxId}/business-hours`, { token });
    expect(stored.body.calendar.week[1]).toEqual([{ start: '18:00', end: '24:00' }]);
  });

  it('refuses the same through the settings PATCH (workspace default or an inbox calendar)', async () => {
    const bad = { timeZone: 'UTC', week: week([{ start: '12:00', end: '11:00' }]), dutchHolidays: false };
    const a = await app.call('PATCH', '/api/v1/certainty/settings', { token, body: { defaultCalendar: bad } });
    expect(a.status).toBe(422);
    expect(a.body.error.fields[0]).toMatchObject({ path: 'defaultCalendar.week.1.0.end', code: 'end_before_start' });
    const b = await app.call('PATCH', '/api/v1/certainty/settings', { token, body: { calendars: { [inboxId]: bad } } });
    expect(b.status).toBe(422);
    expect(b.body.error.fields[0]).toMatchObject({ path: `calendars.${inboxId}.week.1.0.end`, code: 'end_before_start' });
  });

  it('still reads a stored calendar from before the check (the row stays readable, other settings kept)', async () => {
    const [row] = await app.balie.services.store.db.select().from(certaintySettings).where(eq(certaintySettings.workspaceId, workspaceId));
    const settings = { ...(row!.settings as Record<string, unknown>), calendars: { [inboxId]: { timeZone: 'UTC', week: week([{ start: '12:00', end: '11:00' }]), dutchHolidays: false } } };
    await app.balie.services.store.db.update(certaintySettings).set({ settings }).where(eq(certaintySettings.workspaceId, workspaceId));
    const res = await app.call('GET', `/api/v1/inboxes/${inboxId}/business-hours`, { token });
    expect(res.body).toMatchObject({ own: true, calendar: { week: week([{ start: '12:00', end: '11:00' }]) } });
    expect((await app.call('GET', '/api/v1/certainty/settings', { token })).body.statusLinkDays).toBe(14);
  });
});
