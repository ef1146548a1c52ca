import { and, eq, inArray, sql } from 'drizzle-orm';
import { conversations, inboxMembers, memberships, teamMembers, teams } from '../store/schema';
import { isOnline, pickAssignee } from '../domain/assignment';
import type { Deps } from './context';
import { assignConversation } from './conversations';

/**
 * Gives a new (or reopened) unassigned conversation to an online agent: the team's members when it is routed
 * to a team with auto-assignment, else the inbox's members; round robin within capacity.
 */
export async function autoAssign(deps: Deps, input: { workspaceId: string; conversationId: string }): Promise<string | null> {
  const ws = input.workspaceId;
  const [conv] = await deps.store.db
    .select()
    .from(conversations)
    .where(and(eq(conversations.workspaceId, ws), eq(conversations.id, input.conversationId)));
  if (!conv || conv.assigneeId || conv.status !== 'open') return null;

  let pool: string[] = [];
  if (conv.teamId) {
    const [team] = await deps.store.db.select().from(teams).where(and(eq(teams.workspaceId, ws), eq(teams.id, conv.teamId)));
    if (team?.autoAssign) {
      pool = (await deps.store.db
        .select({ userId: teamMembers.userId })
        .from(teamMembers)
        .where(and(eq(teamMembers.workspaceId, ws), eq(teamMembers.teamId, conv.teamId)))).map((r) => r.userId);
    }
  }
  if (pool.length === 0) {
    pool = (await deps.store.db
      .select({ userId: inboxMembers.userId })
      .from(inboxMembers)
      .where(and(eq(inboxMembers.workspaceId, ws), eq(inboxMembers.inboxId, conv.inboxId)))).map((r) => r.userId);
  }
  if (pool.length === 0) return null;

  const members = await deps.store.db
    .select({
      userId: memberships.userId,
      availability: memberships.availability,
      lastSeenAt: memberships.lastSeenAt,
      capacity: memberships.capacity,
      lastAssignedAt: memberships.lastAssignedAt,
      openCount: sql<number>`(select count(*)::int from conversations c where c.workspace_id = ${ws} and c.assignee_id = ${memberships.userId} and c.status = 'open')`,
    })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, ws), inArray(memberships.userId, pool)));
  const now = deps.runtime.now();
  const chosen = pickAssignee(
    members.map((m) => ({
      userId: m.userId,
      online: isOnline(m.availability, m.lastSeenAt, now),
      openCount: Number(m.openCount),
      capacity: m.capacity,
      lastAssignedAt: m.lastAssignedAt,
    })),
  );
  if (!chosen) return null;
  await assignConversation(deps, null, ws, conv.id, { assigneeId: chosen }, { auto: true });
  return chosen;
}
