import { and, desc, eq, gte, inArray, isNotNull, max, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import { attachments, callRings, calls, conversations, memberships, messages } from '../store/schema';
import { percentile, PROMISE_PERCENTILE, PROMISE_WINDOW_DAYS } from '../domain/handling-promise';
import { nextAgent, type AgentLine } from '../channels/voice/ivr';
import { voiceSettingsSchema } from '../channels/voice/adapter';
import { twilioVoice } from '../channels/voice/twilio-voice';
import type { Deps } from './context';
import { scopeOf } from './conversations';
import type { OutboxWriter } from './outbox';
import { withOutbox } from './outbox';
import { messageView } from './messages';
import { readSecrets } from './inboxes';
import { storeAttachments } from './attachments';
import { inboxes } from '../store/schema';
import { channelContext } from './channel-context';

export type CallRow = typeof calls.$inferSelect;

/** What the agent app and the timeline show of a call (kept on the call's message as `contentAttributes.call`). */
export function callDto(c: CallRow) {
  return {
    id: c.id,
    direction: c.direction,
    from: c.fromNumber,
    to: c.toNumber,
    status: c.status,
    outcome: c.outcome,
    agentUserId: c.agentUserId,
    startedAt: c.startedAt.toISOString(),
    answeredAt: c.answeredAt?.toISOString() ?? null,
    endedAt: c.endedAt?.toISOString() ?? null,
    waitSeconds: c.waitSeconds,
    talkSeconds: c.talkSeconds,
    recordingSeconds: c.recordingSeconds,
    recordingAttachmentId: c.recordingAttachmentId,
    recordingUrl: c.recordingAttachmentId ? `/api/v1/attachments/${c.recordingAttachmentId}` : null,
  };
}

/** Minimum answered calls before Balie tells callers a waiting time; fewer would be a guess. */
export const MIN_WAIT_SAMPLES = 5;

/**
 * The waiting time callers hear: the same percentile the handling-time promise uses (certainty), over the
 * waits of answered calls of this line in the same window. Null while there is too little history.
 */
export async function expectedWaitMinutes(db: Db, workspaceId: string, inboxId: string, now: Date): Promise<number | null> {
  const since = new Date(now.getTime() - PROMISE_WINDOW_DAYS * 86_400_000);
  const rows = await db
    .select({ wait: calls.waitSeconds })
    .from(calls)
    .where(and(eq(calls.workspaceId, workspaceId), eq(calls.inboxId, inboxId), eq(calls.outcome, 'answered'), isNotNull(calls.waitSeconds), gte(calls.startedAt, since)))
    .orderBy(desc(calls.startedAt))
    .limit(1000);
  if (rows.length < MIN_WAIT_SAMPLES) return null;
  const p = percentile(rows.map((r) => r.wait!), PROMISE_PERCENTILE);
  return p === null ? null : p / 60;
}

/**
 * The next agent to ring for a call: the line's agents who are still members of the workspace, least recently
 * rung first, never one already tried for this call. Writes the ring row (round robin and screen pop read it).
 */
export async function ringNextAgent(tx: Db, deps: Pick<Deps, 'runtime'>, call: CallRow, lines: { userId: string; number: string }[]): Promise<AgentLine | null> {
  if (!lines.length) return null;
  const ids = lines.map((l) => l.userId);
  const members = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, call.workspaceId), inArray(memberships.userId, ids)));
  const memberIds = new Set(members.map((m) => m.userId));
  const last = await tx
    .select({ userId: callRings.userId, at: max(callRings.rungAt) })
    .from(callRings)
    .where(and(eq(callRings.workspaceId, call.workspaceId), eq(callRings.inboxId, call.inboxId), inArray(callRings.userId, ids)))
    .groupBy(callRings.userId);
  const tried = await tx
    .select({ userId: callRings.userId })
    .from(callRings)
    .where(and(eq(callRings.workspaceId, call.workspaceId), eq(callRings.callId, call.id)));
  const candidates = lines
    .filter((l) => memberIds.has(l.userId))
    .map((l) => ({ kind: 'phone' as const, userId: l.userId, number: l.number, lastRungAt: last.find((r) => r.userId === l.userId)?.at ?? null }));
  const next = nextAgent(candidates, new Set(tried.map((t) => t.userId)));
  if (!next) return null;
  await tx
    .insert(callRings)
    .values({ workspaceId: call.workspaceId, callId: call.id, userId: next.userId, inboxId: call.inboxId, rungAt: deps.runtime.now() })
    .onConflictDoNothing();
  return { kind: 'phone', userId: next.userId, number: next.number };
}

