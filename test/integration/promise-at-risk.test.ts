import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiInbox, createTestApp, inbound, setupWorkspace, type TestApp } from '../support/app';
import { agePromise, runPromiseWatch } from '../support/promises';
import { alwaysOpen } from '../../src/domain/business-hours';

/** The at-risk sort of the inbox: unanswered conversations whose promise is in danger first, soonest due first. */
let app: TestApp;
let token: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  app = await createTestApp();
  token = (await setupWorkspace(app)).apiToken;
  const inboxId = (await createApiInbox(app, token)).id;
  expect((await app.call('PATCH', '/api/v1/certainty/settings', { token, body: { defaultCalendar: alwaysOpen } })).status).toBe(200);
  for (const name of ['noPromise', 'onTrack', 'atRisk', 'willMiss', 'missed', 'answered']) {
    const r = await inbound(app, token, inboxId, { externalId: name, contact: { email: `${name.toLowerCase()}@klant.nl`, name }, content: 'Wanneer krijg ik antwoord?' });
    ids[name] = r.body.conversationId;
    if (name !== 'noPromise') expect((await app.call('POST', `/api/v1/conversations/${ids[name]}/promise`, { token, body: {} })).status).toBe(200);
  }
  await agePromise(app, ids.onTrack!, 10, 240);
  await agePromise(app, ids.atRisk!, 240, 60); // 80 % used
  await agePromise(app, ids.willMiss!, 240, 10); // 96 % used
  await agePromise(app, ids.missed!, 300, -20);
  await agePromise(app, ids.answered!, 240, 30);
  await app.call('POST', `/api/v1/conversations/${ids.answered}/messages`, { token, body: { kind: 'message', content: 'Ik bel je morgen om 10:00.' } });
  await runPromiseWatch(app);
});
afterAll(() => app?.close());

const order = (items: Array<{ id: string }>) => items.map((i) => Object.entries(ids).find(([, id]) => id === i.id)?.[0]);

describe('inbox sort by promise at risk', () => {
  it('puts unanswered conversations with a promise in danger first, soonest due first, and marks them', async () => {
    const r = await app.call('GET', '/api/v1/conversations?status=all&sort=at_risk', { token });
    expect(r.status).toBe(200);
    expect(order(r.body.items).slice(0, 4)).toEqual(['missed', 'willMiss', 'atRisk', 'onTrack']);
    expect(order(r.body.items).slice(4).sort()).toEqual(['answered', 'noPromise']);
    const byName = Object.fromEntries(r.body.items.map((i: { id: string }) => [order([i])[0], i]));
    expect(byName.willMiss.promise).toMatchObject({ state: 'will_miss', atRisk: true });
    expect(byName.atRisk.promise).toMatchObject({ state: 'at_risk', atRisk: true });
    expect(byName.onTrack.promise).toMatchObject({ state: 'on_track', atRisk: false });
    expect(byName.answered.promise.atRisk).toBe(false);
    expect(byName.noPromise.promise).toBeNull();
  });

  it('pages through the same order with cursors', async () => {
    const all = (await app.call('GET', '/api/v1/conversations?status=all&sort=at_risk', { token })).body.items.map((i: { id: string }) => i.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await app.call('GET', `/api/v1/conversations?status=all&sort=at_risk&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
      paged.push(...r.body.items.map((i) => i.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
  });

  it('carries the promise in the other sorts too, and refuses a cursor from another sort', async () => {
    const newest = await app.call('GET', '/api/v1/conversations?status=all&limit=2', { token });
    expect(newest.body.items.every((i: { promise: unknown }) => i.promise === null || typeof i.promise === 'object')).toBe(true);
    const bad = await app.call('GET', `/api/v1/conversations?status=all&sort=at_risk&cursor=${encodeURIComponent(newest.body.nextCursor)}`, { token });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('invalid_cursor');
  });
});
