import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { SMS_CUSTOMER, smsInbound, startTwilioFake, TW } from '../support/fakes/twilio';
import { fakeCall, signedForm, type Post } from '../support/fakes/twilio-voice';

/**
 * The callback queue: "press 1" in the phone menu → a due request in the queue → assigned → attempts; a customer
 * not reached is told by SMS (also through a Twilio outage: the SMS is retried, the request stays queued) and
 * after the last attempt the request is unreachable.
 */
const PUBLIC = 'https://balie.test';
let app: TestApp;
let token: string;
let agent: { userId: string; token: string };
let voiceInbox: string;
let smsInboxId: string;
let twilio: Awaited<ReturnType<typeof startTwilioFake>>;
const post: Post = async (url, body, headers) => {
  const res = await app.call('POST', url.slice(PUBLIC.length), { raw: body, headers });
  return { status: res.status, text: res.text };
};
const account = () => ({ accountSid: TW.accountSid, authToken: TW.authToken, phoneNumber: TW.number, apiBaseUrl: twilio.url });

beforeAll(async () => {
  app = await createTestApp({ env: { PUBLIC_URL: PUBLIC } });
  const ws = await setupWorkspace(app);
  token = ws.apiToken;
  agent = await addMember(app, ws.workspaceId, 'admin', 'Lotte');
  twilio = await startTwilioFake();
  const sms = await app.call('POST', '/api/v1/inboxes', { token, body: { name: 'SMS', kind: 'sms', settings: account() } });
  smsInboxId = sms.body.id;
  const voice = await app.call('POST', '/api/v1/inboxes', { token, body: { name: 'Telefoon', kind: 'voice', settings: account() } });
  voiceInbox = voice.body.id;
  const always = Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]);
  await app.call('PATCH', '/api/v1/certainty/settings', {
    token,
    body: { promiseAcknowledgement: false, calendars: { [voiceInbox]: { timeZone: 'Europe/Amsterdam', week: always, dutchHolidays: false } } },
  });
});
afterAll(async () => {
  await app?.close();
  await twilio?.stop();
});

