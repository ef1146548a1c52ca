import fs from 'node:fs';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { attachments, contacts, conversations, inboxes, messages, users } from '../store/schema';
import { channelAdapter } from '../channels/registry';
import { readWidgetSettings } from '../channels/widget/settings';
import type { Deps } from './context';
import type { OutboxWriter } from './outbox';
import { withOutbox } from './outbox';
import { lockConversation, scopeOf } from './conversations';
import { messageViews } from './messages';
import { channelContext } from './channel-context';
import { attachmentUrl, type MessageRow } from './dto';
import { emailHandoffOf } from './email-continuation';
import { emailCopyPlan, presenceOf } from './widget-presence';
import { botText, type WidgetLocale } from './widget-texts';

export const EMAIL_COPY_JOB = 'widget-email-copy';

/**
 * A widget visitor who left an e-mail address gets the agents' chat replies by e-mail — but only the ones they
 * did not see in the widget. An agent's reply is marked `pending` when it is sent in the chat and a job looks
 * again once the visitor could have been away long enough (`emailAfterAwaySeconds`, default 2 minutes): what
 * the visitor's open widget showed in the meantime (widget presence) is dropped, the rest goes out as ONE mail
 * with the replies on top and the earlier conversation below, through the e-mail inbox the chat continues in
 * (its SMTP account and threading: the customer's answer comes back into this chat, app/email-continuation.ts).
 */
export function queueEmailCopy(out: OutboxWriter, conv: { workspaceId: string; id: string }, widgetSettings: Record<string, unknown>, now: Date): void {
  const awayMs = awaySeconds(widgetSettings) * 1000;
  out.job(EMAIL_COPY_JOB, { workspaceId: conv.workspaceId, conversationId: conv.id }, { startAfter: new Date(now.getTime() + awayMs) });
}

/** Settings that no longer parse must not stop a chat reply from being recorded as sent: the default then. */
function awaySeconds(settings: Record<string, unknown>): number {
  try {
    return readWidgetSettings(settings).emailAfterAwaySeconds;
  } catch {
    return 120;
  }
}

type Pending = Pick<MessageRow, 'id' | 'createdAt'>;

export async function sendEmailCopies(deps: Deps, input: { workspaceId: string; conversationId: string }): Promise<{ mailed: number; seen: number }> {
  const ws = input.workspaceId;
  const now = deps.runtime.now();
  // Claim under the conversation's lock, so two jobs never mail the same reply.
  const claim = await withOutbox(deps, ws, async (tx, out) => {
    const conv = await lockConversation(tx, ws, input.conversationId);
    const handoff = emailHandoffOf(conv.channelState);
    const [inbox] = await tx.select().from(inboxes).where(and(eq(inboxes.workspaceId, ws), eq(inboxes.id, conv.inboxId)));
    if (!handoff || !inbox || inbox.kind !== 'widget') return null;
    const pending: Pending[] = await tx
      .select({ id: messages.id, createdAt: messages.createdAt })
      .from(messages)
      .where(and(eq(messages.workspaceId, ws), eq(messages.conversationId, conv.id), sql`${messages.contentAttributes}->'emailHandoff'->>'pending' = 'true'`))
      .orderBy(asc(messages.createdAt), asc(messages.id));
    if (!pending.length) return null;
    const awayMs = awaySeconds(inbox.settings) * 1000;
    const presence = await presenceOf(tx, { workspaceId: ws, inboxId: inbox.id, contactId: conv.contactId }, now);
    const plan = emailCopyPlan(pending, presence, now, awayMs);
    const mark = async (ids: string[], record: Record<string, unknown>) => {
      if (!ids.length) return [];
      return tx
        .update(messages)
        .set({ contentAttributes: sql`jsonb_set(${messages.contentAttributes}, '{emailHandoff}', ${JSON.stringify(record)}::jsonb)`, updatedAt: now })
        .where(and(eq(messages.workspaceId, ws), inArray(messages.id, ids)))
        .returning();
    };
    const updated = [
      ...(await mark(plan.seen, { email: handoff.email, seenInWidget: true })),
      // In flight: a crash now leaves them marked, never mailed twice.
      ...(await mark(plan.mail, { email: handoff.email, inboxId: handoff.inboxId, sending: true })),
    ];
    for (const view of await messageViews(tx, ws, updated)) out.event('message.updated', scopeOf(conv), { message: view });
    if (plan.recheckAt) out.job(EMAIL_COPY_JOB, { workspaceId: ws, conversationId: conv.id }, { startAfter: plan.recheckAt });
    return { conv, handoff, ids: plan.mail, seen: plan.seen.length };
  });
  if (!claim || !claim.ids.length) return { mailed: 0, seen: claim?.seen ?? 0 };

  const { conv, handoff, ids } = claim;
  const record = (r: Record<string, unknown>, channelState?: Record<string, unknown>) =>
    withOutbox(deps, ws, async (tx, out) => {
      const locked = await lockConversation(tx, ws, conv.id);
      if (channelState) {
        await tx
          .update(conversations)
          .set({ channelState: { ...locked.channelState, ...channelState } })
          .where(and(eq(conversations.workspaceId, ws), eq(conversations.id, conv.id)));
      }
      const updated = await tx
        .update(messages)
        .set({ contentAttributes: sql`jsonb_set(${messages.contentAttributes}, '{emailHandoff}', ${JSON.stringify({ email: handoff.email, ...r })}::jsonb)`, updatedAt: deps.runtime.now() })
        .where(and(eq(messages.workspaceId, ws), inArray(messages.id, ids)))
        .returning();
      for (const view of await messageViews(tx, ws, updated)) out.event('message.updated', scopeOf(locked), { message: view });
    });

  const [target] = await deps.store.db
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.workspaceId, ws), eq(inboxes.id, handoff.inboxId), eq(inboxes.kind, 'email'), isNull(inboxes.archivedAt)));
  const adapter = channelAdapter('email');
  if (!target || !adapter) {
    await record({ failed: 'email_inbox_unavailable' });
    return { mailed: 0, seen: claim.seen };
  }
  const mail = await composeCopy(deps, ws, conv.id, ids, handoff.locale);
  const [contact] = await deps.store.db.select({ name: contacts.name }).from(contacts).where(and(eq(contacts.workspaceId, ws), eq(contacts.id, conv.contactId)));
  const res = await adapter
    .send(
      {
        id: deps.runtime.id(),
        conversationId: conv.id,
        content: mail.text,
        contentType: 'text',
        contentAttributes: { email: { to: [handoff.email] } },
        attachments: mail.files,
        recipient: { name: contact?.name ?? '', identities: [{ kind: 'email', value: handoff.email }] },
        // The e-mail thread state (Message-IDs, Thread-Index) lives under `email`, so every copy threads with the last.
        conversation: { number: conv.number, subject: conv.subject, channelState: (await currentState(deps, ws, conv.id)) ?? conv.channelState },
        ...(mail.sender ? { sender: mail.sender } : {}),
      },
      channelContext(deps, target),
    )
    .catch((err: Error) => ({ ok: false as const, code: 'adapter_error', message: err.message, retryable: true }));
  if (!res.ok) {
    deps.log.warn({ inboxId: target.id, conversationId: conv.id, code: res.code }, 'e-mail copy of widget replies failed');
    await record({ inboxId: target.id, failed: `${res.code}: ${res.message}`.slice(0, 300) });
    return { mailed: 0, seen: claim.seen };
  }
  await record({ inboxId: target.id, externalId: res.externalId, batch: ids.length }, res.channelState);
  return { mailed: ids.length, seen: claim.seen };
}

