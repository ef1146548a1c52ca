import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../store/db';
import { callbackRequests, callRings, callWebhookEvents, calls, contacts, conversations, inboxes, messages } from '../store/schema';
import type { RawRequest } from '../channels/channel';
import { ivrSettingsOf, voiceSettingsSchema, type VoiceSettings } from '../channels/voice/adapter';
import type { CallFacts, Lang } from '../channels/voice/ivr';
import type { CallEvent, VoiceProvider } from '../channels/voice/provider';
import { twilioVoice } from '../channels/voice/twilio-voice';
import { normalizePhone } from '../domain/identity';
import { isOpen } from '../domain/business-hours';
import { asapWindow } from '../domain/callback-slots';
import { AppError, notFound } from '../shared/errors';
import { UUID_RE } from '../shared/runtime';
import type { Deps } from './context';
import { readSecrets } from './inboxes';
import { ingestInbound } from './ingest-inbound';
import { withOutbox, type OutboxWriter } from './outbox';
import { calendarFor, loadCertainty } from './certainty-settings';
import { currentIvrMessage } from './incidents';
import { expectedWaitMinutes, publishCall, ringNextAgent, updateCall, type CallRow } from './voice-calls';
import type { WebhookResponse } from './receive-webhook';
import { rungUsers, screenPop } from './screen-pop';

/**
 * The phone line's webhooks. Unlike messaging webhooks these are synchronous: Twilio waits for the TwiML that
 * says what the caller hears next, so each step verifies the signature, writes its rows and computes its
 * answer in one transaction. Every webhook is stored under a key made of the CallSid and what the webhook
 * says (status, digits, recording); a retry finds its key and gets the stored answer, changing nothing.
 *
 *   POST /webhooks/voice/{inbox}              the call comes in (the number's Voice URL)
 *   POST /webhooks/voice/{inbox}/menu         digits of the "press 1" menu
 *   POST /webhooks/voice/{inbox}/queue        ring the next agent
 *   POST /webhooks/voice/{inbox}/dial-result  one agent's phone was rung (Dial action)
 *   POST /webhooks/voice/{inbox}/status       an agent's leg: ringing / answered / completed
 *   POST /webhooks/voice/{inbox}/recorded     voicemail finished (Record action)
 *   POST /webhooks/voice/{inbox}/recording    the recording is ready (recordingStatusCallback)
 *   POST /webhooks/voice/{inbox}/call-status  the caller's leg ended (the number's Status Callback URL)
 *   POST /webhooks/voice/{inbox}/bridge       click-to-call: the agent answered, ring the customer
 *   POST /webhooks/voice/{inbox}/bridge-result click-to-call: the customer's leg ended
 */
export const voiceSteps = ['inbound', 'menu', 'queue', 'dial-result', 'status', 'recorded', 'recording', 'call-status', 'bridge', 'bridge-result'] as const;
type Step = (typeof voiceSteps)[number];

const providers: Record<VoiceSettings['provider'], VoiceProvider> = { twilio: twilioVoice };

interface StepCtx {
  tx: Db;
  out: OutboxWriter;
  deps: Deps;
  inbox: typeof inboxes.$inferSelect;
  settings: VoiceSettings;
  provider: VoiceProvider;
  ev: CallEvent;
  query: Record<string, string | undefined>;
  facts: CallFacts;
}

/** Callers whose number we cannot call back (withheld, anonymous, or not a number). */
const callableNumber = (raw: string): string | null => {
  const p = normalizePhone(raw);
  return p.ok && /^\+[1-9]\d{6,14}$/.test(p.value) && p.value !== '+266696687' ? p.value : null;
};

function eventKey(step: Step, ev: CallEvent, query: Record<string, string | undefined>): string {
  switch (step) {
    case 'inbound':
    case 'menu':
    case 'queue':
    case 'recorded':
    case 'bridge':
    case 'bridge-result':
      return `${step}:${ev.callId}`;
    case 'dial-result':
      return `${step}:${ev.callId}:${query.agent ?? ''}`;
    case 'status':
      return `${step}:${ev.callId}:${ev.status}:${ev.sequence ?? ''}`;
    case 'recording':
      return `${step}:${ev.recording?.id ?? ''}:${ev.recording?.status ?? ''}`;
    case 'call-status':
      return `${step}:${ev.callId}:${ev.status}`;
  }
}

