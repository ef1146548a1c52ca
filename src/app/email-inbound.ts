import crypto from 'node:crypto';
import path from 'node:path';
import fs from 'node:fs';
import { and, asc, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { contactIdentities, conversations, emailRawMessages, emailThreadKeys, inboxes, memberships, messages, users } from '../store/schema';
import { parseEmail, messageKeyOf, type ParsedEmail } from '../channels/email/parse';
import { baseAddress, baseSubject, threadEvidence } from '../channels/email/threading';
import { isAutomaticMail, noiseKind } from '../channels/email/noise';
import { splitQuoted } from '../channels/email/quotes';
import { sanitizeEmailHtml } from '../channels/email/sanitize';
import { emailState, type EmailThreadState } from '../channels/email/state';
import { emailSettingsSchema, type EmailSettings } from '../channels/email/settings';
import { AppError, notFound } from '../shared/errors';
import type { Deps } from './context';
import { ingestInbound } from './ingest-inbound';
import { applyDeliveryStatus } from './delivery-status';
import { createRateLimiter } from './rate-limit';
import { evaluateAuthenticity } from './email-auth';
import { findContinuedThread } from './email-continuation';
import type { IncomingFile } from './attachments';
import type { FileStore } from '../store/files';

export interface EmailInbox {
  workspaceId: string;
  id: string;
  settings: EmailSettings;
}

/** The e-mail inbox an address belongs to (`support+anything@x` belongs to `support@x`), or null. */
export async function emailInboxFor(deps: Pick<Deps, 'store'>, recipient: string): Promise<EmailInbox | null> {
  const address = baseAddress(recipient);
  const [row] = await deps.store.db
    .select({ workspaceId: inboxes.workspaceId, id: inboxes.id, settings: inboxes.settings })
    .from(inboxes)
    .where(and(eq(inboxes.kind, 'email'), isNull(inboxes.archivedAt), sql`lower(${inboxes.settings}->>'address') = ${address}`))
    .limit(1);
  if (!row) return null;
  const settings = emailSettingsSchema.safeParse(row.settings);
  return settings.success ? { workspaceId: row.workspaceId, id: row.id, settings: settings.data } : null;
}

export interface RawEnvelope {
  mailFrom?: string;
  rcptTo?: string[];
  clientIp?: string;
  helo?: string;
  imapUid?: number;
}

/**
 * Step one for every inbound mail: the exact bytes are committed before anything else (the SMTP 250 and the
 * IMAP \Seen wait for this). The same Message-ID in the same inbox is a duplicate and stored only once.
 */
export async function storeRawEmail(
  deps: Pick<Deps, 'store' | 'runtime' | 'files'>,
  inbox: Pick<EmailInbox, 'workspaceId' | 'id'>,
  raw: Buffer,
  source: 'smtp' | 'imap',
  envelope: RawEnvelope,
): Promise<{ id: string; duplicate: boolean; row?: RawRow }> {
  const messageKey = messageKeyOf(raw);
  const id = deps.runtime.id();
  // Big mails go to the file store, flushed to disk before the row that names them commits.
  const inFile = raw.length > INLINE_RAW_BYTES ? await putDurably(deps.files, raw) : null;
  const [row] = await deps.store.db
    .insert(emailRawMessages)
    .values({
      workspaceId: inbox.workspaceId,
      id,
      inboxId: inbox.id,
      messageKey,
      source,
      envelope: envelope as Record<string, unknown>,
      raw: inFile ? null : raw,
      rawSha256: inFile,
      size: raw.length,
      receivedAt: deps.runtime.now(),
    })
    .onConflictDoNothing()
    .returning();
  // The stored row goes back to the caller, so processing it needs no second read.
  return row ? { id: row.id, duplicate: false, row } : { id: '', duplicate: true };
}

type RawRow = typeof emailRawMessages.$inferSelect;

const INLINE_RAW_BYTES = 256 * 1024;

/** Same content-addressed layout as the file store, but fsynced and without the attachment cap (a raw mail is bigger). */
async function putDurably(files: FileStore, raw: Buffer): Promise<string> {
  const sha256 = crypto.createHash('sha256').update(raw).digest('hex');
  const target = files.path(sha256);
  if (fs.existsSync(target)) return sha256;
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const handle = await fs.promises.open(tmp, 'w');
  try {
    await handle.writeFile(raw);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(tmp, target);
  return sha256;
}

async function rawBytes(files: FileStore, row: { raw: Buffer | null; rawSha256: string | null }): Promise<Buffer> {
  if (row.raw) return row.raw;
  return fs.promises.readFile(files.path(row.rawSha256!));
}

type Outcome = { status: 'processed'; messageId: string | null; reason?: string } | { status: 'quarantined' | 'ignored'; reason: string };

/**
 * Step two: parse, recognise noise and bounces, find the thread, and ingest. A mail that cannot be understood
 * is quarantined with its reason (admins see it and can download the raw message); nothing is dropped.
 */
export async function processRawEmail(
  deps: Deps,
  input: { workspaceId: string; rawId: string; row?: RawRow; inbox?: EmailInbox },
): Promise<Outcome | null> {
  // The listener hands over the row it just inserted and the inbox it looked up: two reads fewer per mail.
  const [row] = input.row
    ? [input.row]
    : await deps.store.db
        .select()
        .from(emailRawMessages)
        .where(and(eq(emailRawMessages.workspaceId, input.workspaceId), eq(emailRawMessages.id, input.rawId)));
  if (!row || row.status !== 'pending') return null;
  const finish = async (o: Outcome) => {
    await deps.store.db
      .update(emailRawMessages)
      .set({ status: o.status, reason: o.reason?.slice(0, 500) ?? null, messageId: o.status === 'processed' ? o.messageId : null, processedAt: deps.runtime.now(), attempts: row.attempts + 1 })
      .where(and(eq(emailRawMessages.workspaceId, row.workspaceId), eq(emailRawMessages.id, row.id)));
    return o;
  };
  const settings = input.inbox?.id === row.inboxId ? { success: true as const, data: input.inbox.settings } : await inboxSettings(deps, row.workspaceId, row.inboxId);
  if (!settings.success) return finish({ status: 'quarantined', reason: 'inbox_unavailable: the inbox is archived or misconfigured' });

  let mail: ParsedEmail;
  const raw = await rawBytes(deps.files, row);
  try {
    mail = await parseEmail(raw);
  } catch (err) {
    return finish({ status: 'quarantined', reason: `unparseable: ${(err as Error).message}` });
  }
  const envelope = row.envelope as RawEnvelope;
  const sender = mail.from ?? (mail.dsn ? null : envelopeSender(envelope));
  try {
    if (mail.dsn) return finish(await handleBounce(deps, row.workspaceId, row.inboxId, mail));
    if (!sender) return finish({ status: 'quarantined', reason: 'no_sender: the mail has no usable From address' });
    if (baseAddress(sender.address) === settings.data.address) return finish({ status: 'ignored', reason: 'own_address: mail from the inbox itself (a loop)' });

    const limiter = createRateLimiter(deps.store, () => deps.runtime.now());
    const limit = settings.data.senderLimitPerHour ?? 60;
    const hit = await limiter.hit(`email:${row.inboxId}:${sender.address}`, limit, 3_600_000);
    if (!hit.allowed) return finish({ status: 'quarantined', reason: `sender_throttled: more than ${limit} mails in an hour from ${sender.address}` });

    const result = await ingestParsed(deps, { workspaceId: row.workspaceId, inboxId: row.inboxId, settings: settings.data }, mail, sender, { ...row, raw }, envelope);
    return finish({ status: 'processed', messageId: result });
  } catch (err) {
    if (err instanceof AppError && (err.kind === 'validation' || err.kind === 'payload_too_large')) return finish({ status: 'quarantined', reason: `${err.code}: ${err.message}` });
    // Database trouble: the raw mail stays pending and the sweep retries it.
    await deps.store.db
      .update(emailRawMessages)
      .set({ attempts: row.attempts + 1, reason: `retrying: ${(err as Error).message}`.slice(0, 500) })
      .where(and(eq(emailRawMessages.workspaceId, row.workspaceId), eq(emailRawMessages.id, row.id)))
      .catch(() => undefined);
    throw err;
  }
}

async function inboxSettings(deps: Deps, workspaceId: string, inboxId: string) {
  const [inboxRow] = await deps.store.db
    .select({ settings: inboxes.settings, archivedAt: inboxes.archivedAt })
    .from(inboxes)
    .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, inboxId)));
  return !inboxRow || inboxRow.archivedAt ? { success: false as const } : emailSettingsSchema.safeParse(inboxRow.settings);
}

