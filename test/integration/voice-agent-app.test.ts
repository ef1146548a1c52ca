import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiInbox, inbound, type TestApp } from '../support/app';
import { LOTTE, startVoiceLine, type VoiceLine } from '../support/voice-line';
import { smsInbound, TW } from '../support/fakes/twilio';
import { fakeCall, signedForm, type Post } from '../support/fakes/twilio-voice';
import { connectRealtime } from '../support/ws-client';

/**
 * What the agent app needs from the phone line: the screen pop for the agent whose phone rings (and only them),
 * the call log, the ping-pong nudge with its callback offer, and a post-call agreement whose confirmation by the
 * customer shows on the call's timeline message and reaches the agent.
 */
let line: VoiceLine;
let app: TestApp;
let base: string;
let token: string;
let lotte: { userId: string; token: string };
let sem: { userId: string; token: string };
let twilio: VoiceLine['twilio'];
let post: Post;
let voiceUrl: () => string;

beforeAll(async () => {
  line = await startVoiceLine();
  ({ app, token, lotte, sem, twilio, post, voiceUrl } = line);
  base = await app.listen();
});
afterAll(async () => {
  await line?.close();
});

const pops = (frames: any[], state?: string) => frames.filter((f) => f.type === 'event' && f.event.type === 'call.screen_pop' && (!state || f.event.data.state === state));