async function currentState(deps: Deps, ws: string, conversationId: string) {
  const [row] = await deps.store.db
    .select({ channelState: conversations.channelState })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, ws), eq(conversations.id, conversationId)));
  return row?.channelState;
}

const stamp = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

/** The replies on top (with who wrote them), then the conversation before them: the customer needs no chat window. */
async function composeCopy(deps: Deps, ws: string, conversationId: string, ids: string[], handoffLocale: WidgetLocale | undefined) {
  const rows = await deps.store.db
    .select({ m: messages, senderName: users.name, settings: users.settings })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.senderId))
    .where(and(eq(messages.workspaceId, ws), eq(messages.conversationId, conversationId), eq(messages.kind, 'message')))
    .orderBy(asc(messages.createdAt), asc(messages.id))
    .limit(1000);
  const lastLocale = [...rows].reverse().find((r) => r.m.senderType === 'contact')?.m.contentAttributes as { widget?: { locale?: WidgetLocale } } | undefined;
  const locale: WidgetLocale = handoffLocale ?? lastLocale?.widget?.locale ?? 'nl';
  const name = (r: (typeof rows)[number]) =>
    r.m.senderType === 'contact' ? botText(locale, 'you', {}) : r.m.senderType === 'bot' ? 'Bot' : (r.senderName?.split(' ')[0] ?? botText(locale, 'agent', {}));
  const replies = rows.filter((r) => ids.includes(r.m.id));
  const firstAt = replies[0]!.m.createdAt.getTime();
  const earlier = rows.filter((r) => !ids.includes(r.m.id) && r.m.createdAt.getTime() <= firstAt).slice(-50);
  const text = [
    botText(locale, 'copyIntro', { count: replies.length }),
    ...replies.map((r) => `${name(r)}:\n${r.m.content}`),
    botText(locale, 'copyOutro', {}),
    ...(earlier.length ? [`${botText(locale, 'earlier', {})}\n${earlier.map((r) => `[${stamp(r.m.createdAt)}] ${name(r)}: ${r.m.content}`).join('\n')}`] : []),
  ].join('\n\n');
  const files = await deps.store.db.select().from(attachments).where(and(eq(attachments.workspaceId, ws), inArray(attachments.messageId, ids)));
  const last = replies[replies.length - 1]!;
  return {
    text,
    files: files
      .filter((f) => !f.contentId)
      .map((f) => ({ fileName: f.fileName, contentType: f.contentType, size: f.size, url: `${deps.config.publicUrl}${attachmentUrl(f)}`, read: () => fs.promises.readFile(deps.files.path(f.sha256)) })),
    sender: last.senderName
      ? { name: last.senderName, ...(typeof last.settings?.emailSignature === 'string' ? { emailSignature: last.settings.emailSignature } : {}) }
      : undefined,
  };
}
