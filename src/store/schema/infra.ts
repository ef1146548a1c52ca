import { bigint, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, ts, workspaceId } from './columns';

/**
 * Raw provider events, stored before they are processed: a webhook is acknowledged only after this row is
 * committed, and a redelivery hits the unique key and changes nothing.
 */
export const inboundEvents = pgTable(
  'inbound_events',
  {
    workspaceId: workspaceId(),
    id: uuid('id').notNull(),
    inboxId: uuid('inbox_id').notNull(),
    providerEventId: text('provider_event_id').notNull(),
    source: text('source').notNull(),
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
    body: text('body').notNull(),
    status: text('status', { enum: ['pending', 'processed', 'failed', 'quarantined'] }).notNull().default('pending'),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    receivedAt: createdAt(),
    processedAt: ts('processed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('inbound_events_provider_key').on(t.workspaceId, t.inboxId, t.providerEventId),
    index('inbound_events_pending_idx').on(t.receivedAt).where(sql`status = 'pending'`),
    // The admins' list of events that did not become messages (app/inbound-events.ts).
    index('inbound_events_stuck_idx').on(t.workspaceId, t.receivedAt).where(sql`status in ('failed', 'quarantined')`),
  ],
);

/**
 * Transactional outbox: a use case writes its rows and what must follow from them (events for realtime and
 * webhooks, jobs) in one transaction; the dispatcher turns these rows into effects at least once.
 */
export const outbox = pgTable(
  'outbox',
  {
    workspaceId: workspaceId(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    kind: text('kind', { enum: ['event', 'job'] }).notNull(),
    name: text('name').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    dispatchedAt: ts('dispatched_at'),
    /** Lease of the dispatcher that claimed the row; an expired lease means its process died mid-way. */
    claimedUntil: ts('claimed_until'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('outbox_pending_idx').on(t.id).where(sql`dispatched_at is null`)],
);

/** Append-only: a trigger refuses UPDATE and DELETE. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: uuid('workspace_id'),
    actorType: text('actor_type', { enum: ['user', 'token', 'system', 'contact', 'anonymous'] }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    ip: text('ip'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_workspace_idx').on(t.workspaceId, t.createdAt.desc())],
);

/** Stored responses for POSTs sent with an Idempotency-Key header. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    workspaceId: workspaceId(),
    principal: text('principal').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.principal, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);

/** Fixed-window counters shared by all processes (login attempts, widget abuse, public pages). */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: ts('window_start').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);
