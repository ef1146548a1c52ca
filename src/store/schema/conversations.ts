import { sql } from 'drizzle-orm';
import { foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts, updatedAt, workspaceId } from './columns';
import { contacts } from './contacts';
import { inboxes } from './inboxes';
import { teams, users } from './tenancy';

export const conversationStatuses = ['open', 'pending', 'snoozed', 'resolved', 'closed'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];
export const priorities = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];

export const conversations = pgTable(
  'conversations',
  {
    workspaceId: workspaceId(),
    id: uuid('id').notNull(),
    /** Short case number shown to agents and customers ("#2314"), sequential per workspace. */
    number: integer('number').notNull(),
    inboxId: uuid('inbox_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    status: text('status', { enum: conversationStatuses }).notNull().default('open'),
    snoozedUntil: ts('snoozed_until'),
    priority: text('priority', { enum: priorities }).notNull().default('none'),
    /** Priority as a number so "sort by priority" is an index scan. */
    priorityRank: integer('priority_rank').notNull().default(0),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    teamId: uuid('team_id'),
    subject: text('subject'),
    labels: text('labels').array().notNull().default(sql`'{}'::text[]`),
    customAttributes: jsonb('custom_attributes').$type<Record<string, unknown>>().notNull().default({}),
    /** Channel-specific state (e-mail thread ids, the 24-hour window start, …). */
    channelState: jsonb('channel_state').$type<Record<string, unknown>>().notNull().default({}),
    /** The earlier conversation this one follows up (a reply to a long-resolved case). */
    previousConversationId: uuid('previous_conversation_id'),
    messageCount: integer('message_count').notNull().default(0),
    /** Start of the last customer-visible message, so the inbox list needs no join on messages. */
    preview: text('preview').notNull().default(''),
    lastMessageAt: ts('last_message_at'),
    lastInboundAt: ts('last_inbound_at'),
    lastOutboundAt: ts('last_outbound_at'),
    /** Last change that should bump the conversation in the inbox list. */
    lastActivityAt: ts('last_activity_at').notNull().defaultNow(),
    /** When the customer started waiting for us; null while the ball is in the customer's court. */
    waitingSince: ts('waiting_since'),
    firstResponseAt: ts('first_response_at'),
    resolvedAt: ts('resolved_at'),
    reopenedCount: integer('reopened_count').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('conversations_number_key').on(t.workspaceId, t.number),
    foreignKey({ columns: [t.workspaceId, t.inboxId], foreignColumns: [inboxes.workspaceId, inboxes.id] }),
    foreignKey({ columns: [t.workspaceId, t.contactId], foreignColumns: [contacts.workspaceId, contacts.id] }),
    foreignKey({ columns: [t.workspaceId, t.teamId], foreignColumns: [teams.workspaceId, teams.id] }).onDelete('set null'),
    index('conversations_inbox_list_idx').on(t.workspaceId, t.inboxId, t.status, t.lastActivityAt, t.id),
    index('conversations_activity_idx').on(t.workspaceId, t.lastActivityAt, t.id),
    index('conversations_status_list_idx').on(t.workspaceId, t.status, t.lastActivityAt, t.id),
    index('conversations_assignee_list_idx').on(t.workspaceId, t.assigneeId, t.status, t.lastActivityAt, t.id),
    index('conversations_team_list_idx').on(t.workspaceId, t.teamId, t.status, t.lastActivityAt, t.id),
    index('conversations_contact_idx').on(t.workspaceId, t.contactId, t.lastActivityAt),
    index('conversations_labels_idx').using('gin', t.labels),
    // Ctrl+K matches subjects anywhere in the text (app/search.ts).
    index('conversations_subject_trgm_idx').using('gin', sql`lower(coalesce(${t.subject}, '')) gin_trgm_ops`),
    index('conversations_snoozed_idx').on(t.snoozedUntil).where(sql`status = 'snoozed'`),
  ],
);

/** Per-agent read marker: drives unread dots and counts. */
export const conversationReads = pgTable(
  'conversation_reads',
  {
    workspaceId: workspaceId(),
    conversationId: uuid('conversation_id').notNull(),
    userId: uuid('user_id').notNull(),
    lastReadAt: ts('last_read_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.conversationId, t.userId] }),
    foreignKey({ columns: [t.workspaceId, t.conversationId], foreignColumns: [conversations.workspaceId, conversations.id] }).onDelete(
      'cascade',
    ),
  ],
);
