import { and, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import { widgetConnections, widgetPresence } from '../store/schema';

/**
 * Visitor presence: when a widget of this visitor was last open (WebSocket connected), and which sockets are
 * open now. The widget hub writes it on connect, at most every REFRESH_MS while connected (on the heartbeat's
 * pong) and on close, in whichever process holds the socket. So "open now" or "last seen after the reply was
 * written" means the reply was on their screen.
 */
export const PRESENCE_REFRESH_MS = 20_000;
/** Seen this recently: the visitor counts as online (heartbeat 25 s + refresh 20 s + slack). */
export const PRESENCE_ONLINE_MS = 60_000;

export interface PresenceKey {
  workspaceId: string;
  inboxId: string;
  contactId: string;
}

export interface Presence {
  seenAt: Date;
  /** At least one socket of the visitor (any tab, any process) is open and was refreshed recently. */
  connected: boolean;
}

/**
 * `socket` names the WebSocket that writes: `open` refreshes its row, `closed` removes it. Presence is per
 * visitor, not per socket: closing one of two tabs leaves the other's row, so the visitor stays online. Without
 * `socket` (the visitor wrote over HTTP) only the time moves.
 */
export async function touchPresence(db: Db, key: PresenceKey, at: Date, socket?: { id: string; state: 'open' | 'closed' }): Promise<void> {
  await db
    .insert(widgetPresence)
    .values({ ...key, lastSeenAt: at })
    .onConflictDoUpdate({
      target: [widgetPresence.workspaceId, widgetPresence.inboxId, widgetPresence.contactId],
      // Several processes (tabs) write; time only moves forward.
      set: { lastSeenAt: sql`greatest(${widgetPresence.lastSeenAt}, excluded.last_seen_at)` },
    });
  if (!socket) return;
  if (socket.state === 'closed') {
    await db.delete(widgetConnections).where(and(eq(widgetConnections.workspaceId, key.workspaceId), eq(widgetConnections.connectionId, socket.id)));
    return;
  }
  await db
    .insert(widgetConnections)
    .values({ ...key, connectionId: socket.id, seenAt: at })
    .onConflictDoUpdate({ target: [widgetConnections.workspaceId, widgetConnections.connectionId], set: { seenAt: sql`greatest(${widgetConnections.seenAt}, excluded.seen_at)` } });
}

/** `now` decides which socket rows are still fresh: a row a crashed process left behind stops counting. */
export async function presenceOf(db: Db, key: PresenceKey, now: Date): Promise<Presence | null> {
  const visitor = (t: typeof widgetPresence | typeof widgetConnections) =>
    and(eq(t.workspaceId, key.workspaceId), eq(t.inboxId, key.inboxId), eq(t.contactId, key.contactId));
  const [row] = await db
    .select({
      seenAt: widgetPresence.lastSeenAt,
      open: sql<boolean>`exists (${db
        .select({ one: sql`1` })
        .from(widgetConnections)
        .where(and(visitor(widgetConnections), gte(widgetConnections.seenAt, new Date(now.getTime() - PRESENCE_ONLINE_MS))))})`,
    })
    .from(widgetPresence)
    .where(visitor(widgetPresence));
  return row ? { seenAt: row.seenAt, connected: !!row.open } : null;
}

/** A widget of this visitor is open right now. */
export function isOnline(p: Presence | null, now: Date): boolean {
  return !!p && p.connected && now.getTime() - p.seenAt.getTime() < PRESENCE_ONLINE_MS;
}

/**
 * Which of the replies still wait for an e-mail copy, and when to look again. A reply the visitor's widget was
 * open for after it was written is seen and never mailed; the others are mailed together once the visitor has
 * been away `awayMs` (so a visitor who just went to another page of the site gets no mail).
 */
export function emailCopyPlan(replies: { id: string; createdAt: Date }[], presence: Presence | null, now: Date, awayMs: number) {
  const seenAt = presence?.seenAt ?? null;
  const online = isOnline(presence, now);
  const seen = replies.filter((r) => online || (!!seenAt && seenAt.getTime() >= r.createdAt.getTime()));
  const unseen = replies.filter((r) => !seen.includes(r));
  const awayFor = seenAt ? now.getTime() - seenAt.getTime() : Number.POSITIVE_INFINITY;
  const oldest = unseen.reduce((m, r) => Math.min(m, r.createdAt.getTime()), Number.POSITIVE_INFINITY);
  const due = unseen.length > 0 && awayFor >= awayMs && now.getTime() - oldest >= awayMs;
  const recheckAt = unseen.length && !due ? new Date(Math.max(seenAt ? seenAt.getTime() + awayMs : 0, oldest + awayMs, now.getTime() + 1000)) : null;
  return { seen: seen.map((r) => r.id), mail: due ? unseen.map((r) => r.id) : [], recheckAt };
}
