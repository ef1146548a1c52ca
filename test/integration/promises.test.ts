import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createApiInbox, createTestApp, inbound, setupWorkspace, type TestApp } from '../support/app';
import { createHttpSink } from '../support/http-sink';
import { uuidv7, type Runtime } from '../../src/shared/runtime';
import { alwaysOpen } from '../../src/domain/business-hours';
import { acknowledgeWithPromise, watchPromises } from '../../src/app/promises';

/** Handling-time promises measured from history: the stats job, the acknowledgement, at-risk and kept. */
let app: TestApp;
let token: string;
let workspaceId: string;
let inboxId: string;
let sink: Awaited<ReturnType<typeof createHttpSink>>;
let clockOffset = 0;
const runtime: Runtime = { now: () => new Date(Date.now() + clockOffset), id: () => uuidv7(), random: Math.random };
const H = 3_600_000;

beforeAll(async () => {
  app = await createTestApp({ runtime });
  const ws = await setupWorkspace(app);
  token = ws.apiToken;
  workspaceId = ws.workspaceId;
  sink = await createHttpSink();
  inboxId = (await createApiInbox(app, token, { webhookUrl: `${sink.url}/hook` })).id;
  // A desk that is always open keeps this test independent of the hour it runs at.
  const s = await app.call('PATCH', '/api/v1/certainty/settings', { token, body: { defaultCalendar: alwaysOpen } });
  expect(s.status).toBe(200);
});
afterAll(async () => {
  await app.close();
  await sink.close();
});

