import { foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts, updatedAt, workspaceId } from './columns';
import { conversations } from './conversations';

/**
 * Phone calls. A call is also a message (kind 'message', channel voice) on its conversation, so it sits on the
 * contact's timeline with everything else; this row holds the call's own facts and live state.
 */
export const callDirections = ['inbound', 'outbound', 'callback'] as const;
export const callOutcomes = ['answered', 'missed', 'voicemail', 'callback_requested', 'abandoned', 'failed'] as const;

export const calls = pgTable(
  'calls',
  {
    workspaceId: workspaceId(),
    id: uuid('id').notNull(),
    inboxId: uuid('inbox_id').notNull(),
    /** The provider's id of the customer's call leg (Twilio CallSid); unique per inbox. */
    externalId: text('external_id').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    /** The timeline message that shows this call. */
    messageId: uuid('message_id').notNull(),
    direction: text('direction', { enum: callDirections }).notNull(),
    fromNumber: text('from_number').notNull(),
    toNumber: text('to_number').notNull(),
    language: text('language', { enum: ['nl', 'en'] }).notNull(),
    /** ringing → queued → in_progress → completed (or the provider's final no-answer/busy/failed/canceled). */
    status: text('status').notNull(),
    outcome: text('outcome', { enum: callOutcomes }),
    agentUserId: uuid('agent_user_id'),
    startedAt: ts('started_at').notNull(),
    queuedAt: ts('queued_at'),
    answeredAt: ts('answered_at'),
    endedAt: ts('ended_at'),
    waitSeconds: integer('wait_seconds'),
    talkSeconds: integer('talk_seconds'),
    recordingExternalId: text('recording_external_id'),
    recordingUrl: text('recording_url'),
    recordingSeconds: integer('recording_seconds'),
    /** The stored recording (an attachment of the call's message), once downloaded. */
    recordingAttachmentId: uuid('recording_attachment_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('calls_external_id_key').on(t.workspaceId, t.inboxId, t.externalId),
    index('calls_conversation_idx').on(t.workspaceId, t.conversationId, t.startedAt),
    index('calls_inbox_started_idx').on(t.workspaceId, t.inboxId, t.startedAt),
    foreignKey({ columns: [t.workspaceId, t.conversationId], foreignColumns: [conversations.workspaceId, conversations.id] }).onDelete('cascade'),
  ],
);

/**
 * Every voice webhook as it arrived, with the answer Balie gave. The unique event key (CallSid + step +
 * status/digits/recording) makes a retried webhook return the same TwiML and change nothing.
 */
export const callWebhookEvents = pgTable(
  'call_webhook_events',
  {
    workspaceId: workspaceId(),
    id: uuid('id').notNull(),
    inboxId: uuid('inbox_id').notNull(),
    eventKey: text('event_key').notNull(),
    callExternalId: text('call_external_id').notNull(),
    step: text('step').notNull(),
    params: jsonb('params').$type<Record<string, string>>().notNull(),
    response: text('response').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex('call_webhook_events_key').on(t.workspaceId, t.inboxId, t.eventKey)],
);

/** Which agent's phone rang for which call: round robin (least recently rung first) and the screen pop. */
export const callRings = pgTable(
  'call_rings',
  {
    workspaceId: workspaceId(),
    callId: uuid('call_id').notNull(),
    userId: uuid('user_id').notNull(),
    inboxId: uuid('inbox_id').notNull(),
    /** ringing, answered, missed. */
    status: text('status').notNull().default('ringing'),
    rungAt: ts('rung_at').notNull(),
    endedAt: ts('ended_at'),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.callId, t.userId] }), index('call_rings_user_idx').on(t.workspaceId, t.inboxId, t.userId, t.rungAt)],
);

/**
 * A "call this customer" nudge an agent was shown, once per round (a round ends when the nudge is followed, so
 * `round` is the time of the last follow-up or '' for the first). With the follow-ups on the messages, this is
 * what the nudge report compares: nudges followed against nudges not followed.
 */
export const callNudges = pgTable(
  'call_nudges',
  {
    workspaceId: workspaceId(),
    conversationId: uuid('conversation_id').notNull(),
    round: text('round').notNull(),
    reasons: jsonb('reasons').$type<string[]>().notNull().default([]),
    shownAt: ts('shown_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.conversationId, t.round] }),
    index('call_nudges_shown_idx').on(t.workspaceId, t.shownAt),
    foreignKey({ columns: [t.workspaceId, t.conversationId], foreignColumns: [conversations.workspaceId, conversations.id] }).onDelete('cascade'),
  ],
);