export async function handleVoiceWebhook(deps: Deps, inboxId: string, stepName: string, raw: RawRequest): Promise<WebhookResponse> {
  if (!UUID_RE.test(inboxId)) throw notFound('inbox');
  const [inbox] = await deps.store.db
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.id, inboxId.toLowerCase()), eq(inboxes.kind, 'voice'), isNull(inboxes.archivedAt)));
  if (!inbox) throw notFound('inbox');
  const step = stepName as Step;
  if (!voiceSteps.includes(step)) throw notFound('voice_step');
  const settings = voiceSettingsSchema.parse(inbox.settings);
  const provider = providers[settings.provider];
  const secrets = readSecrets(deps, inbox) as { authToken?: string };
  const verdict = provider.verify(raw, secrets.authToken);
  if (!verdict.ok) throw new AppError(verdict.status === 401 ? 'unauthorized' : 'forbidden', verdict.code, verdict.message);
  let ev: CallEvent;
  try {
    ev = provider.readEvent(raw);
  } catch (err) {
    throw new AppError('validation', 'not_a_call_event', (err as Error).message);
  }
  if (ev.accountId && ev.accountId !== settings.accountSid) throw new AppError('forbidden', 'wrong_account', 'This webhook is for another Twilio account.');
  const key = eventKey(step, ev, raw.query);
  const answer = (body: string): WebhookResponse => ({ status: 200, contentType: provider.contentType, body });

  const stored = await storedAnswer(deps.store.db, inbox, key);
  if (stored !== null) return answer(stored);
  // The first webhook of a call makes its contact, conversation and timeline message, through the one ingest path.
  if (step === 'inbound') await ingestCall(deps, inbox, ev);

  const body = await withOutbox(deps, inbox.workspaceId, async (tx, out) => {
    const [row] = await tx
      .insert(callWebhookEvents)
      .values({
        workspaceId: inbox.workspaceId,
        id: deps.runtime.id(),
        inboxId: inbox.id,
        eventKey: key.slice(0, 500),
        callExternalId: ev.parentCallId ?? ev.callId,
        step,
        params: Object.fromEntries(new URLSearchParams(raw.rawBody.toString('utf8'))),
        createdAt: deps.runtime.now(),
      })
      .onConflictDoNothing()
      .returning({ id: callWebhookEvents.id });
    // The same webhook raced us and won: its answer is the answer.
    if (!row) return (await storedAnswer(tx, inbox, key)) ?? provider.answers.empty();
    const facts: CallFacts = { webhookBase: `${deps.config.publicUrl}/webhooks/voice/${inbox.id}`, open: true };
    const text = await STEPS[step]({ tx, out, deps, inbox, settings, provider, ev, query: raw.query, facts });
    await tx.update(callWebhookEvents).set({ response: text }).where(and(eq(callWebhookEvents.workspaceId, inbox.workspaceId), eq(callWebhookEvents.id, row.id)));
    return text;
  });
  return answer(body);
}

async function storedAnswer(db: Db, inbox: { workspaceId: string; id: string }, key: string): Promise<string | null> {
  const [row] = await db
    .select({ response: callWebhookEvents.response })
    .from(callWebhookEvents)
    .where(and(eq(callWebhookEvents.workspaceId, inbox.workspaceId), eq(callWebhookEvents.inboxId, inbox.id), eq(callWebhookEvents.eventKey, key.slice(0, 500))));
  return row ? row.response : null;
}

async function ingestCall(deps: Deps, inbox: typeof inboxes.$inferSelect, ev: CallEvent) {
  const number = callableNumber(ev.from);
  // A withheld number is still a caller: an unknown contact of its own that an agent can link later.
  const identity = number ? { kind: 'phone' as const, value: number, verified: true } : { kind: 'external' as const, value: `withheld-call:${ev.callId}` };
  return ingestInbound(deps, {
    workspaceId: inbox.workspaceId,
    inboxId: inbox.id,
    externalId: ev.callId,
    contact: { identities: [identity] },
    content: '',
    contentAttributes: { call: { direction: 'inbound', from: number ?? 'withheld', to: ev.to } },
  });
}

