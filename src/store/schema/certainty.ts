import { sql } from 'drizzle-orm';
import { bigint, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts, updatedAt, workspaceId } from './columns';
import { conversations } from './conversations';
import { workspaces } from './tenancy';

/**
 * Certainty and contact prevention: handling-time promises, case-status links, phone agreements, callback
 * requests and incidents. One file so the feature's tables are read together.
 */

/** Per-workspace settings of this feature (coach lists, speed targets, case-type notes, calendars, templates). */
export const certaintySettings = pgTable('certainty_settings', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  /** Sealed (SecretBox) HMAC key that signs case-status tokens. */
  linkKey: text('link_key').notNull(),
  updatedAt: updatedAt(),
});

/** The 80th-percentile figures the promise job computed, per inbox and case type ('' = the whole inbox). */
export const promiseStats = pgTable(
  'promise_stats',
  {
    workspaceId: workspaceId(),
    inboxId: uuid('inbox_id').notNull(),
    label: text('label').notNull().default(''),
    firstResponseMs: bigint('first_response_ms', { mode: 'number' }).notNull(),
    resolutionMs: bigint('resolution_ms', { mode: 'number' }).notNull(),
    sampleSize: integer('sample_size').notNull(),
    basis: text('basis', { enum: ['label', 'inbox', 'workspace', 'default'] }).notNull(),
    computedAt: ts('computed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.inboxId, t.label] })],
);

export const promiseStates = ['on_track', 'at_risk', 'will_miss', 'missed', 'kept'] as const;

/** One replaced promise: what was promised, how it stood when the new time was sent, and the message that did. */
export interface PromiseRevision {
  madeAt: string;
  dueAt: string;
  text: string;
  /** The state when it was replaced (will_miss or missed); a replaced promise counts as missed in reports. */
  state: string;
  revisedAt: string;
  newDueAt: string;
  messageId: string;
  revisedBy: string | null;
}

/** The promise told to the customer on one conversation, and whether it was kept. */
export const conversationPromises = pgTable(
  'conversation_promises',
  {
    workspaceId: workspaceId(),
    conversationId: uuid('conversation_id').notNull(),
    inboxId: uuid('inbox_id').notNull(),
    label: text('label'),
    madeAt: ts('made_at').notNull(),
    firstResponseDueAt: ts('first_response_due_at').notNull(),
    resolutionDueAt: ts('resolution_due_at').notNull(),
    basis: text('basis').notNull(),
    sampleSize: integer('sample_size').notNull(),
    text: text('text').notNull(),
    locale: text('locale', { enum: ['nl', 'en'] }).notNull(),
    state: text('state', { enum: promiseStates }).notNull().default('on_track'),
    /** When the state last changed (warnings are sent once per state). */
    stateChangedAt: ts('state_changed_at').notNull(),
    /** How many times a new time was promised after the first. */
    revisions: integer('revisions').notNull().default(0),
    /** When the agent last told the customer a new time; the revised promise is kept by the next real answer. */
    revisedAt: ts('revised_at'),
    /** Earlier promises of this conversation, oldest first (each replaced by a new realistic time). */
    history: jsonb('history').$type<PromiseRevision[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.conversationId] }),
    index('conversation_promises_open_idx').on(t.firstResponseDueAt).where(sql`state in ('on_track', 'at_risk', 'will_miss')`),
    foreignKey({ columns: [t.workspaceId, t.conversationId], foreignColumns: [conversations.workspaceId, conversations.id] }).onDelete('cascade'),
  ],
);

/** Case-status links: only a hash of the token is stored; revoking sets revoked_at. */
export const caseLinks = pgTable(
  'case_links',
  {
    workspaceId: workspaceId(),
    id: uuid('id').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    revokedAt: ts('revoked_at'),
    lastOpenedAt: ts('last_opened_at'),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('case_links_token_key').on(t.tokenHash),
    index('case_links_conversation_idx').on(t.workspaceId, t.conversationId),
    foreignKey({ columns: [t.workspaceId, t.conversationId], foreignColumns: [conversations.workspaceId, conversations.id] }).onDelete('cascade'),
  ],
);

/**
 * An agreement made with the customer outside writing (a phone call): summary, next step and when. The customer
 * confirms or corrects it on the case-status page. The phone channel fills these; any channel may.
 */
