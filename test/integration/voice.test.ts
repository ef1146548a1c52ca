import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { TestApp } from '../support/app';
import { LOTTE, SEM, startVoiceLine, type VoiceLine } from '../support/voice-line';
import { RECORDING_MP3, TW } from '../support/fakes/twilio';
import { callParams, fakeCall, sid, signedForm, type Post } from '../support/fakes/twilio-voice';
import { textOf } from '../support/twiml-rules';
import { callbackRequests, callWebhookEvents, calls } from '../../src/store/schema';

/**
 * The phone line end to end: a fake Twilio posts the real voice webhooks (signed), follows Balie's TwiML
 * (checked against the TwiML rules) and Balie keeps a call record on the caller's timeline.
 */
const PUBLIC = 'https://balie.test';
let line: VoiceLine;
let app: TestApp;
let token: string;
let workspaceId: string;
let inboxId: string;
let lotte: { userId: string; token: string };
let sem: { userId: string };
let twilio: VoiceLine['twilio'];
let post: Post;

const voiceUrl = () => `${PUBLIC}/webhooks/voice/${inboxId}`;
const db = () => app.balie.services.store.db;
const callRow = async (callSid: string) => (await db().select().from(calls).where(and(eq(calls.workspaceId, workspaceId), eq(calls.externalId, callSid))))[0]!;
const count = async (table: typeof calls | typeof callWebhookEvents) => ((await db().select({ n: sql<number>`count(*)::int` }).from(table)) as [{ n: number }])[0].n;
const setOpen = async (open: boolean) => {
  const r = await line.setOpen(open);
  expect(r.status).toBe(200);
};
const names = (v: { name: string }[]) => v.map((e) => e.name);

beforeAll(async () => {
  line = await startVoiceLine({
    env: { PUBLIC_URL: PUBLIC },
    settings: {
      texts: { nl: { greeting: 'Welkom bij Glasnet.', closed: 'We zijn nu gesloten.' }, en: { greeting: 'Welcome to Glasnet.', closed: 'We are closed now.' } },
      queueTimeoutSeconds: 300,
    },
  });
  ({ app, token, workspaceId, inboxId, lotte, sem, twilio, post } = line);
  expect(line.created.body.webhookUrl).toBe(voiceUrl());
  expect(JSON.stringify(line.created.body)).not.toContain(TW.authToken);
});
afterAll(async () => {
  await line?.close();
});

