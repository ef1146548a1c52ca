import { foreignKey, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts, updatedAt, workspaceId } from './columns';
import { workspaces } from './tenancy';
import { conversations } from './conversations';
import { contacts } from './contacts';

export const kbLocales = ['nl', 'en'] as const;
export type KbLocale = (typeof kbLocales)[number];
export const kbStatuses = ['draft', 'published'] as const;

/** Help-center categories; one row per language so each version has its own name and slug. */
export const kbCategories = pgTable(
  'kb_categories',
  {
    workspaceId: workspaceId().references(() => workspaces.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    locale: text('locale', { enum: kbLocales }).notNull(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex('kb_categories_slug_key').on(t.workspaceId, t.locale, t.slug)],
);

/**
 * Knowledge-base articles in Markdown. The Dutch and English versions of one article share `translationKey`,
 * so the help center can link "Read in English" and the bot can answer in the visitor's language.
 */
export const kbArticles = pgTable(
  'kb_articles',
  {
    workspaceId: workspaceId().references(() => workspaces.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    translationKey: uuid('translation_key').notNull(),
    locale: text('locale', { enum: kbLocales }).notNull(),
    categoryId: uuid('category_id'),
    title: text('title').notNull(),
    slug: text('slug').notNull(),
    body: text('body').notNull().default(''),
    status: text('status', { enum: kbStatuses }).notNull().default('draft'),
    helpfulYes: integer('helpful_yes').notNull().default(0),
    helpfulNo: integer('helpful_no').notNull().default(0),
    publishedAt: ts('published_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('kb_articles_slug_key').on(t.workspaceId, t.locale, t.slug),
    uniqueIndex('kb_articles_translation_key').on(t.workspaceId, t.translationKey, t.locale),
    index('kb_articles_status_idx').on(t.workspaceId, t.status, t.locale),
    foreignKey({ columns: [t.workspaceId, t.categoryId], foreignColumns: [kbCategories.workspaceId, kbCategories.id] }).onDelete('set null'),
  ],
);

/** The customer's satisfaction answer after a resolved conversation (one per conversation; a new answer replaces it). */
export const conversationCsat = pgTable(
  'conversation_csat',
  {
    workspaceId: workspaceId(),
    conversationId: uuid('conversation_id').notNull(),
    rating: integer('rating').notNull(),
    comment: text('comment').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.conversationId] }),
    foreignKey({ columns: [t.workspaceId, t.conversationId], foreignColumns: [conversations.workspaceId, conversations.id] }).onDelete('cascade'),
  ],
);

/**
 * When a widget visitor last had the widget open (a WebSocket connected), per inbox and contact. Every
 * process's widget hub refreshes it while a socket is open and once more when it closes, so "has this visitor
 * seen the reply?" is answered from the database, whichever process holds the socket (app/widget-presence.ts).
 */
export const widgetPresence = pgTable(
  'widget_presence',
  {
    workspaceId: workspaceId(),
    inboxId: uuid('inbox_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    lastSeenAt: ts('last_seen_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.inboxId, t.contactId] }),
    foreignKey({ columns: [t.workspaceId, t.contactId], foreignColumns: [contacts.workspaceId, contacts.id] }).onDelete('cascade'),
  ],
);

/**
 * Each open widget socket of a visitor (one per tab), in whichever process holds it: the visitor is away only
 * when none is left. A row is refreshed with the presence and deleted on close; one a crashed process left
 * behind goes stale (seenAt older than PRESENCE_ONLINE_MS) and no longer counts.
 */
export const widgetConnections = pgTable(
  'widget_connections',
  {
    workspaceId: workspaceId(),
    connectionId: uuid('connection_id').notNull(),
    inboxId: uuid('inbox_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    seenAt: ts('seen_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.connectionId] }),
    index('widget_connections_visitor_idx').on(t.workspaceId, t.inboxId, t.contactId),
    foreignKey({ columns: [t.workspaceId, t.contactId], foreignColumns: [contacts.workspaceId, contacts.id] }).onDelete('cascade'),
  ],
);