async function callOf(tx: Db, inbox: { workspaceId: string; id: string }, externalId: string, lock = true): Promise<CallRow | null> {
  const q = tx.select().from(calls).where(and(eq(calls.workspaceId, inbox.workspaceId), eq(calls.inboxId, inbox.id), eq(calls.externalId, externalId)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

const langOf = (call: CallRow): Lang => call.language;
const ivrFor = (s: VoiceSettings, call: CallRow) => ({ ...ivrSettingsOf(s), callbackOffer: s.callbackOffer && callableNumber(call.fromNumber) !== null });
const secondsSince = (from: Date | null, now: Date) => (from ? Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000)) : 0);

const STEPS: Record<Step, (c: StepCtx) => Promise<string>> = {
  async inbound({ tx, out, deps, inbox, settings, provider, ev, facts }) {
    const now = deps.runtime.now();
    // The message ingest just wrote (or found) for this CallSid.
    const [msgRow] = await tx
      .select({ id: messages.id, conversationId: messages.conversationId, contactId: conversations.contactId })
      .from(messages)
      .innerJoin(conversations, and(eq(conversations.workspaceId, messages.workspaceId), eq(conversations.id, messages.conversationId)))
      .where(and(eq(messages.workspaceId, inbox.workspaceId), eq(messages.inboxId, inbox.id), eq(messages.externalId, ev.callId)));
    if (!msgRow) throw new Error('call message missing after ingest');
    const [contact] = await tx.select({ attributes: contacts.attributes }).from(contacts).where(and(eq(contacts.workspaceId, inbox.workspaceId), eq(contacts.id, msgRow.contactId)));
    const lang: Lang = contact?.attributes.locale === 'en' ? 'en' : contact?.attributes.locale === 'nl' ? 'nl' : settings.language;
    const number = callableNumber(ev.from);
    const [call] = await tx
      .insert(calls)
      .values({
        workspaceId: inbox.workspaceId,
        id: deps.runtime.id(),
        inboxId: inbox.id,
        externalId: ev.callId,
        conversationId: msgRow.conversationId,
        contactId: msgRow.contactId,
        messageId: msgRow.id,
        direction: 'inbound',
        fromNumber: number ?? 'withheld',
        toNumber: ev.to,
        language: lang,
        status: 'ringing',
        startedAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await publishCall(tx, out, call!);
    const { settings: certainty } = await loadCertainty(tx, deps, inbox.workspaceId);
    const open = isOpen(calendarFor(certainty, inbox.id), now);
    const f: CallFacts = {
      ...facts,
      open,
      incidentMessage: await currentIvrMessage(tx, inbox.workspaceId, lang),
      expectedWaitMinutes: open ? await expectedWaitMinutes(tx, inbox.workspaceId, inbox.id, now) : null,
    };
    return provider.answers.inbound(ivrFor(settings, call!), f, lang);
  },

  async menu({ tx, out, deps, inbox, settings, provider, ev, facts }) {
    const call = await callOf(tx, inbox, ev.callId);
    if (!call) return provider.answers.empty();
    const r = provider.answers.menu(ivrFor(settings, call), facts, ev.digits ?? '', langOf(call));
    if (r.callbackRequested) await requestCallbackFromCall(tx, deps, out, call, settings);
    return r.twiml;
  },

  async queue({ tx, out, deps, inbox, settings, provider, ev, facts }) {
    let call = await callOf(tx, inbox, ev.callId);
    if (!call) return provider.answers.empty();
    call = await updateCall(tx, deps, out, call, { status: 'queued', queuedAt: call.queuedAt ?? deps.runtime.now() });
    const agent = await ringNextAgent(tx, deps, call, settings.agents);
    if (agent) {
      await publishCall(tx, out, call, { ringing: { userId: agent.userId } });
      await screenPop(tx, out, call, [agent.userId], 'ringing');
    }
    return provider.answers.ring(ivrFor(settings, call), facts, agent, langOf(call));
  },

  async 'dial-result'({ tx, out, deps, inbox, settings, provider, ev, query, facts }) {
    let call = await callOf(tx, inbox, ev.callId);
    if (!call) return provider.answers.empty();
    const now = deps.runtime.now();
    const agentId = query.agent && UUID_RE.test(query.agent) ? query.agent.toLowerCase() : null;
    const dialStatus = ev.dialStatus ?? 'failed';
    const answered = dialStatus === 'completed' || dialStatus === 'answered';
    if (agentId) {
      await tx
        .update(callRings)
        .set({ status: answered ? 'answered' : 'missed', endedAt: now })
        .where(and(eq(callRings.workspaceId, call.workspaceId), eq(callRings.callId, call.id), eq(callRings.userId, agentId)));
    }
    if (answered) {
      const talk = ev.dialSeconds ?? secondsSince(call.answeredAt, now);
      const answeredAt = call.answeredAt ?? new Date(now.getTime() - talk * 1000);
      call = await updateCall(tx, deps, out, call, {
        outcome: 'answered',
        status: 'completed',
        agentUserId: call.agentUserId ?? agentId,
        answeredAt,
        talkSeconds: talk,
        waitSeconds: call.waitSeconds ?? secondsSince(call.queuedAt ?? call.startedAt, answeredAt),
      });
      await screenPop(tx, out, call, [call.agentUserId ?? agentId].filter((x): x is string => !!x), 'ended');
      return provider.answers.dialResult(ivrFor(settings, call), facts, { dialStatus, waitedSeconds: 0, next: null }, langOf(call)).twiml;
    }
    const waited = secondsSince(call.queuedAt ?? call.startedAt, now);
    const next = waited < settings.queueTimeoutSeconds ? await ringNextAgent(tx, deps, call, settings.agents) : null;
    const r = provider.answers.dialResult(ivrFor(settings, call), facts, { dialStatus, waitedSeconds: waited, next }, langOf(call));
    if (r.outcome === 'fallback' && !call.outcome) call = await updateCall(tx, deps, out, call, { outcome: 'missed' });
    else if (next) await publishCall(tx, out, call, { ringing: { userId: next.userId } });
    if (agentId) await screenPop(tx, out, call, [agentId], 'ended');
    if (next) await screenPop(tx, out, call, [next.userId], 'ringing');
    return r.twiml;
  },

  async status({ tx, out, deps, inbox, provider, ev, query }) {
    const call = ev.parentCallId ? await callOf(tx, inbox, ev.parentCallId) : null;
    const agentId = query.agent && UUID_RE.test(query.agent) ? query.agent.toLowerCase() : null;
    if (!call || !agentId) return provider.answers.empty();
    const now = deps.runtime.now();
    const ring = and(eq(callRings.workspaceId, call.workspaceId), eq(callRings.callId, call.id), eq(callRings.userId, agentId));
    if (ev.status === 'in-progress' || ev.status === 'answered') {
      await tx.update(callRings).set({ status: 'answered' }).where(ring);
      const answered = await updateCall(tx, deps, out, call, {
        status: 'in_progress',
        outcome: 'answered',
        agentUserId: agentId,
        answeredAt: now,
        waitSeconds: secondsSince(call.queuedAt ?? call.startedAt, now),
      });
      await screenPop(tx, out, answered, [agentId], 'answered');
    } else if (['completed', 'busy', 'no-answer', 'failed', 'canceled'].includes(ev.status)) {
      await tx.update(callRings).set({ endedAt: now }).where(and(ring, isNull(callRings.endedAt)));
      await publishCall(tx, out, call, { ringEnded: { userId: agentId } });
      // An agent who talked keeps the pop until the call's end (the Dial action); one who did not answer loses it now.
      if (ev.status !== 'completed') await screenPop(tx, out, call, [agentId], 'ended');
    }
    return provider.answers.empty();
  },

  async recorded({ tx, out, deps, inbox, settings, provider, ev }) {
    const call = await callOf(tx, inbox, ev.callId);
    if (!call) return provider.answers.empty();
    // An empty recording (the caller hung up at the beep) is not a voicemail.
    if ((ev.recording?.seconds ?? 0) > 0 && call.outcome !== 'callback_requested') await updateCall(tx, deps, out, call, { outcome: 'voicemail' });
    return provider.answers.recorded(ivrSettingsOf(settings), langOf(call));
  },

  async recording({ tx, out, deps, inbox, provider, ev }) {
    const call = await callOf(tx, inbox, ev.callId);
    if (!call || !ev.recording || ev.recording.status !== 'completed' || !ev.recording.url) return provider.answers.empty();
    await updateCall(tx, deps, out, call, {
      recordingExternalId: ev.recording.id,
      recordingUrl: ev.recording.url,
      recordingSeconds: ev.recording.seconds,
      ...(call.outcome === null || call.outcome === 'missed' ? { outcome: 'voicemail' as const } : {}),
    });
    out.job('fetch-call-recording', { workspaceId: call.workspaceId, callId: call.id }, { singletonKey: `recording:${call.id}` });
    return provider.answers.empty();
  },

  async bridge({ tx, out, deps, inbox, settings, provider, ev, facts }) {
    const call = await callOf(tx, inbox, ev.callId);
    if (!call || call.direction !== 'outbound') return provider.answers.empty();
    await updateCall(tx, deps, out, call, { status: 'in_progress' });
    return provider.answers.bridge(ivrSettingsOf(settings), facts, call.toNumber, langOf(call));
  },

  async 'bridge-result'({ tx, out, deps, inbox, provider, ev }) {
    const call = await callOf(tx, inbox, ev.callId);
    if (!call || call.direction !== 'outbound') return provider.answers.empty();
    const now = deps.runtime.now();
    const answered = ev.dialStatus === 'completed' || ev.dialStatus === 'answered';
    const talk = answered ? (ev.dialSeconds ?? 0) : null;
    const ended = await updateCall(tx, deps, out, call, {
      outcome: answered ? 'answered' : 'missed',
      status: 'completed',
      talkSeconds: talk,
      answeredAt: answered ? new Date(now.getTime() - (talk ?? 0) * 1000) : null,
      endedAt: now,
    });
    // Click-to-call: the calling agent's app asks for the post-call summary.
    if (ended.agentUserId) await screenPop(tx, out, ended, [ended.agentUserId], 'ended');
    return provider.answers.empty();
  },

  async 'call-status'({ tx, out, deps, inbox, provider, ev }) {
    const call = await callOf(tx, inbox, ev.callId);
    if (!call) return provider.answers.empty();
    const now = deps.runtime.now();
    const failed = ev.status === 'failed';
    const outcome = call.outcome ?? (failed ? 'failed' : call.queuedAt ? 'abandoned' : 'missed');
    const ended = await updateCall(tx, deps, out, call, {
      status: ev.status === 'in-progress' ? 'in_progress' : ev.status.replace('-', '_'),
      outcome,
      endedAt: now,
      ...(call.answeredAt && call.talkSeconds === null ? { talkSeconds: secondsSince(call.answeredAt, now) } : {}),
      ...(call.waitSeconds === null && !call.answeredAt ? { waitSeconds: secondsSince(call.queuedAt ?? call.startedAt, now) } : {}),
    });
    if (ev.status !== 'in-progress') await screenPop(tx, out, ended, [...(await rungUsers(tx, ended)), ...(ended.agentUserId ? [ended.agentUserId] : [])], 'ended');
    return provider.answers.empty();
  },
};

/**
 * "Press 1": a callback request in the certainty feature's table (the same queue as the case-status page's),
 * marked as coming from the phone menu. One per call; the call's outcome says the customer chose it.
 */
async function requestCallbackFromCall(tx: Db, deps: Deps, out: OutboxWriter, call: CallRow, line: VoiceSettings) {
  const number = callableNumber(call.fromNumber);
  if (!number) return;
  const now = deps.runtime.now();
  const { settings } = await loadCertainty(tx, deps, call.workspaceId);
  // Due now only while the line is open, else at its next opening; on time for one slot of opening time after that.
  const timing = asapWindow(calendarFor(settings, call.inboxId), now, line.callbackSlots);
  await tx.insert(callbackRequests).values({
    dueAt: timing.dueAt,
    windowEndsAt: timing.windowEndsAt,
    workspaceId: call.workspaceId,
    id: deps.runtime.id(),
    conversationId: call.conversationId,
    contactId: call.contactId,
    phone: number,
    source: 'ivr',
    note: '',
    createdAt: now,
    updatedAt: now,
  });
  await updateCall(tx, deps, out, call, { outcome: 'callback_requested' }, { callbackRequested: true });
}
