import crypto from 'node:crypto';
import { twilioSignature } from '../../../src/channels/twilio/signature';
import { parseXml, twimlProblems, type XmlElement } from '../twiml-rules';
import { TW } from './twilio';

/**
 * Twilio Programmable Voice as seen from Balie: a call that posts the webhooks Twilio posts, with the form
 * parameters of Twilio's voice request docs, signed with X-Twilio-Signature, and that follows the TwiML Balie
 * answers (Gather → digits to its action, Redirect → its URL, Dial → the <Number>'s status callbacks and then
 * the Dial action, Record → the action and the recording status callback). Every answer must pass the strict
 * TwiML rules, or the call throws.
 */
export type Post = (url: string, body: string, headers: Record<string, string>) => Promise<{ status: number; text: string }>;

export const sid = (prefix: string) => `${prefix}${crypto.randomBytes(16).toString('hex')}`;

export function signedForm(authToken: string, url: string, params: Record<string, string>) {
  const body = new URLSearchParams(params).toString();
  return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(authToken, url, [...new URLSearchParams(body).entries()]) } };
}

export function callParams(callSid: string, from: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AccountSid: TW.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: callSid,
    CallStatus: 'ringing',
    Called: TW.number,
    CalledCity: '',
    CalledCountry: 'NL',
    CalledState: '',
    CalledZip: '',
    Caller: from,
    CallerCity: '',
    CallerCountry: 'NL',
    CallerState: '',
    CallerZip: '',
    Direction: 'inbound',
    From: from,
    FromCity: '',
    FromCountry: 'NL',
    FromState: '',
    FromZip: '',
    To: TW.number,
    ToCity: '',
    ToCountry: 'NL',
    ToState: '',
    ToZip: '',
    ...extra,
  };
}

export interface FakeCall {
  sid: string;
  /** Every TwiML document Balie answered, in order. */
  answers: string[];
  /** The verbs of the last answer. */
  last(): XmlElement[];
  start(): Promise<XmlElement[]>;
  /** The called party answered a call Balie placed: Twilio fetches the call's Url. */
  answerAt(url: string): Promise<XmlElement[]>;
  press(digits: string): Promise<XmlElement[]>;
  /** Follows the <Redirect> of the last answer. */
  follow(): Promise<XmlElement[]>;
  /** Rings the <Number> of the last <Dial>: answered (and talks for `talkSeconds`), or not. */
  dial(outcome: { answer: true; talkSeconds: number } | { answer: false; status?: 'no-answer' | 'busy' | 'failed' }): Promise<XmlElement[]>;
  /** Leaves a voicemail on the last <Record>. */
  record(seconds: number, base: string): Promise<{ recordingSid: string; answer: XmlElement[] }>;
  /** The caller's leg ends (the number's status callback). */
  hangup(status?: string, durationSeconds?: number): Promise<void>;
  /** Re-sends the most recent webhook exactly (a Twilio retry); returns Balie's answer. */
  retryLast(): Promise<{ status: number; text: string }>;
}

