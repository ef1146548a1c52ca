import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiInbox, createTestApp, inbound, setupWorkspace, type TestApp } from '../support/app';
import { createHttpSink } from '../support/http-sink';
import { agePromise, runPromiseWatch } from '../support/promises';
import { alwaysOpen } from '../../src/domain/business-hours';

/**
 * Revised promises (the "new realistic time" message becomes the promise, the old one its history), the
 * kept/missed/revised report, the segment preview and linked-conversation list of an incident, and the
 * contacts its notices prevented.
 */
let app: TestApp;
let token: string;
let inboxId: string;
let sink: Awaited<ReturnType<typeof createHttpSink>>;
const nudge = () => ['incident-broadcast', 'send-batch'].forEach((q) => app.balie.queue.nudge(q));

beforeAll(async () => {
  app = await createTestApp();
  token = (await setupWorkspace(app)).apiToken;
  sink = await createHttpSink();
  inboxId = (await createApiInbox(app, token, { webhookUrl: `${sink.url}/hook` })).id;
  expect((await app.call('PATCH', '/api/v1/certainty/settings', { token, body: { defaultCalendar: alwaysOpen } })).status).toBe(200);
});
afterAll(async () => {
  await app.close();
  await sink.close();
});

describe('revised promises and certainty reports', () => {
  it('records the new realistic time as the promise, keeps the old one in its history, and reports it', async () => {
    const r = await inbound(app, token, inboxId, { externalId: 'eva', contact: { email: 'eva@klant.nl', name: 'Eva Jansen' }, content: 'Wanneer hoor ik iets?' });
    const id = r.body.conversationId as string;
    await app.call('POST', `/api/v1/conversations/${id}/promise`, { token, body: { locale: 'nl' } });
    // Not at risk yet: nothing to revise.
    expect((await app.call('POST', `/api/v1/conversations/${id}/promise/revise`, { token, body: {} })).status).toBe(409);
    await agePromise(app, id, 240, 10);
    await runPromiseWatch(app);
    const before = (await app.call('GET', `/api/v1/conversations/${id}/certainty`, { token })).body.promise;
    expect(before.state).toBe('will_miss');
    expect(before.proposal.text).toContain('Dat gaat ons niet lukken');

    const revised = await app.call('POST', `/api/v1/conversations/${id}/promise/revise`, { token, body: {} });
    expect(revised.status).toBe(200);
    expect(revised.body.promise).toMatchObject({ state: 'on_track', revisions: 1, firstResponseDueAt: before.proposal.newDueAt });
    expect(revised.body.promise.history).toHaveLength(1);
    expect(revised.body.promise.history[0]).toMatchObject({ dueAt: before.firstResponseDueAt, state: 'will_miss', newDueAt: before.proposal.newDueAt, messageId: revised.body.messageId });
    const msgs = await app.call('GET', `/api/v1/conversations/${id}/messages`, { token });
    expect(msgs.body.items.some((m: { content: string; contentAttributes: Record<string, unknown> }) => m.content.includes('Dat gaat ons niet lukken') && m.contentAttributes.promiseRevision)).toBe(true);

    // Telling the customer a new time is not the answer: the revised promise stays open until a real reply.
    await runPromiseWatch(app);
    expect((await app.call('GET', `/api/v1/conversations/${id}/certainty`, { token })).body.promise.state).toBe('on_track');
    await app.call('POST', `/api/v1/conversations/${id}/messages`, { token, body: { kind: 'message', content: 'Je nieuwe modem is vandaag verstuurd.' } });
    await runPromiseWatch(app);
    expect((await app.call('GET', `/api/v1/conversations/${id}/certainty`, { token })).body.promise.state).toBe('kept');

    const report = await app.call('GET', '/api/v1/reports/promises?days=7', { token });
    expect(report.status).toBe(200);
    expect(report.body.items).toHaveLength(7);
    expect(report.body.total).toEqual({ kept: 1, missed: 0, revised: 1 });
    expect(report.body.items.at(-1)).toMatchObject({ kept: 1, revised: 1 });
  });

  it('previews the segment, lists linked conversations and counts the contacts the notices prevented', async () => {
    const people = [
      ['fien', 'Fien de Vries', '3511AA'],
      ['gijs', 'Gijs Mulder', '3512BB'],
      ['hans', 'Hans Bos', '3513CC'],
      ['ilse', 'Ilse Dekker', '1011DD'],
    ] as const;
    for (const [ext, name, postcode] of people) {
      const c = await inbound(app, token, inboxId, { externalId: ext, contact: { email: `${ext}@klant.nl`, name }, content: 'Hallo' });
      await app.call('PATCH', `/api/v1/contacts/${c.body.contactId}`, { token, body: { attributes: { postcode } } });
    }
    const preview = await app.call('POST', '/api/v1/incidents/preview', { token, body: { segment: { postcodeFrom: 3500, postcodeTo: 3599 } } });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ contacts: 3, optedOut: 0 });

    const sentBefore = sink.received.length;
    const declared = await app.call('POST', '/api/v1/incidents', {
      token,
      body: { scenario: 'power_outage', segment: { postcodeFrom: 3500, postcodeTo: 3599 }, variables: { area: 'Utrecht', expected: 'vanavond 20:00' }, texts: { nl: { sms: 'Stroomstoring in {area}, herstel {expected}. Eigen tekst.' } } },
    });
    expect(declared.status).toBe(201);
    const incidentId = declared.body.incident.id as string;
    expect(declared.body.incident.texts.nl.sms).toBe('Stroomstoring in Utrecht, herstel vanavond 20:00. Eigen tekst.');
    await app.until(async () => {
      nudge();
      return sink.received.length >= sentBefore + 3;
    }, 20_000);
    // One of the three still writes in: linked, and counted as "contacted anyway".
    await new Promise((r) => setTimeout(r, 50));
    await inbound(app, token, inboxId, { externalId: 'gijs-2', contact: { email: 'gijs@klant.nl' }, content: 'Ik heb geen stroom!' });
    const linked = await app.call('GET', `/api/v1/incidents/${incidentId}/conversations`, { token });
    expect(linked.status).toBe(200);
    expect(linked.body.items).toHaveLength(1);
    expect(linked.body.items[0]).toMatchObject({ contactName: 'Gijs Mulder', reason: 'segment' });

    const prevention = await app.call('GET', '/api/v1/reports/incident-prevention', { token });
    expect(prevention.status).toBe(200);
    expect(prevention.body.items[0]).toMatchObject({ id: incidentId, notified: 3, contactedAnyway: 1, prevented: 2, linkedConversations: 1 });
    expect(prevention.body.items[0].title.nl).toContain('Utrecht');
  });
});
