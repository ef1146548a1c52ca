import { sql } from 'drizzle-orm';
import { boolean, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid, foreignKey, index } from 'drizzle-orm/pg-core';
import { createdAt, ts, updatedAt, workspaceId } from './columns';

export const workspaces = pgTable('workspaces', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  locale: text('locale').notNull().default('nl'),
  timeZone: text('time_zone').notNull().default('Europe/Amsterdam'),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Users are global: one person can work in several workspaces with a role in each. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash'),
    locale: text('locale'),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    disabledAt: ts('disabled_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

export const memberships = pgTable(
  'memberships',
  {
    workspaceId: workspaceId().references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['owner', 'admin', 'agent'] }).notNull(),
    /** What the agent chose; `online` agents with a live connection take auto-assigned work. */
    availability: text('availability', { enum: ['online', 'busy', 'offline'] }).notNull().default('online'),
    /** Maximum open conversations auto-assigned to this agent; null means no limit. */
    capacity: integer('capacity'),
    lastSeenAt: ts('last_seen_at'),
    lastAssignedAt: ts('last_assigned_at'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

export const teams = pgTable(
  'teams',
  {
    workspaceId: workspaceId().references(() => workspaces.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    autoAssign: boolean('auto_assign').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex('teams_name_key').on(t.workspaceId, sql`lower(${t.name})`)],
);

export const teamMembers = pgTable(
  'team_members',
  {
    workspaceId: workspaceId(),
    teamId: uuid('team_id').notNull(),
    userId: uuid('user_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.teamId, t.userId] }),
    foreignKey({ columns: [t.workspaceId, t.teamId], foreignColumns: [teams.workspaceId, teams.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.workspaceId, t.userId], foreignColumns: [memberships.workspaceId, memberships.userId] }).onDelete('cascade'),
  ],
);

export const labels = pgTable(
  'labels',
  {
    workspaceId: workspaceId().references(() => workspaces.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    color: text('color').notNull().default('#64748b'),
    description: text('description').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex('labels_name_key').on(t.workspaceId, sql`lower(${t.name})`)],
);