describe('handling-time promises', () => {
  it('computes the 80th percentile per inbox and case type from the last 30 days', async () => {
    for (let i = 0; i < 12; i++) {
      const r = await inbound(app, token, inboxId, { externalId: `hist-${i}`, contact: { email: `hist${i}@klant.nl` }, content: 'Vraag' });
      // Answered after 1..12 half hours, three days ago; 80th percentile of 12 values is the 10th: 5 hours.
      await app.balie.services.store.rows(sql`
        update conversations set created_at = now() - interval '3 days',
          first_response_at = now() - interval '3 days' + ${`${(i + 1) * 30} minutes`}::interval,
          resolved_at = now() - interval '3 days' + ${`${(i + 1) * 30 + 60} minutes`}::interval, status = 'resolved'
        where id = ${r.body.conversationId}`);
    }
    const r = await app.call('POST', '/api/v1/certainty/promise-stats/compute', { token });
    expect(r.status).toBe(200);
    const [row] = await app.balie.services.store.rows<{ first_response_ms: string; resolution_ms: string; basis: string; sample_size: number }>(
      sql`select * from promise_stats where workspace_id = ${workspaceId} and inbox_id = ${inboxId} and label = ''`,
    );
    expect(row).toMatchObject({ basis: 'inbox', sample_size: 12 });
    expect(Number(row!.first_response_ms)).toBe(5 * H);
    expect(Number(row!.resolution_ms)).toBe(6 * H);
  });

  it('acknowledges with a personal promise and a status link, warns when at risk, proposes a new time, and records kept', async () => {
    const c = await inbound(app, token, inboxId, { externalId: 'new-1', contact: { email: 'nieuw@klant.nl', name: 'Fatima El Amrani' }, content: 'Mijn factuur klopt niet' });
    expect(await acknowledgeWithPromise(app.balie.services, { workspaceId, conversationId: c.body.conversationId })).toBe('sent');
    expect(await acknowledgeWithPromise(app.balie.services, { workspaceId, conversationId: c.body.conversationId })).toBe('skipped');
    await app.until(async () => sink.received.length >= 1);
    const sent = JSON.parse(sink.received[0]!.body) as { message: { content: string } };
    expect(sent.message.content).toMatch(/^Dank je wel, Fatima\. Een collega leest je bericht en je hoort .* persoonlijk van ons\./);
    expect(sent.message.content).toContain('/s/');
    expect(sent.message.content).not.toMatch(/in behandeling/);

    const cert = await app.call('GET', `/api/v1/conversations/${c.body.conversationId}/certainty`, { token });
    const p = cert.body.promise;
    expect(p).toMatchObject({ state: 'on_track', basis: 'inbox', sampleSize: 12 });
    const made = Date.parse(p.madeAt);
    const due = Date.parse(p.firstResponseDueAt);
    expect(due - made).toBeGreaterThanOrEqual(5 * H);
    expect(due - made).toBeLessThan(5 * H + 15 * 60_000);
    // The acknowledgement is not a human answer.
    expect((await app.call('GET', `/api/v1/conversations/${c.body.conversationId}`, { token })).body.firstResponseAt).toBeNull();

    clockOffset = made + 0.8 * (due - made) - Date.now();
    expect(await watchPromises(app.balie.services)).toBeGreaterThanOrEqual(1);
    expect((await app.call('GET', `/api/v1/conversations/${c.body.conversationId}/certainty`, { token })).body.promise.state).toBe('at_risk');

    clockOffset = made + 0.95 * (due - made) - Date.now();
    await watchPromises(app.balie.services);
    const late = (await app.call('GET', `/api/v1/conversations/${c.body.conversationId}/certainty`, { token })).body.promise;
    expect(late.state).toBe('will_miss');
    expect(late.proposal.text).toContain('Dat gaat ons niet lukken');
    expect(Date.parse(late.proposal.newDueAt)).toBeGreaterThan(due);

    await app.call('POST', `/api/v1/conversations/${c.body.conversationId}/messages`, { token, body: { kind: 'message', content: 'Ik heb je factuur vandaag om 14:00 gecorrigeerd.' } });
    await watchPromises(app.balie.services);
    expect((await app.call('GET', `/api/v1/conversations/${c.body.conversationId}/certainty`, { token })).body.promise.state).toBe('kept');
    clockOffset = 0;
  });

  it('does not acknowledge when a person already answered or the setting is off', async () => {
    const c = await inbound(app, token, inboxId, { externalId: 'new-2', contact: { email: 'snel@klant.nl' }, content: 'Vraag' });
    await app.call('POST', `/api/v1/conversations/${c.body.conversationId}/messages`, { token, body: { kind: 'message', content: 'Ik bel je om 15:00.' } });
    expect(await acknowledgeWithPromise(app.balie.services, { workspaceId, conversationId: c.body.conversationId })).toBe('skipped');
    await app.call('PATCH', '/api/v1/certainty/settings', { token, body: { promiseAcknowledgement: false } });
    const d = await inbound(app, token, inboxId, { externalId: 'new-3', contact: { email: 'stil@klant.nl' }, content: 'Vraag' });
    expect(await acknowledgeWithPromise(app.balie.services, { workspaceId, conversationId: d.body.conversationId })).toBe('skipped');
  });

  it('rejects invalid settings with a clear error and keeps the old ones', async () => {
    const bad = await app.call('PATCH', '/api/v1/certainty/settings', { token, body: { defaultCalendar: { ...alwaysOpen, timeZone: 'Mars/Olympus' } } });
    expect(bad.status).toBe(422);
    const now = await app.call('GET', '/api/v1/certainty/settings', { token });
    expect(now.body.defaultCalendar.timeZone).toBe('UTC');
  });

  it('reports contact drivers as JSON and CSV', async () => {
    const r = await app.call('GET', '/api/v1/reports/contact-drivers?days=30', { token });
    expect(r.status).toBe(200);
    const none = r.body.items.find((i: { label: string }) => i.label === '(none)');
    expect(none.volume).toBeGreaterThanOrEqual(12);
    const csv = await app.call('GET', '/api/v1/reports/contact-drivers?format=csv', { token });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\n')[0]).toBe('label,inbox,volume,first_contact_resolution_rate,repeat_contact_rate,incident_contacts,avg_handling_hours');
  });

  it('coaches a draft with the workspace lists', async () => {
    const r = await app.call('POST', '/api/v1/coach', { token, body: { draft: 'Excuses voor het ongemak, we kijken er zo snel mogelijk naar.', customerMessage: 'Waar blijft mijn pakket?' } });
    expect(r.body.issues.map((i: { kind: string }) => i.kind)).toEqual(['stock_phrase', 'vague_promise', 'unanswered_question']);
  });
});