describe('phone line webhooks', () => {
  it('refuses a forged or missing signature with 403 and stores nothing', async () => {
    const params = callParams(sid('CA'), '+31699999999');
    const forged = signedForm('not-the-auth-token-000000', voiceUrl(), params);
    expect((await post(voiceUrl(), forged.body, forged.headers)).status).toBe(403);
    const missing = signedForm(TW.authToken, voiceUrl(), params);
    expect((await post(voiceUrl(), missing.body, { 'content-type': missing.headers['content-type'] })).status).toBe(403);
    // Signed for another step: the URL is part of the signature.
    const otherUrl = signedForm(TW.authToken, `${voiceUrl()}/menu`, params);
    expect((await post(voiceUrl(), otherUrl.body, otherUrl.headers)).status).toBe(403);
    // Signed, but for another Twilio account.
    const other = signedForm(TW.authToken, voiceUrl(), { ...params, AccountSid: 'AC' + 'f'.repeat(32) });
    expect((await post(voiceUrl(), other.body, other.headers)).status).toBe(403);
    expect(await count(calls)).toBe(0);
    expect(await count(callWebhookEvents)).toBe(0);
    const unknownStep = signedForm(TW.authToken, `${voiceUrl()}/nope`, params);
    expect((await post(`${voiceUrl()}/nope`, unknownStep.body, unknownStep.headers)).status).toBe(404);
    const noSid = signedForm(TW.authToken, voiceUrl(), { ...params, CallSid: 'x' });
    const bad = await post(voiceUrl(), noSid.body, noSid.headers);
    expect(bad.status).toBe(422);
    expect(JSON.parse(bad.text).error.code).toBe('not_a_call_event');
  });

  it('answers, queues, rings agents round robin and puts the call on the known contact’s timeline; retries change nothing', async () => {
    const contact = await app.call('POST', '/api/v1/contacts', { token, body: { name: 'Sanne', phone: '06 12345678' } });
    expect(contact.status).toBe(201);
    const call = fakeCall({ post, voiceUrl: voiceUrl(), from: '+31612345678' });
    const first = await call.start();
    expect(names(first)).toEqual(['Say', 'Gather']);
    expect(textOf(first[0]!)).toBe('Welkom bij Glasnet.');
    expect(first[0]!.attrs).toMatchObject({ language: 'nl-NL' });
    expect(names(await call.press('2'))).toEqual(['Redirect']);
    const ringLotte = await call.follow();
    expect(ringLotte[0]!.name).toBe('Dial');
    const firstAgent = textOf(ringLotte[0]!);
    expect([LOTTE, SEM]).toContain(firstAgent);
    const ringSem = await call.dial({ answer: false });
    const secondAgent = textOf(ringSem[0]!);
    expect(secondAgent).not.toBe(firstAgent);
    expect([LOTTE, SEM]).toContain(secondAgent);
    expect(names(await call.dial({ answer: true, talkSeconds: 95 }))).toEqual(['Hangup']);

    // Twilio retries the Dial action: the same TwiML, nothing changes.
    const before = await callRow(call.sid);
    const eventsBefore = await count(callWebhookEvents);
    const retried = await call.retryLast();
    expect(retried.text).toBe(call.answers.at(-1));
    expect(await count(callWebhookEvents)).toBe(eventsBefore);
    expect(await callRow(call.sid)).toEqual(before);

    await call.hangup('completed', 140);
    await call.retryLast();
    const done = await callRow(call.sid);
    const secondUser = secondAgent === LOTTE ? lotte.userId : sem.userId;
    expect(done).toMatchObject({ direction: 'inbound', fromNumber: '+31612345678', toNumber: TW.number, outcome: 'answered', status: 'completed', agentUserId: secondUser, talkSeconds: 95 });
    expect(done.waitSeconds).toBeGreaterThanOrEqual(0);
    expect(done.endedAt).not.toBeNull();
    expect(done.contactId).toBe(contact.body.id);

    const timeline = await app.call('GET', `/api/v1/contacts/${contact.body.id}/timeline`, { token });
    const item = timeline.body.items.find((i: { type: string; message?: { contentAttributes: { call?: unknown } } }) => i.type === 'message' && i.message?.contentAttributes.call);
    expect(item.channel).toBe('voice');
    expect(item.message.contentAttributes.call).toMatchObject({ direction: 'inbound', from: '+31612345678', outcome: 'answered', agentUserId: secondUser, talkSeconds: 95 });

    // Round robin across calls: the next call first rings the agent rung longest ago (the first one above).
    const next = fakeCall({ post, voiceUrl: voiceUrl(), from: '+31612345678' });
    await next.start();
    await next.press('');
    expect(textOf((await next.follow())[0]!)).toBe(firstAgent);
    await next.hangup('completed', 10);
    expect((await callRow(next.sid)).outcome).toBe('abandoned');
  });

  it('names the active incident and the expected waiting time computed from answered calls', async () => {
    const declared = await app.call('POST', '/api/v1/incidents', { token, body: { scenario: 'power_outage', variables: { area: 'Utrecht-Oost', expected: 'rond 15:00' }, segment: { postcodeFrom: 9998, postcodeTo: 9999 } } });
    expect(declared.status).toBe(201);
    const template = await callRow((await db().select({ s: calls.externalId }).from(calls).limit(1))[0]!.s);
    // Five answered calls that waited 1 to 5 minutes: the 80th percentile is 4 minutes.
    for (let i = 1; i <= 5; i++) {
      await db().insert(calls).values({ ...template, id: crypto.randomUUID(), externalId: sid('CA'), outcome: 'answered', waitSeconds: i * 60, startedAt: new Date() });
    }
    const call = fakeCall({ post, voiceUrl: voiceUrl(), from: '+31687654321' });
    const v = await call.start();
    expect(names(v)).toEqual(['Say', 'Say', 'Say', 'Gather']);
    expect(textOf(v[1]!)).toContain('stroomuitval in Utrecht-Oost');
    expect(textOf(v[2]!)).toBe('De verwachte wachttijd is ongeveer 4 minuten.');
    const resolved = await app.call('POST', `/api/v1/incidents/${declared.body.id ?? declared.body.incident?.id}/resolve`, { token, body: { notify: false } });
    expect(resolved.status, resolved.text).toBe(200);
  });

  it('press 1: a callback request in the callback queue, from the phone menu', async () => {
    const call = fakeCall({ post, voiceUrl: voiceUrl(), from: '+31655555555' });
    await call.start();
    const confirmed = await call.press('1');
    expect(names(confirmed)).toEqual(['Say', 'Hangup']);
    await call.retryLast();
    await call.hangup('completed', 20);
    const row = await callRow(call.sid);
    expect(row.outcome).toBe('callback_requested');
    const requests = await db().select().from(callbackRequests).where(eq(callbackRequests.conversationId, row.conversationId));
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ phone: '+31655555555', source: 'ivr', status: 'requested' });
    const certainty = await app.call('GET', `/api/v1/conversations/${row.conversationId}/certainty`, { token });
    expect(certainty.body.callbackRequests[0]).toMatchObject({ phone: '+31655555555', status: 'requested' });
  });

  it('outside business hours: the closed message, and a voicemail stored as an attachment of the call', async () => {
    await setOpen(false);
    try {
      const call = fakeCall({ post, voiceUrl: voiceUrl(), from: '+31644444444' });
      const v = await call.start();
      expect(names(v)).toEqual(['Say', 'Say', 'Gather', 'Record']);
      expect(textOf(v[1]!)).toBe('We zijn nu gesloten.');
      const { recordingSid, answer } = await call.record(12, twilio.url);
      expect(names(answer)).toEqual(['Say', 'Hangup']);
      await call.retryLast();
      await call.hangup('completed', 30);
      const row = await app.until(async () => {
        const r = await callRow(call.sid);
        return r.recordingAttachmentId ? r : null;
      });
      expect(row).toMatchObject({ outcome: 'voicemail', recordingExternalId: recordingSid, recordingSeconds: 12 });
      const file = await app.call('GET', `/api/v1/attachments/${row.recordingAttachmentId}`, { token });
      expect(file.status).toBe(200);
      expect(Buffer.from(file.text, 'binary').length).toBeGreaterThan(0);
      expect(file.headers['content-type']).toContain('audio/mpeg');
      const msgs = await app.call('GET', `/api/v1/conversations/${row.conversationId}/messages`, { token });
      const callMessage = msgs.body.items.find((m: { id: string }) => m.id === row.messageId);
      expect(callMessage.attachments[0]).toMatchObject({ fileName: `${recordingSid}.mp3`, size: RECORDING_MP3.length });
      expect(callMessage.contentAttributes.call).toMatchObject({ outcome: 'voicemail', recordingUrl: `/api/v1/attachments/${row.recordingAttachmentId}` });
    } finally {
      await setOpen(true);
    }
  });

  it('a withheld number gets no callback offer, its own unknown contact, and the fallback when nobody answers', async () => {
    const call = fakeCall({ post, voiceUrl: voiceUrl(), from: 'anonymous' });
    const v = await call.start();
    // Greeting and waiting time, then straight to the queue: no "press 1" for a number we cannot call back.
    expect(names(v)).toEqual(['Say', 'Say', 'Redirect']);
    await call.follow();
    await call.dial({ answer: false, status: 'busy' });
    const fallback = await call.dial({ answer: false });
    // Both agents tried: nobody left, so the caller may leave a message (no callback: we cannot call back).
    expect(names(fallback)).toEqual(['Say', 'Say', 'Record']);
    await call.hangup('completed', 45);
    const row = await callRow(call.sid);
    expect(row).toMatchObject({ fromNumber: 'withheld', outcome: 'missed' });
    const other = fakeCall({ post, voiceUrl: voiceUrl(), from: 'anonymous' });
    await other.start();
    expect((await callRow(other.sid)).contactId).not.toBe(row.contactId);
  });

  it('click-to-call: rings the agent first, then bridges the customer, and logs the call; a provider refusal stores nothing', async () => {
    const [sanne] = await db().select().from(calls).where(eq(calls.fromNumber, '+31612345678')).limit(1);
    const conversationId = sanne!.conversationId;
    const noNumber = await app.call('POST', `/api/v1/conversations/${conversationId}/calls`, { token, body: {} });
    expect(noNumber.status).toBe(422);
    expect(noNumber.body.error.code).toBe('no_agent_number');
    const before = await count(calls);
    twilio.failNextSend('retryable');
    const outage = await app.call('POST', `/api/v1/conversations/${conversationId}/calls`, { token: lotte.token, body: {} });
    expect(outage.status).toBe(503);
    expect(await count(calls)).toBe(before);

    const placed = await app.call('POST', `/api/v1/conversations/${conversationId}/calls`, { token: lotte.token, body: {} });
    expect(placed.status, placed.text).toBe(201);
    expect(placed.body).toMatchObject({ direction: 'outbound', to: '+31612345678', from: TW.number, agentUserId: lotte.userId, status: 'ringing' });
    const rest = twilio.calls().at(-1)!;
    expect(rest).toMatchObject({ to: LOTTE, from: TW.number, url: `${voiceUrl()}/bridge`, statusCallback: `${voiceUrl()}/call-status` });

    // Lotte picks up: Twilio fetches the call's Url, Balie rings the customer with the line's number.
    const leg = fakeCall({ post, voiceUrl: voiceUrl(), from: TW.number, to: LOTTE, direction: 'outbound-api', callSid: rest.sid });
    const bridge = await leg.answerAt(rest.url);
    expect(names(bridge)).toEqual(['Say', 'Dial']);
    expect(bridge[1]!.attrs).toMatchObject({ callerId: TW.number, action: `${voiceUrl()}/bridge-result` });
    expect(textOf(bridge[1]!)).toBe('+31612345678');
    expect(names(await leg.dial({ answer: true, talkSeconds: 61 }))).toEqual([]);
    await leg.hangup('completed', 70);
    expect(await callRow(rest.sid)).toMatchObject({ direction: 'outbound', outcome: 'answered', talkSeconds: 61, agentUserId: lotte.userId, status: 'completed' });
    const msgs = await app.call('GET', `/api/v1/conversations/${conversationId}/messages`, { token });
    const logged = msgs.body.items.find((m: { contentAttributes: { call?: { id: string } } }) => m.contentAttributes.call?.id === placed.body.id);
    expect(logged).toMatchObject({ direction: 'outbound', contentAttributes: { call: { outcome: 'answered', talkSeconds: 61 } } });
  });
});