function envelopeSender(envelope: RawEnvelope) {
  return envelope.mailFrom && /^[^\s@]+@[^\s@]+$/.test(envelope.mailFrom) ? { address: envelope.mailFrom.toLowerCase(), name: '' } : null;
}

async function handleBounce(deps: Deps, workspaceId: string, inboxId: string, mail: ParsedEmail): Promise<Outcome> {
  const dsn = mail.dsn!;
  if (dsn.action && dsn.action !== 'failed') return { status: 'ignored', reason: `dsn_${dsn.action}: delivery report without failure` };
  if (!dsn.originalMessageId) return { status: 'quarantined', reason: 'bounce_unmatched: a bounce without the original Message-ID' };
  const reason = `bounced: ${dsn.status || '5.0.0'} ${dsn.diagnostic}`.trim();
  const applied = await applyDeliveryStatus(deps, { workspaceId, inboxId, externalId: dsn.originalMessageId, status: 'failed', reason });
  return applied ? { status: 'processed', messageId: null, reason } : { status: 'quarantined', reason: `bounce_unmatched: no message ${dsn.originalMessageId} in this inbox` };
}

const MAX_HTML = 2_000_000;

async function ingestParsed(
  deps: Deps,
  inbox: { workspaceId: string; inboxId: string; settings: EmailSettings },
  mail: ParsedEmail,
  sender: { address: string; name: string },
  row: { id: string; messageKey: string; raw: Buffer; inboxId: string; source: string },
  envelope: RawEnvelope,
): Promise<string> {
  const ws = inbox.workspaceId;
  const recipients = [...(envelope.rcptTo ?? []), ...mail.to.map((a) => a.address), ...mail.cc.map((a) => a.address)];
  const evidence = threadEvidence({ inReplyTo: mail.inReplyTo, references: mail.references, recipients, threadIndex: mail.threadIndex, subject: mail.subject });
  const inInbox = await findThread(deps, ws, inbox.inboxId, evidence, sender.address);
  // A widget chat continued by e-mail: the answer goes back into the chat (app/email-continuation.ts).
  const continued = inInbox ? null : await findContinuedThread(deps, ws, inbox.inboxId, evidence, sender.address);
  const thread = inInbox ?? (continued ? { conversationId: continued.conversationId, by: 'continued_conversation' as const, state: continued.state } : null);

  const cap = Math.min(inbox.settings.maxAttachmentBytes ?? deps.files.maxBytes, deps.files.maxBytes);
  const files: IncomingFile[] = [];
  const skipped: { fileName: string; size: number; reason: string }[] = [];
  for (const a of mail.attachments) {
    if (a.data.length > cap) skipped.push({ fileName: a.fileName.slice(0, 200), size: a.data.length, reason: 'too_large' });
    else if (files.length >= 50) skipped.push({ fileName: a.fileName.slice(0, 200), size: a.data.length, reason: 'too_many' });
    else files.push({ fileName: a.fileName, contentType: a.contentType, data: a.data, ...(a.contentId && a.inline ? { contentId: a.contentId } : {}) });
  }

  const split = splitQuoted(mail.text);
  const html = mail.html ? sanitizeEmailHtml(mail.html.length > MAX_HTML ? mail.html.slice(0, MAX_HTML) : mail.html) : null;
  const agents = await deps.store.db
    .select({ id: users.id })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(and(eq(memberships.workspaceId, ws), sql`lower(${users.email}) = ${sender.address}`))
    .limit(1);
  // IMAP mail came through the provider's servers, not ours: its trace headers say how far they can be believed.
  const trust = row.source === 'imap' ? { receivedHops: inbox.settings.imapTrustedHops ?? 1, authServId: inbox.settings.imapAuthServId } : undefined;
  const auth = await evaluateAuthenticity(deps, row.raw, envelope, trust);
  const noise = noiseKind(mail.headers, mail.subject, false, mail.text);

  const ours = (a: string) => baseAddress(a) === inbox.settings.address;
  const replyTo = (mail.replyTo.length ? mail.replyTo : [sender]).map((a) => a.address).filter((a) => !ours(a));
  const participants = [...mail.to, ...mail.cc].map((a) => a.address).filter((a) => !ours(a) && a !== sender.address);
  const prior = thread?.state ?? {};
  const state: EmailThreadState = {
    ...prior,
    subject: prior.subject ?? (baseSubject(mail.subject) || undefined),
    lastMessageId: mail.messageId ?? prior.lastMessageId,
    references: [...new Set([...(prior.references ?? []), ...mail.references.slice(-10), ...(mail.messageId ? [mail.messageId] : [])])].slice(-20),
    replyTo: replyTo.length ? replyTo.slice(0, 10) : prior.replyTo,
    participants: [...new Set(participants)].slice(0, 20),
    ...(evidence.threadIndexRoot && !evidence.threadIndexConversation ? { threadIndexRoot: prior.threadIndexRoot ?? evidence.threadIndexRoot } : {}),
  };

  const result = await ingestInbound(deps, {
    workspaceId: ws,
    inboxId: continued?.inboxId ?? inbox.inboxId,
    externalId: row.messageKey,
    contact: { identities: [{ kind: 'email', value: sender.address, verified: auth ? auth.dmarc === 'pass' : false }], ...(sender.name ? { name: sender.name } : {}) },
    content: split.body.slice(0, 500_000) || (mail.subject ? `(${mail.subject.slice(0, 200)})` : ''),
    contentType: html ? 'html' : 'text',
    contentAttributes: {
      email: {
        rawId: row.id,
        messageId: mail.messageId,
        subject: mail.subject,
        from: sender,
        to: mail.to.slice(0, 50),
        cc: mail.cc.slice(0, 50),
        replyTo: mail.replyTo.slice(0, 10),
        date: mail.date?.toISOString() ?? null,
        ...(html ? { html } : {}),
        ...(split.quote || split.signature ? { fullText: mail.text.slice(0, 500_000), quote: split.quote.slice(0, 200_000), signature: split.signature.slice(0, 5000) } : {}),
        ...(noise ? { noise } : {}),
        ...(auth ? { auth } : {}),
        ...(agents.length ? { claimsAgent: true } : {}),
        ...(skipped.length ? { skippedAttachments: skipped } : {}),
        threadedBy: thread?.by ?? 'new',
        ...(continued ? { viaInboxId: inbox.inboxId } : {}),
      },
    },
    attachments: files,
    sentAt: mail.date ?? undefined,
    subject: baseSubject(mail.subject) || mail.subject || undefined,
    ...(thread ? { conversationId: thread.conversationId } : { forceNewConversation: true }),
    channelState: { email: state },
    // Never answered automatically and never the customer's reply: an out-of-office to our reply reopens nothing.
    automatic: isAutomaticMail(noise),
  });
  if (evidence.threadIndexRoot && !evidence.threadIndexConversation && !continued) {
    await deps.store.db
      .insert(emailThreadKeys)
      .values({ workspaceId: ws, inboxId: inbox.inboxId, key: `thread-index:${evidence.threadIndexRoot}`, conversationId: result.conversationId })
      .onConflictDoNothing();
  }
  return result.messageId;
}

