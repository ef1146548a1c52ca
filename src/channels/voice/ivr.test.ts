import { describe, expect, it } from 'vitest';
import { twimlProblems, textOf, verbs } from '../../../test/support/twiml-rules';
import { bridgeTwiml, dialResultTwiml, inboundCallTwiml, menuTwiml, nextAgent, recordedTwiml, ringAgentTwiml, type AgentLine, type IvrSettings } from './ivr';
import { renderTwiml, twiml } from './twiml';

const settings: IvrSettings = {
  language: 'nl',
  texts: {
    nl: { greeting: 'Welkom bij Glasnet klantenservice.', closed: 'We zijn nu gesloten. Maandag tot en met vrijdag zijn we er van 8 tot 18 uur.' },
    en: { greeting: 'Welcome to Glasnet customer service.', closed: 'We are closed now. We are here Monday to Friday, 8 am to 6 pm.' },
  },
  queueTimeoutSeconds: 120,
  ringSeconds: 20,
  voicemail: true,
  callbackOffer: true,
  phoneNumber: '+31201234567',
};
const facts = { webhookBase: 'https://balie.example/webhooks/voice/inbox-1', open: true };
const lotte: AgentLine = { kind: 'phone', userId: 'u-lotte', number: '+31612345678' };

function valid(xml: string) {
  expect(twimlProblems(xml)).toEqual([]);
  return verbs(xml);
}

