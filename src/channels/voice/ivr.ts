import { renderTwiml, twiml, type TwimlNode } from './twiml';

/**
 * The phone menu as pure decisions: given the inbox's texts, whether it is open, the active incident and the
 * expected wait, which TwiML answers each step of a call. The webhook handler gathers those facts and stores
 * the call record; this file only decides what the caller hears. Steps (all under /webhooks/voice/{inbox}/…):
 *   inbound  → greeting, incident notice, expected wait, "press 1 for a callback" → queue
 *   menu     → digit 1: callback confirmed; anything else: queue
 *   queue    → ring the next available agent (round robin, one at a time) → dial-result
 *   dial-result → answered: done; not answered: next agent, or after the queue timeout the fallback
 *   closed / fallback → callback offer and voicemail (a recording with a status callback)
 */
export type Lang = 'nl' | 'en';

export interface VoiceTexts {
  greeting: string;
  /** An uploaded audio file played instead of the spoken greeting. */
  greetingAudioUrl?: string;
  closed: string;
}

export interface IvrSettings {
  language: Lang;
  texts: Record<Lang, VoiceTexts>;
  /** Seconds a caller waits for agents before the fallback (callback/voicemail). */
  queueTimeoutSeconds: number;
  /** Seconds one agent's phone rings before the next is tried. */
  ringSeconds: number;
  voicemail: boolean;
  callbackOffer: boolean;
  /** E.164 number shown to agents when Balie rings them. */
  phoneNumber: string;
}

export type AgentLine = { kind: 'phone'; userId: string; number: string } | { kind: 'client'; userId: string; identity: string };

export interface CallFacts {
  /** Base URL of this inbox's voice webhooks, e.g. https://balie.example/webhooks/voice/{inboxId}. */
  webhookBase: string;
  open: boolean;
  incidentMessage?: string | null;
  expectedWaitMinutes?: number | null;
}

const VOICES: Record<Lang, { language: string; voice: string }> = {
  nl: { language: 'nl-NL', voice: 'Polly.Lotte' },
  en: { language: 'en-GB', voice: 'Polly.Amy' },
};

const PHRASES = {
  nl: {
    wait: (m: number) => (m <= 1 ? 'Er is nu bijna geen wachttijd.' : `De verwachte wachttijd is ongeveer ${m} minuten.`),
    pressOne: 'Wilt u liever teruggebeld worden? Toets dan 1. Blijft u aan de lijn, dan verbinden we u met een medewerker.',
    callbackConfirmed: 'Dank u. We bellen u terug op het nummer waarmee u nu belt. U krijgt een bericht met het tijdstip.',
    noAgent: 'Op dit moment kan niemand uw gesprek aannemen.',
    callbackOrMessage: 'Toets 1 om teruggebeld te worden, of spreek na de toon een bericht in.',
    callbackOnly: 'Toets 1 om teruggebeld te worden.',
    messageOnly: 'Spreek na de toon uw bericht in. Hang op als u klaar bent.',
    goodbye: 'Bedankt voor het bellen. Tot ziens.',
    recorded: 'Dank u, we hebben uw bericht ontvangen en nemen contact met u op.',
    connecting: 'U wordt nu verbonden met de klant.',
  },
  en: {
    wait: (m: number) => (m <= 1 ? 'There is hardly any waiting time right now.' : `The expected waiting time is about ${m} minutes.`),
    pressOne: 'Would you rather be called back? Press 1. Stay on the line and we will connect you to a colleague.',
    callbackConfirmed: 'Thank you. We will call you back on the number you are calling from. You will get a message with the time.',
    noAgent: 'Nobody can take your call right now.',
    callbackOrMessage: 'Press 1 to be called back, or leave a message after the tone.',
    callbackOnly: 'Press 1 to be called back.',
    messageOnly: 'Please leave your message after the tone. Hang up when you are done.',
    goodbye: 'Thank you for calling. Goodbye.',
    recorded: 'Thank you, we have your message and will get back to you.',
    connecting: 'Connecting you to the customer now.',
  },
} as const;

const sayIn = (lang: Lang, text: string): TwimlNode => twiml('Say', VOICES[lang], text);

/** The first answer to a ringing call. */
export function inboundCallTwiml(s: IvrSettings, f: CallFacts, lang: Lang = s.language): string {
  const t = s.texts[lang];
  const p = PHRASES[lang];
  const verbs: TwimlNode[] = [t.greetingAudioUrl ? twiml('Play', {}, t.greetingAudioUrl) : sayIn(lang, t.greeting)];
  if (f.incidentMessage) verbs.push(sayIn(lang, f.incidentMessage));
  if (!f.open) return renderTwiml([...verbs, sayIn(lang, t.closed), ...fallback(s, f, lang)]);
  if (f.expectedWaitMinutes != null) verbs.push(sayIn(lang, p.wait(Math.max(1, Math.round(f.expectedWaitMinutes)))));
  if (s.callbackOffer) {
    verbs.push(twiml('Gather', { input: 'dtmf', numDigits: 1, timeout: 4, action: `${f.webhookBase}/menu`, method: 'POST', actionOnEmptyResult: true }, [sayIn(lang, p.pressOne)]));
    return renderTwiml(verbs);
  }
  return renderTwiml([...verbs, twiml('Redirect', { method: 'POST' }, `${f.webhookBase}/queue`)]);
}

