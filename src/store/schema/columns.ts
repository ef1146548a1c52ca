import { customType, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Shared column builders so every table spells tenancy and time the same way. */
export const workspaceId = () => uuid('workspace_id').notNull();
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
export const ts = (name: string) => timestamp(name, { withTimezone: true });

export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