describe('callback queue', () => {
  it('queues a press-1 request, assigns it, retries a missed callback and tells the customer by SMS', async () => {
    // The customer wrote by SMS before: the same phone number makes SMS and phone one contact.
    const url = `${PUBLIC}/webhooks/sms/${smsInboxId}`;
    const inbound = signedForm(TW.authToken, url, Object.fromEntries(new URLSearchParams(smsInbound('SM' + 'a'.repeat(32), 'Mijn internet doet het niet'))));
    expect((await post(url, inbound.body, inbound.headers)).status).toBe(200);
    const smsConversation = await app.until(async () => {
      const r = await app.call('GET', '/api/v1/conversations?status=open', { token });
      return r.body.items.find((c: { inboxId: string }) => c.inboxId === smsInboxId);
    });

    const call = fakeCall({ post, voiceUrl: `${PUBLIC}/webhooks/voice/${voiceInbox}`, from: SMS_CUSTOMER });
    await call.start();
    await call.press('1');
    await call.hangup('completed', 15);

    const queue = await app.call('GET', '/api/v1/callbacks', { token });
    expect(queue.status).toBe(200);
    expect(queue.body.items).toHaveLength(1);
    const item = queue.body.items[0];
    expect(item).toMatchObject({ phone: SMS_CUSTOMER, source: 'ivr', status: 'requested', attempts: 0, assigneeId: null, contactId: smsConversation.contact.id });
    expect(Date.parse(item.dueAt)).toBeLessThanOrEqual(Date.now());

    const badAssignee = await app.call('PATCH', `/api/v1/callbacks/${item.id}`, { token, body: { assigneeId: '00000000-0000-4000-8000-000000000000' } });
    expect(badAssignee.status).toBe(422);
    const assigned = await app.call('PATCH', `/api/v1/callbacks/${item.id}`, { token, body: { assigneeId: agent.userId } });
    expect(assigned.body.assigneeId).toBe(agent.userId);
    const mine = await app.call('GET', '/api/v1/callbacks?assignee=me', { token: agent.token });
    expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([item.id]);
    expect((await app.call('GET', '/api/v1/callbacks?assignee=me', { token })).body.items).toEqual([]);

    // Twilio is down for the first send: the SMS is retried, the callback stays queued.
    twilio.failNextSend('retryable');
    const missed = await app.call('POST', `/api/v1/callbacks/${item.id}/attempts`, { token: agent.token, body: { outcome: 'no_answer' } });
    expect(missed.status).toBe(200);
    expect(missed.body.callback).toMatchObject({ status: 'scheduled', attempts: 1, lastOutcome: 'no_answer' });
    expect(Date.parse(missed.body.callback.dueAt)).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(missed.body.informed.conversationId).toBe(smsConversation.id);
    const sent = await app.until(async () => twilio.sent().find((s) => s.text.includes('geprobeerd terug te bellen')), 40_000);
    expect(sent.text).toMatch(/We bellen je opnieuw rond \w+dag \d\d:\d\d\./);
    expect((await app.call('GET', '/api/v1/callbacks', { token })).body.items[0]).toMatchObject({ id: item.id, status: 'scheduled' });

    await app.call('POST', `/api/v1/callbacks/${item.id}/attempts`, { token: agent.token, body: { outcome: 'busy' } });
    const last = await app.call('POST', `/api/v1/callbacks/${item.id}/attempts`, { token: agent.token, body: { outcome: 'no_answer' } });
    expect(last.body.callback).toMatchObject({ status: 'unreachable', attempts: 3 });
    const closed = await app.call('POST', `/api/v1/callbacks/${item.id}/attempts`, { token: agent.token, body: { outcome: 'reached' } });
    expect(closed.status).toBe(409);
    expect((await app.call('GET', '/api/v1/callbacks', { token })).body.items).toEqual([]);
    expect((await app.call('GET', '/api/v1/callbacks?status=closed', { token })).body.items[0]).toMatchObject({ id: item.id, status: 'unreachable' });
    const unknown = await app.call('POST', '/api/v1/callbacks/00000000-0000-4000-8000-000000000000/attempts', { token, body: { outcome: 'reached' } });
    expect(unknown.status).toBe(404);
    expect((await app.call('POST', `/api/v1/callbacks/${item.id}/attempts`, { token, body: { outcome: 'maybe' } })).status).toBe(422);
  }, 90_000);

  it('post-call summary: sent by SMS with the status link, where the customer confirms it', async () => {
    const call = fakeCall({ post, voiceUrl: `${PUBLIC}/webhooks/voice/${voiceInbox}`, from: SMS_CUSTOMER });
    await call.start();
    await call.press('1');
    const { calls } = await import('../../src/store/schema');
    const { eq } = await import('drizzle-orm');
    const [row] = await app.balie.services.store.db.select().from(calls).where(eq(calls.externalId, call.sid));
    const noTime = await app.call('POST', `/api/v1/calls/${row!.id}/summary`, { token, body: { summary: 'De monteur komt langs.', nextStep: 'Monteur vervangt het modem' } });
    expect(noTime.status).toBe(422);
    expect(noTime.body.error.code).toBe('time_required');
    const res = await app.call('POST', `/api/v1/calls/${row!.id}/summary`, {
      token: agent.token,
      body: { summary: 'Het modem is kapot; we sturen een monteur.', nextStep: 'Monteur vervangt het modem', dueAt: '2026-12-03T13:00:00Z' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.agreement).toMatchObject({ status: 'proposed', nextStep: 'Monteur vervangt het modem' });
    const sms = await app.until(async () => twilio.sent().find((s) => s.text.includes('zoals we aan de telefoon afspraken')), 20_000);
    expect(sms.text).toContain('Volgende stap: Monteur vervangt het modem — uiterlijk donderdag 3 december om 14:00.');
    const link = /Klopt dit\? (https:\/\/balie\.test\/s\/(\S+))$/.exec(sms.text);
    expect(link).not.toBeNull();
    const confirmed = await app.call('POST', `/s/${link![2]}/agreements/${res.body.agreement.id}`, { body: { confirm: true } });
    expect(confirmed.body.status).toBe('confirmed');
    const page = await app.call('GET', `/s/${link![2]}`, { headers: { accept: 'application/json' } });
    expect(page.status).toBe(200);
  });

  it('reschedules only to a time the line is open and never a closed request', async () => {
    const call = fakeCall({ post, voiceUrl: `${PUBLIC}/webhooks/voice/${voiceInbox}`, from: '+31687654321' });
    await call.start();
    await call.press('1');
    await call.hangup('completed', 10);
    const open = await app.call('GET', '/api/v1/callbacks', { token });
    const item = open.body.items.find((i: { phone: string }) => i.phone === '+31687654321');
    expect(item).toBeDefined();
    const always = Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]);
    // The line is closed all day on 2 January 2030 (and open around the clock otherwise).
    await app.call('PATCH', '/api/v1/certainty/settings', {
      token,
      body: { calendars: { [voiceInbox]: { timeZone: 'Europe/Amsterdam', week: always, dutchHolidays: false, closedDates: ['2030-01-02'] } } },
    });
    const patch = (body: Record<string, unknown>) => app.call('PATCH', `/api/v1/callbacks/${item.id}`, { token, body });

    const past = await patch({ dueAt: new Date(Date.now() - 60_000).toISOString() });
    expect(past.status).toBe(422);
    expect(past.body.error.code).toBe('slot_in_past');
    const closedDay = await patch({ dueAt: '2030-01-02T10:00:00Z' });
    expect(closedDay.status).toBe(422);
    expect(closedDay.body.error.code).toBe('slot_outside_hours');
    expect((await app.call('GET', '/api/v1/callbacks', { token })).body.items.find((i: { id: string }) => i.id === item.id).status).toBe('requested');

    const moved = await patch({ dueAt: '2030-01-03T10:00:00Z' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'scheduled', dueAt: '2030-01-03T10:00:00.000Z' });

    expect((await patch({ status: 'cancelled' })).body.status).toBe('cancelled');
    for (const body of [{ dueAt: '2030-01-04T10:00:00Z' }, { assigneeId: agent.userId }, { status: 'cancelled' }]) {
      const res = await patch(body);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('callback_closed');
    }
    // A done request is just as closed.
    const call2 = fakeCall({ post, voiceUrl: `${PUBLIC}/webhooks/voice/${voiceInbox}`, from: '+31687654322' });
    await call2.start();
    await call2.press('1');
    await call2.hangup('completed', 10);
    const other = (await app.call('GET', '/api/v1/callbacks', { token })).body.items.find((i: { phone: string }) => i.phone === '+31687654322');
    expect((await app.call('POST', `/api/v1/callbacks/${other.id}/attempts`, { token, body: { outcome: 'reached' } })).body.callback.status).toBe('done');
    const afterDone = await app.call('PATCH', `/api/v1/callbacks/${other.id}`, { token, body: { dueAt: '2030-01-03T11:00:00Z' } });
    expect(afterDone.status).toBe(409);
  });
});