export function fakeCall(opts: { post: Post; voiceUrl: string; from: string; authToken?: string; callSid?: string; to?: string; direction?: string }): FakeCall {
  const authToken = opts.authToken ?? TW.authToken;
  const callSid = opts.callSid ?? sid('CA');
  const answers: string[] = [];
  let lastSent: { url: string; body: string; headers: Record<string, string> } | null = null;
  let seq = 0;
  const send = async (url: string, params: Record<string, string>) => {
    const { body, headers } = signedForm(authToken, url, params);
    lastSent = { url, body, headers };
    const res = await opts.post(url, body, headers);
    if (res.status !== 200) throw new Error(`Balie answered ${res.status} to ${url}: ${res.text}`);
    return res.text;
  };
  const twiml = async (url: string, params: Record<string, string>) => {
    const text = await send(url, params);
    const problems = twimlProblems(text);
    if (problems.length) throw new Error(`invalid TwiML from ${url}: ${problems.join('; ')}`);
    answers.push(text);
    return verbsOf(text);
  };
  const verbsOf = (xml: string) => parseXml(xml).children.filter((c): c is XmlElement => typeof c !== 'string');
  const last = () => verbsOf(answers.at(-1) ?? '<Response/>');
  const find = (name: string) => {
    const v = last().find((e) => e.name === name);
    if (!v) throw new Error(`the last TwiML has no <${name}>: ${answers.at(-1)}`);
    return v;
  };
  const base = (status = 'in-progress') =>
    callParams(callSid, opts.from, { CallStatus: status, ...(opts.to ? { To: opts.to, Called: opts.to } : {}), ...(opts.direction ? { Direction: opts.direction } : {}) });
  return {
    sid: callSid,
    answers,
    last,
    start: () => twiml(opts.voiceUrl, base('ringing')),
    answerAt: (url: string) => twiml(url, base('in-progress')),
    press: (digits) => twiml(find('Gather').attrs.action!, { ...base(), Digits: digits, FinishedOnKey: '', msg: 'Gather End' }),
    follow: () => twiml(String(find('Redirect').children[0]), base()),
    async dial(outcome) {
      const dial = find('Dial');
      const number = dial.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'Number')!;
      const child = sid('CA');
      const leg = async (status: string, extra: Record<string, string> = {}) => {
        if (!number.attrs.statusCallback) return;
        await send(number.attrs.statusCallback, {
          AccountSid: TW.accountSid,
          ApiVersion: '2010-04-01',
          CallSid: child,
          CallStatus: status,
          Called: String(number.children[0]),
          Caller: TW.number,
          Direction: 'outbound-dial',
          From: TW.number,
          To: String(number.children[0]),
          ParentCallSid: callSid,
          SequenceNumber: String(seq++),
          Timestamp: new Date().toUTCString(),
          CallbackSource: 'call-progress-events',
          ...extra,
        });
      };
      await leg('ringing');
      if (outcome.answer) {
        await leg('in-progress');
        await leg('completed', { CallDuration: String(outcome.talkSeconds) });
        return twiml(dial.attrs.action!, { ...base(), DialCallSid: child, DialCallStatus: 'completed', DialCallDuration: String(outcome.talkSeconds), DialBridged: 'true' });
      }
      const status = outcome.status ?? 'no-answer';
      await leg(status);
      return twiml(dial.attrs.action!, { ...base(), DialCallSid: child, DialCallStatus: status, DialBridged: 'false' });
    },
    async record(seconds, restBase) {
      const rec = find('Record');
      const recordingSid = sid('RE');
      const recordingUrl = `${restBase}/2010-04-01/Accounts/${TW.accountSid}/Recordings/${recordingSid}`;
      const answer = await twiml(rec.attrs.action!, { ...base(), RecordingUrl: recordingUrl, RecordingSid: recordingSid, RecordingDuration: String(seconds), Digits: 'hangup' });
      await send(rec.attrs.recordingStatusCallback!, {
        AccountSid: TW.accountSid,
        CallSid: callSid,
        RecordingSid: recordingSid,
        RecordingUrl: recordingUrl,
        RecordingStatus: 'completed',
        RecordingDuration: String(seconds),
        RecordingChannels: '1',
        RecordingStartTime: new Date().toUTCString(),
        RecordingSource: 'RecordVerb',
        ErrorCode: '0',
      });
      return { recordingSid, answer };
    },
    async hangup(status = 'completed', durationSeconds = 30) {
      await send(`${opts.voiceUrl}/call-status`, { ...base(status), CallDuration: String(durationSeconds), Duration: String(Math.ceil(durationSeconds / 60)), Timestamp: new Date().toUTCString(), CallbackSource: 'call-progress-events', SequenceNumber: '0' });
    },
    async retryLast() {
      if (!lastSent) throw new Error('nothing sent yet');
      return opts.post(lastSent.url, lastSent.body, lastSent.headers);
    },
  };
}