/** Applies a change to the call, mirrors it onto the timeline message and tells the agents. */
export async function updateCall(tx: Db, deps: Pick<Deps, 'runtime'>, out: OutboxWriter, call: CallRow, patch: Partial<CallRow>, extra: Record<string, unknown> = {}): Promise<CallRow> {
  const now = deps.runtime.now();
  const [updated] = await tx
    .update(calls)
    .set({ ...patch, updatedAt: now })
    .where(and(eq(calls.workspaceId, call.workspaceId), eq(calls.id, call.id)))
    .returning();
  await publishCall(tx, out, updated!, extra);
  return updated!;
}

export async function publishCall(tx: Db, out: OutboxWriter, call: CallRow, extra: Record<string, unknown> = {}) {
  const dto = callDto(call);
  const [msg] = await tx
    .update(messages)
    .set({ contentAttributes: sql`${messages.contentAttributes} || ${JSON.stringify({ call: dto })}::jsonb` })
    .where(and(eq(messages.workspaceId, call.workspaceId), eq(messages.id, call.messageId)))
    .returning();
  const [conv] = await tx.select().from(conversations).where(and(eq(conversations.workspaceId, call.workspaceId), eq(conversations.id, call.conversationId)));
  if (!conv) return;
  if (msg) out.event('message.updated', scopeOf(conv), { message: await messageView(tx, msg) });
  out.event('conversation.updated', scopeOf(conv), { conversationId: conv.id, changes: ['call'], call: dto, ...extra });
}

/**
 * Job: downloads a finished voicemail/recording from the provider and stores it as an attachment of the call's
 * message. Repeating it is harmless: a call that has its attachment is left alone.
 */
export async function fetchCallRecording(deps: Deps, input: { workspaceId: string; callId: string }) {
  const [row] = await deps.store.db
    .select({ call: calls, inbox: inboxes })
    .from(calls)
    .innerJoin(inboxes, and(eq(inboxes.workspaceId, calls.workspaceId), eq(inboxes.id, calls.inboxId)))
    .where(and(eq(calls.workspaceId, input.workspaceId), eq(calls.id, input.callId)));
  if (!row || row.call.recordingAttachmentId || !row.call.recordingUrl) return;
  const settings = voiceSettingsSchema.parse(row.inbox.settings);
  const secrets = readSecrets(deps, row.inbox) as { authToken: string };
  const ctx = channelContext(deps, row.inbox);
  const audio = await twilioVoice.fetchRecording(ctx.http, { ...settings, authToken: secrets.authToken }, row.call.recordingUrl);
  const [file] = await storeAttachments(deps.files, [{ fileName: `${row.call.recordingExternalId ?? 'recording'}.mp3`, contentType: audio.contentType, data: audio.data }]);
  await withOutbox(deps, input.workspaceId, async (tx, out) => {
    const [fresh] = await tx.select().from(calls).where(and(eq(calls.workspaceId, input.workspaceId), eq(calls.id, input.callId))).for('update');
    if (!fresh || fresh.recordingAttachmentId) return;
    const id = deps.runtime.id();
    await tx.insert(attachments).values({ workspaceId: input.workspaceId, id, messageId: fresh.messageId, fileName: file!.fileName, contentType: file!.contentType, size: file!.size, sha256: file!.sha256, createdAt: deps.runtime.now() });
    await updateCall(tx, deps, out, fresh, { recordingAttachmentId: id });
  });
}