/** The caller pressed a key in the menu (or nothing: Gather's empty result). */
export function menuTwiml(s: IvrSettings, f: CallFacts, digits: string, lang: Lang = s.language): { twiml: string; callbackRequested: boolean } {
  if (digits === '1' && s.callbackOffer) {
    return { twiml: renderTwiml([sayIn(lang, PHRASES[lang].callbackConfirmed), twiml('Hangup')]), callbackRequested: true };
  }
  return { twiml: renderTwiml([twiml('Redirect', { method: 'POST' }, `${f.webhookBase}/queue`)]), callbackRequested: false };
}

/**
 * Rings one agent; the dial-result step decides what follows. Ringing one at a time (instead of all at once)
 * is what makes round robin fair and lets the screen pop show the call to exactly the agent whose phone rings.
 */
export function ringAgentTwiml(s: IvrSettings, f: CallFacts, agent: AgentLine | null, lang: Lang = s.language): string {
  if (!agent) return renderTwiml([sayIn(lang, PHRASES[lang].noAgent), ...fallback(s, f, lang)]);
  const status = { statusCallback: `${f.webhookBase}/status?agent=${encodeURIComponent(agent.userId)}`, statusCallbackEvent: 'ringing answered completed', statusCallbackMethod: 'POST' } as const;
  const target = agent.kind === 'phone' ? twiml('Number', status, agent.number) : twiml('Client', status, agent.identity);
  return renderTwiml([
    twiml('Dial', { action: `${f.webhookBase}/dial-result?agent=${encodeURIComponent(agent.userId)}`, method: 'POST', timeout: s.ringSeconds, answerOnBridge: true, callerId: agent.kind === 'phone' ? s.phoneNumber : undefined }, [target]),
  ]);
}

/** After a Dial: answered and finished, or try the next one, or give up once the caller has waited long enough. */
export function dialResultTwiml(
  s: IvrSettings,
  f: CallFacts,
  r: { dialStatus: string; waitedSeconds: number; next: AgentLine | null },
  lang: Lang = s.language,
): { twiml: string; outcome: 'answered' | 'next_agent' | 'fallback' } {
  if (r.dialStatus === 'completed' || r.dialStatus === 'answered') return { twiml: renderTwiml([twiml('Hangup')]), outcome: 'answered' };
  if (r.next && r.waitedSeconds < s.queueTimeoutSeconds) return { twiml: ringAgentTwiml(s, f, r.next, lang), outcome: 'next_agent' };
  return { twiml: renderTwiml([sayIn(lang, PHRASES[lang].noAgent), ...fallback(s, f, lang)]), outcome: 'fallback' };
}

/** What a caller can still do when nobody picks up or the line is closed: a callback and/or a voicemail. */
function fallback(s: IvrSettings, f: CallFacts, lang: Lang): TwimlNode[] {
  const p = PHRASES[lang];
  const record = twiml('Record', {
    action: `${f.webhookBase}/recorded`,
    method: 'POST',
    maxLength: 120,
    timeout: 5,
    playBeep: true,
    finishOnKey: '#',
    recordingStatusCallback: `${f.webhookBase}/recording`,
    recordingStatusCallbackMethod: 'POST',
    transcribe: false,
  });
  if (s.callbackOffer && s.voicemail) {
    return [twiml('Gather', { input: 'dtmf', numDigits: 1, timeout: 5, action: `${f.webhookBase}/menu`, method: 'POST' }, [sayIn(lang, p.callbackOrMessage)]), record];
  }
  if (s.callbackOffer) return [twiml('Gather', { input: 'dtmf', numDigits: 1, timeout: 6, action: `${f.webhookBase}/menu`, method: 'POST' }, [sayIn(lang, p.callbackOnly)]), sayIn(lang, p.goodbye), twiml('Hangup')];
  if (s.voicemail) return [sayIn(lang, p.messageOnly), record];
  return [sayIn(lang, p.goodbye), twiml('Hangup')];
}

/** After a voicemail was recorded. */
export function recordedTwiml(s: IvrSettings, lang: Lang = s.language): string {
  return renderTwiml([sayIn(lang, PHRASES[lang].recorded), twiml('Hangup')]);
}

/** Picks the agent whose turn it is: least recently rung first, skipping those already tried in this call. */
export function nextAgent<T extends AgentLine>(lines: readonly (T & { lastRungAt: Date | null })[], tried: ReadonlySet<string>): T | null {
  const candidates = lines.filter((l) => !tried.has(l.userId));
  candidates.sort((a, b) => (a.lastRungAt?.getTime() ?? -Infinity) - (b.lastRungAt?.getTime() ?? -Infinity) || (a.userId < b.userId ? -1 : 1));
  return candidates[0] ?? null;
}

/**
 * Click-to-call: the agent picked up the call Balie placed to their phone; now Balie rings the customer and
 * bridges the two. The customer sees the line's number, not the agent's own.
 */
export function bridgeTwiml(s: IvrSettings, f: CallFacts, customerNumber: string, lang: Lang = s.language): string {
  return renderTwiml([
    sayIn(lang, PHRASES[lang].connecting),
    twiml('Dial', { action: `${f.webhookBase}/bridge-result`, method: 'POST', timeout: 30, callerId: s.phoneNumber, answerOnBridge: true }, [twiml('Number', {}, customerNumber)]),
  ]);
}
