import { eq } from 'drizzle-orm';
import { users } from '../store/schema';
import { BOOTSTRAP_NOTIFICATIONS, readPreferences, type BootstrapDto } from '../shared/agent-app';
import type { Actor, Deps } from './context';
import { listLabels, listMembers, listTeams } from './admin';
import { listVisibleInboxes } from './inboxes';
import { listNotifications } from './notifications';
import { viewCounts } from './view-counts';

/** The agent's own preferences with the defaults filled in (GET /api/v1/me/preferences). */
export async function readMyPreferences(deps: Pick<Deps, 'store'>, userId: string): Promise<BootstrapDto['preferences']> {
  const [u] = await deps.store.db.select({ settings: users.settings, locale: users.locale }).from(users).where(eq(users.id, userId));
  return { ...readPreferences(u?.settings), locale: (u?.locale as 'nl' | 'en' | null) ?? null };
}

/**
 * What the agent app loads right after login, in one round trip instead of seven: on a busy server each request
 * waits its turn (session lookup, workspace check) before doing its small query, so seven of them cost far more
 * than the queries. Each part comes from the same function as its own endpoint, so the two cannot drift apart.
 */
export async function agentBootstrap(deps: Deps, actor: Actor): Promise<BootstrapDto> {
  const [inboxes, members, teams, labels, preferences, counts, notifications] = await Promise.all([
    listVisibleInboxes(deps, actor),
    listMembers(deps, actor.workspaceId),
    listTeams(deps, actor.workspaceId),
    listLabels(deps, actor.workspaceId),
    readMyPreferences(deps, actor.userId),
    viewCounts(deps.store.db, actor),
    listNotifications(deps.store.db, actor.workspaceId, actor.userId, { limit: BOOTSTRAP_NOTIFICATIONS }),
  ]);
  return { inboxes, users: members, teams, labels, preferences, counts, notifications };
}
