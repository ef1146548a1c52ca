import { sql } from 'drizzle-orm';
import { boolean, foreignKey, jsonb, pgTable, primaryKey, text, uuid, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, ts, updatedAt, workspaceId } from './columns';
import { memberships, teams, workspaces } from './tenancy';

export const channelKinds = ['api', 'email', 'widget', 'whatsapp', 'messenger', 'instagram', 'telegram', 'sms', 'voice'] as const;
export type ChannelKind = (typeof channelKinds)[number];

export const inboxes = pgTable(
  'inboxes',
  {
    workspaceId: workspaceId().references(() => workspaces.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: channelKinds }).notNull(),
    /** Non-secret channel settings, returned by the API. */
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    /** Secret settings (tokens, app secrets) as AES-256-GCM ciphertext; never returned by the API. */
    secrets: text('secrets'),
    teamId: uuid('team_id'),
    autoAssign: boolean('auto_assign').notNull().default(false),
    archivedAt: ts('archived_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({ columns: [t.workspaceId, t.teamId], foreignColumns: [teams.workspaceId, teams.id] }),
    uniqueIndex('inboxes_name_key').on(t.workspaceId, sql`lower(${t.name})`).where(sql`archived_at is null`),
  ],
);

/** Which agents may see an inbox. Owners and admins see every inbox. */
export const inboxMembers = pgTable(
  'inbox_members',
  {
    workspaceId: workspaceId(),
    inboxId: uuid('inbox_id').notNull(),
    userId: uuid('user_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.inboxId, t.userId] }),
    foreignKey({ columns: [t.workspaceId, t.inboxId], foreignColumns: [inboxes.workspaceId, inboxes.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.workspaceId, t.userId], foreignColumns: [memberships.workspaceId, memberships.userId] }).onDelete('cascade'),
  ],
);