export const agreements = pgTable(
  'agreements',
  {
    workspaceId: workspaceId(),
    id: uuid('id').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    source: text('source').notNull().default('phone'),
    summary: text('summary').notNull(),
    nextStep: text('next_step').notNull().default(''),
    dueAt: ts('due_at'),
    status: text('status', { enum: ['proposed', 'confirmed', 'corrected'] }).notNull().default('proposed'),
    correction: text('correction'),
    respondedAt: ts('responded_at'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('agreements_conversation_idx').on(t.workspaceId, t.conversationId, t.createdAt),
    foreignKey({ columns: [t.workspaceId, t.conversationId], foreignColumns: [conversations.workspaceId, conversations.id] }).onDelete('cascade'),
  ],
);

/** A customer asked to be called back (from the case-status page or any channel); the phone work picks these up. */
export const callbackRequests = pgTable(
  'callback_requests',
  {
    workspaceId: workspaceId(),
    id: uuid('id').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    phone: text('phone').notNull(),
    preferredTime: text('preferred_time').notNull().default(''),
    note: text('note').notNull().default(''),
    /** requested → (attempt not reached) scheduled → … → done, or unreachable after the last attempt; cancelled by an agent. */
    status: text('status', { enum: ['requested', 'scheduled', 'done', 'cancelled', 'unreachable'] }).notNull().default('requested'),
    source: text('source').notNull().default('status_page'),
    /** When the next attempt is due (null: as soon as possible, i.e. its creation time). */
    dueAt: ts('due_at'),
    /** Until when calling is on time: the end of the slot the customer picked, or one slot after an "as soon as possible" due time. */
    windowEndsAt: ts('window_ends_at'),
    assigneeId: uuid('assignee_id'),
    attempts: integer('attempts').notNull().default(0),
    lastAttemptAt: ts('last_attempt_at'),
    lastOutcome: text('last_outcome'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('callback_requests_open_idx').on(t.workspaceId, t.status, t.createdAt),
    index('callback_requests_due_idx').on(t.workspaceId, t.dueAt),
    foreignKey({ columns: [t.workspaceId, t.conversationId], foreignColumns: [conversations.workspaceId, conversations.id] }).onDelete('cascade'),
  ],
);

export const incidentScenarios = ['power_outage', 'service_disruption', 'bad_weather', 'cable_break', 'delivery_delay'] as const;

export const incidents = pgTable(
  'incidents',
  {
    workspaceId: workspaceId().references(() => workspaces.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    scenario: text('scenario').notNull(),
    status: text('status', { enum: ['active', 'resolved'] }).notNull().default('active'),
    /** Rendered texts per locale and surface (banner, sms, email, whatsapp, ivr, resolution, update). */
    texts: jsonb('texts').$type<Record<string, Record<string, string>>>().notNull(),
    variables: jsonb('variables').$type<Record<string, string | { nl: string; en?: string | undefined }>>().notNull().default({}),
    /** Which contacts are affected: postcode range, products, attribute equality. */
    segment: jsonb('segment').$type<Record<string, unknown>>().notNull().default({}),
    keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
    /** Label put on linked conversations. */
    label: text('label').notNull(),
    declaredBy: uuid('declared_by'),
    declaredAt: ts('declared_at').notNull(),
    resolvedAt: ts('resolved_at'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('incidents_active_idx').on(t.workspaceId).where(sql`status = 'active'`)],
);

/** Conversations that came in about an incident. */
export const incidentConversations = pgTable(
  'incident_conversations',
  {
    workspaceId: workspaceId(),
    incidentId: uuid('incident_id').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    reason: text('reason', { enum: ['segment', 'keyword', 'manual'] }).notNull(),
    linkedAt: ts('linked_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.incidentId, t.conversationId] }),
    index('incident_conversations_conversation_idx').on(t.workspaceId, t.conversationId),
    foreignKey({ columns: [t.workspaceId, t.conversationId], foreignColumns: [conversations.workspaceId, conversations.id] }).onDelete('cascade'),
  ],
);

/** One proactive notice to one contact per broadcast; the unique key makes a repeated broadcast job a no-op. */
export const incidentNotices = pgTable(
  'incident_notices',
  {
    workspaceId: workspaceId(),
    incidentId: uuid('incident_id').notNull(),
    broadcastId: uuid('broadcast_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    conversationId: uuid('conversation_id'),
    messageId: uuid('message_id'),
    /** queued (message written), skipped (opt-out / no channel). Delivery state lives on the message. */
    status: text('status', { enum: ['queued', 'skipped'] }).notNull(),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.broadcastId, t.contactId] }),
    index('incident_notices_incident_idx').on(t.workspaceId, t.incidentId),
  ],
);

/** Each broadcast (first notice, update, resolution) of an incident. */
export const incidentBroadcasts = pgTable(
  'incident_broadcasts',
  {
    workspaceId: workspaceId(),
    id: uuid('id').notNull(),
    incidentId: uuid('incident_id').notNull(),
    kind: text('kind', { enum: ['notice', 'update', 'resolution'] }).notNull(),
    texts: jsonb('texts').$type<Record<string, Record<string, string>>>().notNull(),
    status: text('status', { enum: ['running', 'done'] }).notNull().default('running'),
    targeted: integer('targeted').notNull().default(0),
    queued: integer('queued').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    finishedAt: ts('finished_at'),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('incident_broadcasts_incident_idx').on(t.workspaceId, t.incidentId, t.createdAt)],
);
