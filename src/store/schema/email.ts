import { sql } from 'drizzle-orm';
import { bigint, customType, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts, updatedAt, workspaceId } from './columns';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/**
 * Every e-mail exactly as it arrived (SMTP or IMAP), stored before anything else happens: the SMTP listener
 * answers 250 only once this row is committed. The raw bytes live in the database (not the file store), so the
 * commit is the one durability point. (inbox, message key) is unique: the same Message-ID twice is ignored.
 */
export const emailRawMessages = pgTable(
  'email_raw_messages',
  {
    workspaceId: workspaceId(),
    id: uuid('id').notNull(),
    inboxId: uuid('inbox_id').notNull(),
    /** The Message-ID header, or `sha256:<hash of the bytes>` for mail without one. */
    messageKey: text('message_key').notNull(),
    source: text('source', { enum: ['smtp', 'imap'] }).notNull(),
    /** SMTP envelope and connection facts (MAIL FROM, RCPT TO, client address, HELO) — no bodies. */
    envelope: jsonb('envelope').$type<Record<string, unknown>>().notNull().default({}),
    /** The bytes of small mails; large ones are in the file store (fsynced before this row commits) by raw_sha256. */
    raw: bytea('raw'),
    rawSha256: text('raw_sha256'),
    size: bigint('size', { mode: 'number' }).notNull(),
    status: text('status', { enum: ['pending', 'processed', 'quarantined', 'ignored'] }).notNull().default('pending'),
    /** Why it was quarantined or ignored (a stable code and a sentence). */
    reason: text('reason'),
    attempts: integer('attempts').notNull().default(0),
    messageId: uuid('message_id'),
    receivedAt: createdAt(),
    processedAt: ts('processed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('email_raw_messages_key').on(t.workspaceId, t.inboxId, t.messageKey),
    index('email_raw_messages_pending_idx').on(t.receivedAt).where(sql`status = 'pending'`),
    index('email_raw_messages_quarantine_idx').on(t.workspaceId, t.inboxId, t.receivedAt).where(sql`status = 'quarantined'`),
  ],
);

/**
 * Thread keys that are not Message-IDs (those are messages.external_id): Outlook's Thread-Index root, so a
 * reply that carries only Thread-Index still finds its conversation.
 */
export const emailThreadKeys = pgTable(
  'email_thread_keys',
  {
    workspaceId: workspaceId(),
    inboxId: uuid('inbox_id').notNull(),
    key: text('key').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.inboxId, t.key] })],
);

/** Where IMAP polling resumes: by UID within a UIDVALIDITY epoch, never by date. */
export const emailImapState = pgTable(
  'email_imap_state',
  {
    workspaceId: workspaceId(),
    inboxId: uuid('inbox_id').notNull(),
    mailbox: text('mailbox').notNull(),
    uidValidity: text('uid_validity').notNull(),
    lastUid: bigint('last_uid', { mode: 'number' }).notNull().default(0),
    lastError: text('last_error'),
    lastPolledAt: ts('last_polled_at'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.inboxId, t.mailbox] })],
);