interface ThreadMatch {
  conversationId: string;
  by: 'references' | 'message_id_token' | 'thread_index' | 'reply_address' | 'subject_token';
  state: EmailThreadState;
}

/** The conversation a mail belongs to, by the strongest evidence it carries (see channels/email/threading.ts). */
async function findThread(deps: Deps, ws: string, inboxId: string, ev: ReturnType<typeof threadEvidence>, senderAddress: string): Promise<ThreadMatch | null> {
  const db = deps.store.db;
  const inInbox = async (ids: string[], by: ThreadMatch['by']): Promise<ThreadMatch | null> => {
    if (!ids.length) return null;
    const rows = await db
      .select({ id: conversations.id, channelState: conversations.channelState })
      .from(conversations)
      .where(and(eq(conversations.workspaceId, ws), eq(conversations.inboxId, inboxId), inArray(conversations.id, ids)));
    const first = ids.map((id) => rows.find((r) => r.id === id)).find((r) => !!r);
    return first ? { conversationId: first.id, by, state: emailState(first.channelState) } : null;
  };
  if (ev.referencedIds.length) {
    // The referenced messages and their conversations in one statement (the most common reply shape).
    const hits = await db
      .select({ conversationId: messages.conversationId, externalId: messages.externalId, channelState: conversations.channelState })
      .from(messages)
      .innerJoin(conversations, and(eq(conversations.workspaceId, messages.workspaceId), eq(conversations.id, messages.conversationId), eq(conversations.inboxId, inboxId)))
      .where(and(eq(messages.workspaceId, ws), eq(messages.inboxId, inboxId), inArray(messages.externalId, ev.referencedIds)));
    const first = ev.referencedIds.map((id) => hits.find((h) => h.externalId === id)).find((h) => !!h);
    if (first) return { conversationId: first.conversationId, by: 'references', state: emailState(first.channelState) };
  }
  const encoded = await inInbox(ev.encodedConversations, 'message_id_token');
  if (encoded) return encoded;
  if (ev.threadIndexConversation) {
    const m = await inInbox([ev.threadIndexConversation], 'thread_index');
    if (m) return m;
  }
  if (ev.threadIndexRoot) {
    const [key] = await db
      .select({ conversationId: emailThreadKeys.conversationId })
      .from(emailThreadKeys)
      .where(and(eq(emailThreadKeys.workspaceId, ws), eq(emailThreadKeys.inboxId, inboxId), eq(emailThreadKeys.key, `thread-index:${ev.threadIndexRoot}`)));
    const m = key ? await inInbox([key.conversationId], 'thread_index') : null;
    if (m) return m;
  }
  if (ev.addressConversation) {
    const m = await inInbox([ev.addressConversation], 'reply_address');
    if (m) return m;
  }
  if (ev.subjectNumber !== null) {
    // Last resort, and only for the same customer: a subject token alone is easy to copy.
    const [c] = await db
      .select({ id: conversations.id, channelState: conversations.channelState })
      .from(conversations)
      .innerJoin(contactIdentities, and(eq(contactIdentities.workspaceId, conversations.workspaceId), eq(contactIdentities.contactId, conversations.contactId)))
      .where(
        and(
          eq(conversations.workspaceId, ws),
          eq(conversations.inboxId, inboxId),
          eq(conversations.number, ev.subjectNumber),
          eq(contactIdentities.kind, 'email'),
          eq(contactIdentities.value, senderAddress),
        ),
      )
      .limit(1);
    if (c) return { conversationId: c.id, by: 'subject_token', state: emailState(c.channelState) };
  }
  return null;
}

