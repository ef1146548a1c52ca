import { and, desc, eq, inArray, lt, or } from 'drizzle-orm';
import type { Db } from '../store/db';
import { attachments, contacts, messages, users } from '../store/schema';
import type { MessageDto } from '../shared/api';
import { messageDto, type MessageRow } from './dto';
import { cursorDate, cursorUuid, decodeCursor, encodeCursor } from './cursor';

/** Message rows → API shape, with sender names and attachments loaded in two queries, not one per message. */
export async function messageViews(tx: Db, workspaceId: string, rows: MessageRow[]): Promise<MessageDto[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const files = await tx.select().from(attachments).where(and(eq(attachments.workspaceId, workspaceId), inArray(attachments.messageId, ids)));
  const userIds = [...new Set(rows.filter((r) => r.senderType === 'user' && r.senderId).map((r) => r.senderId!))];
  const contactIds = [...new Set(rows.filter((r) => r.senderType === 'contact' && r.senderId).map((r) => r.senderId!))];
  const names = new Map<string, string>();
  if (userIds.length) for (const u of await tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds))) names.set(u.id, u.name);
  if (contactIds.length) {
    for (const c of await tx
      .select({ id: contacts.id, name: contacts.name })
      .from(contacts)
      .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.id, contactIds)))) {
      names.set(c.id, c.name);
    }
  }
  return rows.map((r) =>
    messageDto(
      r,
      r.senderId ? (names.get(r.senderId) ?? null) : null,
      files.filter((f) => f.messageId === r.id),
    ),
  );
}

export async function messageView(tx: Db, row: MessageRow): Promise<MessageDto> {
  return (await messageViews(tx, row.workspaceId, [row]))[0]!;
}

/**
 * A conversation's messages, oldest first, paginated backwards from the newest: the agent app opens a long
 * conversation at its end and loads earlier pages on scroll (`before` cursor).
 */
export async function listMessages(
  tx: Db,
  workspaceId: string,
  conversationId: string,
  opts: { limit: number; cursor?: string; includeInternal: boolean },
): Promise<{ items: MessageDto[]; nextCursor: string | null }> {
  const c = opts.cursor ? decodeCursor(opts.cursor, ['t', 'i']) : null;
  const rows = await tx
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.workspaceId, workspaceId),
        eq(messages.conversationId, conversationId),
        opts.includeInternal ? undefined : eq(messages.kind, 'message'),
        c ? or(lt(messages.createdAt, cursorDate(c.t)), and(eq(messages.createdAt, cursorDate(c.t)), lt(messages.id, cursorUuid(c.i)))) : undefined,
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(opts.limit + 1);
  const more = rows.length > opts.limit;
  const pageRows = rows.slice(0, opts.limit).reverse();
  const first = pageRows[0];
  return {
    items: await messageViews(tx, workspaceId, pageRows),
    nextCursor: more && first ? encodeCursor({ t: first.createdAt.toISOString(), i: first.id }) : null,
  };
}

