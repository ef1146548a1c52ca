import type { RawRequest } from '../channel';
import { twilioAuth, twilioBase, twilioCall, twilioError, twilioSafe } from '../twilio/api';
import { formParams, verifyTwilio } from '../twilio/signature';
import { bridgeTwiml, dialResultTwiml, inboundCallTwiml, menuTwiml, recordedTwiml, ringAgentTwiml } from './ivr';
import { renderTwiml } from './twiml';
import type { CallEvent, VoiceProvider } from './provider';

const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : null);

/** Twilio Programmable Voice: form-encoded webhooks signed with X-Twilio-Signature, answered with TwiML. */
export const twilioVoice: VoiceProvider = {
  name: 'twilio',
  contentType: 'text/xml',
  verify: (req, authToken) => verifyTwilio(req, authToken),
  readEvent(req: RawRequest): CallEvent {
    const p = new Map(formParams(req.rawBody));
    const callId = p.get('CallSid');
    if (!callId || !/^CA[0-9a-fA-F]{32}$/.test(callId)) throw new Error('not a Twilio voice webhook (no CallSid)');
    const recordingId = p.get('RecordingSid');
    return {
      callId,
      parentCallId: p.get('ParentCallSid') ?? null,
      accountId: p.get('AccountSid') ?? null,
      from: p.get('From') ?? p.get('Caller') ?? '',
      to: p.get('To') ?? p.get('Called') ?? '',
      status: p.get('CallStatus') ?? '',
      digits: p.has('Digits') ? (p.get('Digits') ?? '') : null,
      dialStatus: p.get('DialCallStatus') ?? null,
      dialSeconds: num(p.get('DialCallDuration')),
      durationSeconds: num(p.get('CallDuration')),
      recording: recordingId
        ? { id: recordingId, url: p.get('RecordingUrl') ?? '', status: p.get('RecordingStatus') ?? 'completed', seconds: num(p.get('RecordingDuration')) }
        : null,
      sequence: p.get('SequenceNumber') ?? null,
    };
  },
  answers: {
    inbound: inboundCallTwiml,
    menu: menuTwiml,
    ring: ringAgentTwiml,
    dialResult: dialResultTwiml,
    recorded: recordedTwiml,
    bridge: bridgeTwiml,
    empty: () => renderTwiml([]),
  },
  placeCall: (http, account, call) =>
    twilioSafe(async () => {
      const res = await twilioCall(http, account, 'POST', '/Calls.json', {
        To: call.to,
        From: call.from,
        Url: call.url,
        Method: 'POST',
        StatusCallback: call.statusCallback,
        StatusCallbackMethod: 'POST',
      });
      const sid = (res.json as { sid?: string } | null)?.sid;
      if ((res.status === 200 || res.status === 201) && sid) return { ok: true, externalId: sid };
      return twilioError(res);
    }),
  async fetchRecording(http, account, url) {
    if (!url.startsWith(`${twilioBase(account)}/`)) throw new Error('recording URL is not on the Twilio API host');
    // Twilio serves the recording as WAV by default; MP3 is a fraction of the size.
    const res = await http.request(`${url}.mp3`, { method: 'GET', headers: { authorization: twilioAuth(account) }, timeoutMs: 120_000 });
    if (res.status !== 200) throw new Error(`recording download answered HTTP ${res.status}`);
    return { contentType: 'audio/mpeg', data: res.body };
  },
};
