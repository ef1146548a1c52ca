import { sql } from 'drizzle-orm';
import { bigint, foreignKey, index, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, tsvector, updatedAt, workspaceId } from './columns';
import { conversations } from './conversations';

export const messageKinds = ['message', 'note', 'activity'] as const;
export type MessageKind = (typeof messageKinds)[number];
export const senderTypes = ['contact', 'user', 'bot', 'system'] as const;
export type SenderType = (typeof senderTypes)[number];
export const deliveryStatuses = ['received', 'queued', 'sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export const messages = pgTable(
  'messages',
  {
    workspaceId: workspaceId(),
    id: uuid('id').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    inboxId: uuid('inbox_id').notNull(),
    /** A customer-visible message, an internal note, or a system activity (assigned, status changed, merged). */
    kind: text('kind', { enum: messageKinds }).notNull(),
    direction: text('direction', { enum: ['inbound', 'outbound'] }),
    senderType: text('sender_type', { enum: senderTypes }).notNull(),
    senderId: uuid('sender_id'),
    content: text('content').notNull().default(''),
    contentType: text('content_type', { enum: ['text', 'html', 'markdown'] }).notNull().default('text'),
    /** Channel details (e-mail headers and HTML body, activity payload, template variables, …). */
    contentAttributes: jsonb('content_attributes').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status', { enum: deliveryStatuses }).notNull(),
    statusReason: text('status_reason'),
    /** The provider's id for this message; unique per inbox, which makes inbound redeliveries no-ops. */
    externalId: text('external_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    fts: tsvector('fts').generatedAlwaysAs(
      sql`to_tsvector('public.balie_nl'::regconfig, left(content, 100000)) || to_tsvector('public.balie_en'::regconfig, left(content, 100000))`,
    ),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('messages_external_id_key').on(t.workspaceId, t.inboxId, t.externalId),
    index('messages_conversation_idx').on(t.workspaceId, t.conversationId, t.createdAt, t.id),
    index('messages_fts_idx').using('gin', t.fts),
    // Search looks at recent messages first (see app/search.ts): a time window must be an index range.
    index('messages_recent_idx').on(t.workspaceId, t.createdAt),
    foreignKey({ columns: [t.workspaceId, t.conversationId], foreignColumns: [conversations.workspaceId, conversations.id] }).onDelete(
      'cascade',
    ),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    workspaceId: workspaceId(),
    id: uuid('id').notNull(),
    messageId: uuid('message_id').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    /** Files live once under DATA_DIR/files by this hash. */
    sha256: text('sha256').notNull(),
    /** Inline e-mail parts (cid:) are not listed as downloads. */
    contentId: text('content_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('attachments_message_idx').on(t.workspaceId, t.messageId),
    index('attachments_sha_idx').on(t.sha256),
    foreignKey({ columns: [t.workspaceId, t.messageId], foreignColumns: [messages.workspaceId, messages.id] }).onDelete('cascade'),
  ],
);

