import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import { conversations, notifications, users } from '../store/schema';
import type { NotificationDto } from '../shared/agent-app';
import type { Deps } from './context';
import { iso } from './dto';
import type { OutboxWriter } from './outbox';
import { cursorDate, cursorUuid, decodeCursor, encodeCursor } from './cursor';

export interface NotifyInput {
  workspaceId: string;
  userIds: string[];
  kind: 'assigned' | 'mention' | 'agreement_confirmed' | 'agreement_corrected' | 'callback_due' | 'agreement_due';
  conversationId: string;
  inboxId: string;
  number: number;
  messageId?: string;
  byUserId: string | null;
  /** A short excerpt (mentions), so the list reads without opening the conversation. */
  excerpt?: string;
  /** What the notification is about beyond the conversation (e.g. the callback request and its due time). */
  data?: Record<string, string>;
}

/**
 * Tells agents something personally: one stored notification per person (the list survives reloads and
 * absences) and the realtime nudge, written in the caller's transaction so neither exists without the other.
 */
export async function notify(tx: Db, deps: Pick<Deps, 'runtime'>, out: OutboxWriter, n: NotifyInput): Promise<void> {
  const now = deps.runtime.now();
  for (const userId of [...new Set(n.userIds)]) {
    const id = deps.runtime.id();
    await tx.insert(notifications).values({
      workspaceId: n.workspaceId,
      id,
      userId,
      kind: n.kind,
      conversationId: n.conversationId,
      messageId: n.messageId ?? null,
      actorId: n.byUserId,
      data: { number: n.number, ...(n.excerpt ? { excerpt: n.excerpt.slice(0, 200) } : {}), ...n.data },
      createdAt: now,
    });
    out.event('notification.created', { userIds: [userId], conversationId: n.conversationId, inboxId: n.inboxId }, {
      notificationId: id,
      kind: n.kind,
      conversationId: n.conversationId,
      number: n.number,
      byUserId: n.byUserId,
      ...(n.messageId ? { messageId: n.messageId } : {}),
    });
  }
}

type Row = typeof notifications.$inferSelect;

async function views(tx: Db, workspaceId: string, rows: Row[]): Promise<NotificationDto[]> {
  const actorIds = [...new Set(rows.map((r) => r.actorId).filter((x): x is string => !!x))];
  const names = new Map<string, string>();
  if (actorIds.length) for (const u of await tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, actorIds))) names.set(u.id, u.name);
  const convIds = [...new Set(rows.map((r) => r.conversationId).filter((x): x is string => !!x))];
  const numbers = new Map<string, number>();
  if (convIds.length) {
    for (const c of await tx
      .select({ id: conversations.id, number: conversations.number })
      .from(conversations)
      .where(and(eq(conversations.workspaceId, workspaceId), inArray(conversations.id, convIds)))) {
      numbers.set(c.id, c.number);
    }
  }
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    conversationId: r.conversationId,
    conversationNumber: r.conversationId ? (numbers.get(r.conversationId) ?? null) : null,
    messageId: r.messageId,
    actorId: r.actorId,
    actorName: r.actorId ? (names.get(r.actorId) ?? null) : null,
    excerpt: typeof r.data.excerpt === 'string' ? r.data.excerpt : null,
    readAt: iso(r.readAt),
    createdAt: iso(r.createdAt)!,
  }));
}

/** The agent's notifications, newest first, with the number still unread. */
export async function listNotifications(
  tx: Db,
  workspaceId: string,
  userId: string,
  opts: { limit: number; cursor?: string; unread?: 'true' | 'false' },
): Promise<{ items: NotificationDto[]; nextCursor: string | null; unreadCount: number }> {
  const c = opts.cursor ? decodeCursor(opts.cursor, ['k', 'i']) : null;
  const mine = and(eq(notifications.workspaceId, workspaceId), eq(notifications.userId, userId));
  const rows = await tx
    .select()
    .from(notifications)
    .where(
      and(
        mine,
        opts.unread === 'true' ? isNull(notifications.readAt) : undefined,
        c ? sql`(${notifications.createdAt}, ${notifications.id}) < (${cursorDate(c.k)}, ${cursorUuid(c.i)})` : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(opts.limit + 1);
  const [count] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(mine, isNull(notifications.readAt)));
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return {
    items: await views(tx, workspaceId, page),
    nextCursor: rows.length > opts.limit && last ? encodeCursor({ k: last.createdAt.toISOString(), i: last.id }) : null,
    unreadCount: Number(count?.n ?? 0),
  };
}

/**
 * Marks some (by id), those about one conversation, or all of the agent's notifications read; other people's
 * ids are simply not touched.
 */
export async function markNotificationsRead(
  deps: Deps,
  workspaceId: string,
  userId: string,
  which: { ids: string[] } | { conversationId: string } | { all: true },
): Promise<number> {
  const rows = await deps.store.db
    .update(notifications)
    .set({ readAt: deps.runtime.now() })
    .where(
      and(
        eq(notifications.workspaceId, workspaceId),
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        'ids' in which ? inArray(notifications.id, which.ids) : undefined,
        'conversationId' in which ? eq(notifications.conversationId, which.conversationId) : undefined,
      ),
    )
    .returning({ id: notifications.id });
  return rows.length;
}
