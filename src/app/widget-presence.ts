import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import { widgetPresence } from '../store/schema';

/**
 * Visitor presence: when a widget of this visitor was last open (WebSocket connected). The widget hub writes it
 * on connect, at most every REFRESH_MS while connected (on the heartbeat's pong) and on close, in whichever
 * process holds the socket. So "open now" or "last seen after the reply was written" means the reply was on
 * their screen.
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
  connected: boolean;
}

/**
 * `connected` false on a socket's close. With two tabs open, closing one says "not connected" until the other's
 * next refresh (≤ 25 s): in that gap a reply may be mailed although a tab shows it — erring towards the mail.
 */
export async function touchPresence(db: Db, key: PresenceKey, at: Date, connected?: boolean): Promise<void> {
  await db
    .insert(widgetPresence)
    .values({ ...key, lastSeenAt: at, connected: connected ?? false })
    .onConflictDoUpdate({
      target: [widgetPresence.workspaceId, widgetPresence.inboxId, widgetPresence.contactId],
      // Several processes (tabs) write; time only moves forward.
      set: {
        lastSeenAt: sql`greatest(${widgetPresence.lastSeenAt}, excluded.last_seen_at)`,
        // Undefined (the visitor wrote over HTTP): the socket state stays what it was.
        ...(connected === undefined
          ? {}
          : { connected: sql`case when excluded.last_seen_at >= ${widgetPresence.lastSeenAt} then excluded.connected else ${widgetPresence.connected} end` }),
      },
    });
}

export async function presenceOf(db: Db, key: PresenceKey): Promise<Presence | null> {
  const [row] = await db
    .select({ seenAt: widgetPresence.lastSeenAt, connected: widgetPresence.connected })
    .from(widgetPresence)
    .where(and(eq(widgetPresence.workspaceId, key.workspaceId), eq(widgetPresence.inboxId, key.inboxId), eq(widgetPresence.contactId, key.contactId)));
  return row ?? null;
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