/** Raw mails still pending after a crash or a database outage: processed again (the keys make it idempotent). */
export async function sweepPendingEmail(deps: Deps, olderThanMs = 60_000, limit = 100): Promise<number> {
  const rows = await deps.store.db
    .select({ workspaceId: emailRawMessages.workspaceId, id: emailRawMessages.id })
    .from(emailRawMessages)
    .where(and(eq(emailRawMessages.status, 'pending'), lt(emailRawMessages.receivedAt, new Date(deps.runtime.now().getTime() - olderThanMs))))
    .orderBy(asc(emailRawMessages.receivedAt))
    .limit(limit);
  let done = 0;
  for (const r of rows) {
    try {
      await processRawEmail(deps, { workspaceId: r.workspaceId, rawId: r.id });
      done++;
    } catch (err) {
      deps.log.warn({ rawId: r.id, err: (err as Error).message }, 'pending e-mail not processed yet');
    }
  }
  return done;
}

export interface QuarantinedEmail {
  id: string;
  status: string;
  reason: string | null;
  size: number;
  source: string;
  messageKey: string;
  receivedAt: string;
}

export async function listQuarantine(deps: Pick<Deps, 'store'>, workspaceId: string, inboxId: string): Promise<QuarantinedEmail[]> {
  const rows = await deps.store.db
    .select({
      id: emailRawMessages.id,
      status: emailRawMessages.status,
      reason: emailRawMessages.reason,
      size: emailRawMessages.size,
      source: emailRawMessages.source,
      messageKey: emailRawMessages.messageKey,
      receivedAt: emailRawMessages.receivedAt,
    })
    .from(emailRawMessages)
    .where(and(eq(emailRawMessages.workspaceId, workspaceId), eq(emailRawMessages.inboxId, inboxId), inArray(emailRawMessages.status, ['quarantined', 'pending'])))
    .orderBy(desc(emailRawMessages.receivedAt))
    .limit(200);
  return rows.map((r) => ({ ...r, receivedAt: r.receivedAt.toISOString() }));
}

export async function rawEmail(deps: Pick<Deps, 'store' | 'files'>, workspaceId: string, inboxId: string, rawId: string): Promise<Buffer> {
  const [row] = await deps.store.db
    .select({ raw: emailRawMessages.raw, rawSha256: emailRawMessages.rawSha256 })
    .from(emailRawMessages)
    .where(and(eq(emailRawMessages.workspaceId, workspaceId), eq(emailRawMessages.inboxId, inboxId), eq(emailRawMessages.id, rawId)));
  if (!row) throw notFound('message');
  return rawBytes(deps.files, row);
}