describe('the phone menu (TwiML)', () => {
  it('greets in Dutch, names the incident and the wait, and offers a callback before queueing', () => {
    const v = valid(inboundCallTwiml(settings, { ...facts, incidentMessage: 'Er is een storing in Utrecht-Oost; we verwachten herstel rond 15:00.', expectedWaitMinutes: 6.4 }));
    expect(v.map((e) => e.name)).toEqual(['Say', 'Say', 'Say', 'Gather']);
    expect(v[0]!.attrs).toEqual({ language: 'nl-NL', voice: 'Polly.Lotte' });
    expect(textOf(v[1]!)).toContain('storing in Utrecht-Oost');
    expect(textOf(v[2]!)).toBe('De verwachte wachttijd is ongeveer 6 minuten.');
    expect(v[3]!.attrs).toMatchObject({ numDigits: '1', action: `${facts.webhookBase}/menu`, actionOnEmptyResult: 'true' });
    expect(textOf(v[3]!)).toContain('Toets dan 1');
  });

  it('speaks English when the caller chose it, and plays an uploaded greeting instead of speaking', () => {
    const en = valid(inboundCallTwiml(settings, facts, 'en'));
    expect(en[0]!.attrs.language).toBe('en-GB');
    expect(textOf(en[0]!)).toBe('Welcome to Glasnet customer service.');
    const audio = { ...settings, texts: { ...settings.texts, nl: { ...settings.texts.nl, greetingAudioUrl: 'https://cdn.example/welkom.mp3' } } };
    expect(valid(inboundCallTwiml(audio, facts))[0]).toMatchObject({ name: 'Play', children: ['https://cdn.example/welkom.mp3'] });
  });

  it('goes straight to the queue when no callback is offered', () => {
    const v = valid(inboundCallTwiml({ ...settings, callbackOffer: false }, facts));
    expect(v.at(-1)).toMatchObject({ name: 'Redirect', children: [`${facts.webhookBase}/queue`] });
  });

  it('outside business hours says so and offers a callback or voicemail', () => {
    const v = valid(inboundCallTwiml(settings, { ...facts, open: false, expectedWaitMinutes: 3 }));
    expect(v.map((e) => e.name)).toEqual(['Say', 'Say', 'Gather', 'Record']);
    expect(textOf(v[1]!)).toContain('gesloten');
    expect(v[3]!.attrs).toMatchObject({ recordingStatusCallback: `${facts.webhookBase}/recording`, playBeep: 'true' });
    const noVoicemail = valid(inboundCallTwiml({ ...settings, voicemail: false, callbackOffer: false }, { ...facts, open: false }));
    expect(noVoicemail.at(-1)!.name).toBe('Hangup');
  });

  it('confirms a callback on 1 and queues on anything else', () => {
    const one = menuTwiml(settings, facts, '1');
    expect(one.callbackRequested).toBe(true);
    expect(valid(one.twiml).map((e) => e.name)).toEqual(['Say', 'Hangup']);
    for (const d of ['', '2', '#']) {
      const other = menuTwiml(settings, facts, d);
      expect(other.callbackRequested).toBe(false);
      expect(valid(other.twiml)[0]).toMatchObject({ name: 'Redirect' });
    }
    expect(menuTwiml({ ...settings, callbackOffer: false }, facts, '1').callbackRequested).toBe(false);
  });

  it('rings one agent at a time with status callbacks, and a browser client by identity', () => {
    const v = valid(ringAgentTwiml(settings, facts, lotte));
    expect(v[0]).toMatchObject({ name: 'Dial', attrs: { timeout: '20', callerId: '+31201234567', action: `${facts.webhookBase}/dial-result?agent=u-lotte` } });
    expect(v[0]!.children[0]).toMatchObject({ name: 'Number', children: ['+31612345678'], attrs: { statusCallbackEvent: 'ringing answered completed' } });
    const client = valid(ringAgentTwiml(settings, facts, { kind: 'client', userId: 'u-sem', identity: 'agent-u-sem' }));
    expect(client[0]!.attrs.callerId).toBeUndefined();
    expect(client[0]!.children[0]).toMatchObject({ name: 'Client', children: ['agent-u-sem'] });
    expect(valid(ringAgentTwiml(settings, facts, null)).map((e) => e.name)).toEqual(['Say', 'Gather', 'Record']);
  });

  it('after a dial: done when answered, next agent while the caller may wait, then the fallback', () => {
    const sem: AgentLine = { kind: 'phone', userId: 'u-sem', number: '+31687654321' };
    expect(dialResultTwiml(settings, facts, { dialStatus: 'completed', waitedSeconds: 30, next: sem }).outcome).toBe('answered');
    const next = dialResultTwiml(settings, facts, { dialStatus: 'no-answer', waitedSeconds: 30, next: sem });
    expect(next.outcome).toBe('next_agent');
    expect(valid(next.twiml)[0]!.attrs.action).toContain('agent=u-sem');
    expect(dialResultTwiml(settings, facts, { dialStatus: 'busy', waitedSeconds: 130, next: sem }).outcome).toBe('fallback');
    expect(valid(dialResultTwiml(settings, facts, { dialStatus: 'no-answer', waitedSeconds: 10, next: null }).twiml)[0]!.name).toBe('Say');
    expect(valid(recordedTwiml(settings)).map((e) => e.name)).toEqual(['Say', 'Hangup']);
  });

  it('keeps the round robin fair: least recently rung first, never twice in one call', () => {
    const lines = [
      { ...lotte, lastRungAt: new Date('2026-12-01T10:00:00Z') },
      { kind: 'phone' as const, userId: 'u-sem', number: '+31687654321', lastRungAt: null },
      { kind: 'phone' as const, userId: 'u-anna', number: '+31611111111', lastRungAt: new Date('2026-12-01T09:00:00Z') },
    ];
    expect(nextAgent(lines, new Set())?.userId).toBe('u-sem');
    expect(nextAgent(lines, new Set(['u-sem']))?.userId).toBe('u-anna');
    expect(nextAgent(lines, new Set(['u-sem', 'u-anna', 'u-lotte']))).toBeNull();
  });

  it('escapes caller-controlled text, drops characters XML cannot carry, and the checker catches broken TwiML', () => {
    const xml = renderTwiml([twiml('Say', { language: 'nl-NL' }, 'Storing <b>"Noord"</b> & Zuid \u0007')]);
    expect(twimlProblems(xml)).toEqual([]);
    expect(textOf(verbs(xml)[0]!)).toBe('Storing <b>"Noord"</b> & Zuid ');
    expect(twimlProblems('<Response><Say>a</Response>')[0]).toMatch(/closes <Say>/);
    expect(twimlProblems('<Response><Dail>+31</Dail></Response>')).toEqual(['Response: <Dail> not allowed here']);
    expect(twimlProblems('<Response><Gather><Dial>+31</Dial></Gather></Response>')).toEqual(['Response/Gather: <Dial> not allowed here']);
    expect(twimlProblems('<Response><Say loop="twice">a</Say></Response>')).toEqual(['Response/Say: bad loop="twice"']);
    expect(twimlProblems('<Response><Say colour="red">a</Say></Response>')).toEqual(['Response/Say: unknown attribute colour']);
    expect(twimlProblems('<Response><Redirect method="POST"></Redirect></Response>')).toEqual(['Response/Redirect: needs text']);
    expect(twimlProblems('<Say>a</Say>')).toEqual(['root is <Say>, not <Response>']);
  });

  it('click-to-call: tells the agent, then dials the customer with the line as caller id', () => {
    const v = valid(bridgeTwiml(settings, facts, '+31612345678', 'en'));
    expect(v.map((e) => e.name)).toEqual(['Say', 'Dial']);
    expect(textOf(v[0]!)).toBe('Connecting you to the customer now.');
    expect(v[1]!.attrs).toMatchObject({ callerId: '+31201234567', action: `${facts.webhookBase}/bridge-result` });
    expect(v[1]!.children[0]).toMatchObject({ name: 'Number', children: ['+31612345678'] });
  });
});