describe('phone work in the agent app', () => {
  it('pops the caller up only for the agent whose phone rings, then answered, then ended', async () => {
    const contact = await app.call('POST', '/api/v1/contacts', { token, body: { name: 'Sanne de Vries', phone: '+31612345678' } });
    const lotteWs = await connectRealtime(base, { token: lotte.token });
    const semWs = await connectRealtime(base, { token: sem.token });
    await Promise.all([lotteWs.ready, semWs.ready]);
    const call = fakeCall({ post, voiceUrl: voiceUrl(), from: '+31612345678' });
    await call.start();
    await call.press('');
    const ring = await call.follow();
    const first = String((ring[0]!.children.find((c) => typeof c !== 'string') as { children: string[] }).children[0]);
    const [rung, other] = first === LOTTE ? [lotteWs, semWs] : [semWs, lotteWs];
    await app.until(async () => pops(rung.frames, 'ringing').length > 0);
    const pop = pops(rung.frames, 'ringing')[0].event;
    expect(pop.data).toMatchObject({ state: 'ringing', known: true, contactId: contact.body.id, call: { from: '+31612345678', direction: 'inbound' } });
    await call.dial({ answer: true, talkSeconds: 42 });
    await app.until(async () => pops(rung.frames, 'ended').length > 0);
    expect(pops(rung.frames, 'answered')).toHaveLength(1);
    expect(pops(rung.frames, 'ended').at(-1).event.data.call).toMatchObject({ outcome: 'answered', talkSeconds: 42 });
    expect(pops(other.frames)).toHaveLength(0);
    await call.hangup('completed', 60);

    // An unknown number: a fresh contact, shown as unknown.
    const stranger = fakeCall({ post, voiceUrl: voiceUrl(), from: '+31698765432' });
    await stranger.start();
    await stranger.press('');
    await stranger.follow();
    await app.until(async () => pops([...lotteWs.frames, ...semWs.frames], 'ringing').some((f) => f.event.data.call.from === '+31698765432'));
    expect(pops([...lotteWs.frames, ...semWs.frames], 'ringing').find((f) => f.event.data.call.from === '+31698765432').event.data.known).toBe(false);
    await stranger.hangup('completed', 5);
    await app.until(async () => pops([...lotteWs.frames, ...semWs.frames], 'ended').some((f) => f.event.data.call.from === '+31698765432'));
    lotteWs.close();
    semWs.close();

    const log = await app.call('GET', '/api/v1/calls', { token });
    expect(log.status).toBe(200);
    expect(log.body.items[0]).toMatchObject({ from: '+31698765432', outcome: 'abandoned' });
    expect(log.body.items[1]).toMatchObject({ from: '+31612345678', outcome: 'answered', contactName: 'Sanne de Vries', talkSeconds: 42 });
    expect(log.body.items[1].agentName).toMatch(/Lotte|Sem/);
    const mine = await app.call('GET', `/api/v1/calls?agent=me&outcome=answered`, { token: rung === lotteWs ? lotte.token : sem.token });
    expect(mine.body.items.map((i: { from: string }) => i.from)).toEqual(['+31612345678']);
  });

  it('tells an agent whose app (re)starts which call rings for them or is in progress with them', async () => {
    const call = fakeCall({ post, voiceUrl: voiceUrl(), from: '+31612345678' });
    await call.start();
    await call.press('');
    const ring = await call.follow();
    const number = String((ring[0]!.children.find((c) => typeof c !== 'string') as { children: string[] }).children[0]);
    const [rung, other] = number === LOTTE ? [lotte, sem] : [sem, lotte];
    const current = (who: { token: string }) => app.call('GET', '/api/v1/calls/current', { token: who.token });
    const ringing = await current(rung);
    expect(ringing.status, ringing.text).toBe(200);
    expect(ringing.body.items).toHaveLength(1);
    expect(ringing.body.items[0]).toMatchObject({ state: 'ringing', known: true, call: { from: '+31612345678', direction: 'inbound' } });
    expect((await current(other)).body.items).toEqual([]);
    await call.dial({ answer: true, talkSeconds: 30 });
    // The Dial action came after the talk: the call is over for the agent, nothing to restore.
    expect((await current(rung)).body.items).toEqual([]);
    await call.hangup('completed', 40);
    expect((await current(rung)).body.items).toEqual([]);
  });

  it('post-call summary: the agreement is on the call message and the SMS, and the customer’s confirmation lands on both', async () => {
    const sms = await app.call('POST', '/api/v1/inboxes', { token, body: { name: 'Sms', kind: 'sms', memberIds: [lotte.userId, sem.userId], settings: { accountSid: TW.accountSid, authToken: TW.authToken, phoneNumber: TW.number, apiBaseUrl: twilio.url } } });
    expect(sms.status, sms.text).toBe(201);
    const contact = (await app.call('GET', '/api/v1/contacts?q=Sanne', { token })).body.items[0];
    // The customer wrote by SMS before: that is the written channel the confirmation goes to.
    const smsUrl = `${app.config.publicUrl}/webhooks/sms/${sms.body.id}`;
    const form = signedForm(TW.authToken, smsUrl, Object.fromEntries(new URLSearchParams(smsInbound('SM' + 'a'.repeat(32), 'Kunt u mij bellen over de storing?'))));
    expect((await post(smsUrl, form.body, form.headers)).status).toBe(200);
    await app.until(async () => (await app.call('GET', `/api/v1/conversations?contactId=${contact.id}&inboxId=${sms.body.id}`, { token })).body.items.length > 0);
    const log = await app.call('GET', `/api/v1/calls?contactId=${contact.id}&outcome=answered`, { token });
    const call = log.body.items[0];
    const agent = call.agentUserId === lotte.userId ? lotte : sem;
    const dueAt = new Date(Date.now() + 86_400_000).toISOString();
    const summary = await app.call('POST', `/api/v1/calls/${call.id}/summary`, { token: agent.token, body: { summary: 'Router vervangen.', nextStep: 'Monteur komt langs', dueAt } });
    expect(summary.status, summary.text).toBe(201);
    expect(summary.body.sent).not.toBeNull();
    await app.until(async () => twilio.sent().some((m) => m.text.includes('Router vervangen.')));
    const link = twilio.sent().find((m) => m.text.includes('Router vervangen.'))!.text.match(/https?:\/\/\S+\/s\/[\w.-]+/)![0];
    const withAgreement = await app.call('GET', `/api/v1/calls/${call.id}`, { token });
    expect(withAgreement.body.agreement).toMatchObject({ status: 'proposed', summary: 'Router vervangen.' });

    const page = await app.call('GET', new URL(link).pathname);
    expect(page.status).toBe(200);
    const confirmed = await app.call('POST', `${new URL(link).pathname}/agreements/${summary.body.agreement.id}`, { body: { confirm: true }, headers: { origin: app.config.publicUrl } });
    expect(confirmed.status, confirmed.text).toBeLessThan(300);
    const msgs = await app.call('GET', `/api/v1/conversations/${call.conversationId}/messages`, { token });
    const callMsg = msgs.body.items.find((m: { contentAttributes: { call?: { id: string } } }) => m.contentAttributes.call?.id === call.id);
    expect(callMsg.contentAttributes.agreement).toMatchObject({ status: 'confirmed', nextStep: 'Monteur komt langs' });
    const smsMsgs = await app.call('GET', `/api/v1/conversations/${summary.body.sent.conversationId}/messages`, { token });
    expect(smsMsgs.body.items.find((m: { id: string }) => m.id === summary.body.sent.messageId).contentAttributes.agreement.status).toBe('confirmed');
    const bell = await app.call('GET', '/api/v1/notifications', { token: agent.token });
    expect(bell.body.items.map((n: { kind: string }) => n.kind)).toContain('agreement_confirmed');
    expect((await app.call('GET', `/api/v1/calls/${call.id}`, { token })).body.agreement.status).toBe('confirmed');
  });

  it('ping-pong: suggests a call after three bounces, offers a callback on the customer’s channel and records that it was followed', async () => {
    const api = await createApiInbox(app, token, {}, 'Webshop');
    const say = (n: number, content: string) => inbound(app, token, api.id, { externalId: `pp-${n}`, contact: { email: 'joost@example.nl', name: 'Joost', phone: '+31655500011' }, content });
    const first = await say(1, 'Mijn pakket is niet bezorgd.');
    const conversationId = first.body.conversationId;
    for (let i = 2; i <= 4; i++) {
      await app.call('POST', `/api/v1/conversations/${conversationId}/messages`, { token, body: { content: `Antwoord ${i}` } });
      await say(i, `Vraag ${i} over mijn zending naar Utrecht`);
    }
    const s = await app.call('GET', `/api/v1/conversations/${conversationId}/call-suggestion`, { token });
    expect(s.status, s.text).toBe(200);
    expect(s.body).toMatchObject({ suggestCall: true, phone: '+31655500011', canCall: true, followed: null });
    expect(s.body.reasons.map((r: { kind: string }) => r.kind)).toContain('exchanges');
    const offer = await app.call('POST', `/api/v1/conversations/${conversationId}/callback-offer`, { token });
    expect(offer.status, offer.text).toBe(201);
    expect(offer.body.content).toMatch(/zullen we even bellen\?.*\/s\/[\w.-]+#callback/);
    const after = await app.call('GET', `/api/v1/conversations/${conversationId}/call-suggestion`, { token });
    expect(after.body).toMatchObject({ suggestCall: false, followed: { action: 'callback_offered' }, effect: { resolvedAfter: false, contactsWithin7Days: 0 } });
  });

  it('reports whether call suggestions were followed and what came of it, for admins', async () => {
    const report = async () => (await app.call('GET', '/api/v1/reports/call-nudges?days=30', { token })).body;
    const before = await report();
    const api = await createApiInbox(app, token, {}, 'Webshop 2');
    const bounce = async (who: string, phone: string) => {
      const say = (n: number, content: string) => inbound(app, token, api.id, { externalId: `nr-${who}-${n}`, contact: { email: `${who}@example.nl`, name: who, phone }, content });
      const conversationId = (await say(1, 'Mijn factuur klopt niet.')).body.conversationId as string;
      for (let i = 2; i <= 4; i++) {
        await app.call('POST', `/api/v1/conversations/${conversationId}/messages`, { token, body: { content: `Antwoord ${i}` } });
        await say(i, `Vraag ${i} over factuur ${who}`);
      }
      expect((await app.call('GET', `/api/v1/conversations/${conversationId}/call-suggestion`, { token })).body.suggestCall).toBe(true);
      return { conversationId, say };
    };
    // Followed: a callback offered, the case resolved afterwards, the customer quiet since.
    const followed = await bounce('femke', '+31655500021');
    expect((await app.call('POST', `/api/v1/conversations/${followed.conversationId}/callback-offer`, { token })).status).toBe(201);
    expect((await app.call('POST', `/api/v1/conversations/${followed.conversationId}/status`, { token, body: { status: 'resolved' } })).status).toBe(200);
    // Not followed: the nudge was shown (twice: one case), the customer wrote again.
    const ignored = await bounce('gert', '+31655500022');
    await app.call('GET', `/api/v1/conversations/${ignored.conversationId}/call-suggestion`, { token });
    await ignored.say(5, 'Hallo? Nog steeds geen antwoord over mijn factuur.');

    const after = await report();
    expect(after.followed.cases - before.followed.cases).toBe(1);
    expect(after.followed.byAction.callback_offered - before.followed.byAction.callback_offered).toBe(1);
    expect(after.followed.resolvedAfter - before.followed.resolvedAfter).toBe(1);
    expect(after.followed.withFurtherContacts - before.followed.withFurtherContacts).toBe(0);
    expect(after.notFollowed.cases - before.notFollowed.cases).toBe(1);
    expect(after.notFollowed.resolvedAfter - before.notFollowed.resolvedAfter).toBe(0);
    expect(after.notFollowed.withFurtherContacts - before.notFollowed.withFurtherContacts).toBe(1);
    expect(after.notFollowed.furtherContacts - before.notFollowed.furtherContacts).toBe(1);
    expect((await app.call('GET', '/api/v1/reports/call-nudges', { token: lotte.token })).status).toBe(403);
    expect((await app.call('GET', '/api/v1/reports/call-nudges?days=0', { token })).status).toBe(422);
  });

  it('reminds the assignee when a callback is due and the agent when an agreed next step is due, once per due time', async () => {
    const call = fakeCall({ post, voiceUrl: voiceUrl(), from: '+31677700011' });
    await call.start();
    await call.press('1');
    await call.hangup('completed', 10);
    const queue = await app.call('GET', '/api/v1/callbacks', { token });
    const request = queue.body.items.find((c: { phone: string }) => c.phone === '+31677700011');
    expect((await app.call('PATCH', `/api/v1/callbacks/${request.id}`, { token, body: { assigneeId: lotte.userId } })).status).toBe(200);
    const agreement = await app.call('POST', `/api/v1/conversations/${request.conversationId}/agreements`, { token: sem.token, body: { summary: 'Offerte besproken', nextStep: 'Offerte mailen', dueAt: new Date(Date.now() - 60_000).toISOString() } });
    expect(agreement.status, agreement.text).toBe(201);
    const { remindPhoneWork } = await import('../../src/app/phone-reminders');
    const deps = app.balie.services;
    // The minute job may have run already; either way each due item is reminded once.
    await remindPhoneWork(deps);
    expect(await remindPhoneWork(deps)).toBe(0);
    const lotteBell = await app.call('GET', '/api/v1/notifications', { token: lotte.token });
    expect(lotteBell.body.items.filter((n: { kind: string }) => n.kind === 'callback_due')).toHaveLength(1);
    const semBell = await app.call('GET', '/api/v1/notifications', { token: sem.token });
    expect(semBell.body.items.find((n: { kind: string }) => n.kind === 'agreement_due')).toMatchObject({ excerpt: 'Offerte mailen' });
    // Moved to a later slot within the line's opening hours: no reminder until it is due again.
    const { listCallbackSlots } = await import('../../src/app/callback-slots');
    const conversationInboxId = (await app.call('GET', `/api/v1/conversations/${request.conversationId}`, { token })).body.inboxId as string;
    const later = (await listCallbackSlots(deps, line.workspaceId, conversationInboxId)).slots.find((s) => s.available && Date.parse(s.start) > Date.now() + 3_600_000)!;
    const moved = await app.call('PATCH', `/api/v1/callbacks/${request.id}`, { token, body: { dueAt: later.start } });
    expect(moved.status, moved.text).toBe(200);
    expect(await remindPhoneWork(deps)).toBe(0);
  });
});
