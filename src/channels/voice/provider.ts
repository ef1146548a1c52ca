import type { HttpClient, RawRequest, SendResult, VerifyResult } from '../channel';
import type { AgentLine, CallFacts, IvrSettings, Lang } from './ivr';

/**
 * What Balie needs from a telephony provider. Twilio Programmable Voice is the first; SIP/Asterisk or another
 * provider implements the same: verify a webhook, read its parameters as a `CallEvent`, render each step's
 * answer, download a recording. The call logic (records, round robin, callbacks) never sees provider formats.
 */
export interface CallEvent {
  /** The provider's id of the call leg the webhook is about (Twilio CallSid). */
  callId: string;
  /** For an agent's leg (a <Number> status callback): the customer's call it belongs to. */
  parentCallId: string | null;
  accountId: string | null;
  from: string;
  to: string;
  /** Provider call status: queued, ringing, in-progress, completed, busy, no-answer, failed, canceled. */
  status: string;
  digits: string | null;
  /** Outcome of a <Dial>: completed, answered, busy, no-answer, failed, canceled. */
  dialStatus: string | null;
  dialSeconds: number | null;
  /** Length of the call leg in seconds (on completed). */
  durationSeconds: number | null;
  recording: { id: string; url: string; status: string; seconds: number | null } | null;
  /** Orders status callbacks of one leg (Twilio SequenceNumber). */
  sequence: string | null;
}

export interface VoiceAnswers {
  inbound(s: IvrSettings, f: CallFacts, lang: Lang): string;
  menu(s: IvrSettings, f: CallFacts, digits: string, lang: Lang): { twiml: string; callbackRequested: boolean };
  ring(s: IvrSettings, f: CallFacts, agent: AgentLine | null, lang: Lang): string;
  dialResult(s: IvrSettings, f: CallFacts, r: { dialStatus: string; waitedSeconds: number; next: AgentLine | null }, lang: Lang): { twiml: string; outcome: 'answered' | 'next_agent' | 'fallback' };
  recorded(s: IvrSettings, lang: Lang): string;
  /** Click-to-call: the agent answered; ring the customer and bridge. */
  bridge(s: IvrSettings, f: CallFacts, customerNumber: string, lang: Lang): string;
  /** The empty answer to a pure notification (status and recording callbacks). */
  empty(): string;
}

export interface ProviderAccount {
  accountSid: string;
  authToken: string;
  apiBaseUrl?: string;
}

export interface VoiceProvider {
  name: string;
  contentType: string;
  verify(req: RawRequest, authToken: string | undefined): VerifyResult;
  readEvent(req: RawRequest): CallEvent;
  answers: VoiceAnswers;
  /** Places a call to `to` that fetches its instructions from `url` once answered (click-to-call's agent leg). */
  placeCall(http: HttpClient, account: ProviderAccount, call: { to: string; from: string; url: string; statusCallback: string }): Promise<SendResult>;
  /** Downloads a finished recording; only from the provider's own API host, with the account's credentials. */
  fetchRecording(http: HttpClient, account: ProviderAccount, url: string): Promise<{ contentType: string; data: Buffer }>;
}
