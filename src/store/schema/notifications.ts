import { sql } from 'drizzle-orm';
import { foreignKey, index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts, workspaceId } from './columns';
import { memberships } from './tenancy';
import { conversations } from './conversations';

/**
 * What an agent was told personally (a conversation assigned to them, a mention in a note). Kept so the
 * notification list survives a reload and shows what happened while they were away; the realtime event is
 * only the nudge.
 */
export const notifications = pgTable(
  'notifications',
  {
    workspaceId: workspaceId(),
    id: uuid('id').notNull(),
    userId: uuid('user_id').notNull(),
    /** `assigned`, `mention`; later features add their own kinds. */
    kind: text('kind').notNull(),
    conversationId: uuid('conversation_id'),
    messageId: uuid('message_id'),
    /** Who caused it (null: the system, e.g. auto-assignment). */
    actorId: uuid('actor_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    readAt: ts('read_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('notifications_user_idx').on(t.workspaceId, t.userId, t.createdAt, t.id),
    index('notifications_unread_idx').on(t.workspaceId, t.userId).where(sql`read_at is null`),
    foreignKey({ columns: [t.workspaceId, t.userId], foreignColumns: [memberships.workspaceId, memberships.userId] }).onDelete('cascade'),
    foreignKey({ columns: [t.workspaceId, t.conversationId], foreignColumns: [conversations.workspaceId, conversations.id] }).onDelete('cascade'),
  ],
);
