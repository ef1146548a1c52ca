import { hashKey, type QueryClient } from '@tanstack/react-query';
import { api, currentWorkspaceId } from './client';
import { keys } from './query-keys';
import type { Bootstrap, Inbox, Label, Notification, Page, Preferences, Team, User, ViewCounts } from './types';

/**
 * The reference lists of the first screen (inboxes, users, teams, labels, preferences, counts, notifications)
 * arrive in ONE request, GET /api/v1/agent-app/bootstrap, instead of seven: on a busy server every request waits
 * its turn, and login → inbox is what an agent notices first. Each list keeps its own query and endpoint: the
 * bootstrap only answers a query's first load; every later refetch (a realtime event, a mutation) asks the
 * list's own endpoint. A list invalidated while the bootstrap is still on its way is fetched on its own too,
 * so an event that arrived meanwhile is never overwritten by the older bootstrap answer.
 */
interface Cached {
  inboxes: { items: Inbox[] };
  users: { items: User[] };
  teams: { items: Team[] };
  labels: { items: Label[] };
  preferences: Preferences;
  counts: ViewCounts;
  notifications: Page<Notification> & { unreadCount: number };
}
type Part = keyof Cached;

const parts: { [P in Part]: { key: readonly unknown[]; url: string; pick(b: Bootstrap): Cached[P] } } = {
  inboxes: { key: keys.inboxes, url: '/api/v1/inboxes', pick: (b) => ({ items: b.inboxes }) },
  users: { key: keys.users, url: '/api/v1/users', pick: (b) => ({ items: b.users }) },
  teams: { key: keys.teams, url: '/api/v1/teams', pick: (b) => ({ items: b.teams }) },
  labels: { key: keys.labels, url: '/api/v1/labels', pick: (b) => ({ items: b.labels }) },
  preferences: { key: keys.preferences, url: '/api/v1/me/preferences', pick: (b) => b.preferences },
  counts: { key: keys.counts, url: '/api/v1/conversations/counts', pick: (b) => b.counts },
  notifications: { key: keys.notifications, url: '/api/v1/notifications?limit=30', pick: (b) => b.notifications },
};
const partNames = Object.keys(parts) as Part[];
const partByHash = new Map(partNames.map((p) => [hashKey(parts[p].key), p]));

interface Loading {
  workspaceId: string;
  promise: Promise<Bootstrap>;
  /** Parts invalidated while the bootstrap was on its way: they are fetched on their own. */
  changed: Set<Part>;
}
let loading: Loading | null = null;

/** The query function of one reference list: its part of a bootstrap in flight, else its own endpoint. */
export function fromBootstrap<P extends Part>(part: P): () => Promise<Cached[P]> {
  return async () => {
    const l = loading;
    if (l && l.workspaceId === currentWorkspaceId() && !l.changed.has(part)) {
      try {
        const b = await l.promise;
        if (!l.changed.has(part)) return parts[part].pick(b);
      } catch {
        // The bootstrap failed (server error, network): each list falls back to its own endpoint below.
      }
    }
    return api.get<Cached[P]>(parts[part].url);
  };
}

/**
 * Loads (or reloads) all reference lists of the workspace in one request. Called when a session is adopted
 * (login, page load, workspace switch) and when everything must be fetched again (back from an expired
 * session, after the realtime socket reconnected).
 */
export function startBootstrap(qc: QueryClient, workspaceId: string) {
  const l: Loading = { workspaceId, promise: api.get<Bootstrap>('/api/v1/agent-app/bootstrap'), changed: new Set() };
  loading = l;
  const off = qc.getQueryCache().subscribe((e) => {
    if (e.type !== 'updated' || e.action.type !== 'invalidate') return;
    const part = partByHash.get(e.query.queryHash);
    if (part) l.changed.add(part);
  });
  const done = () => {
    off();
    if (loading === l) loading = null;
  };
  l.promise.then(done, done);
  // Fetched now (not when a screen first asks), so the lists are on their way while the shell renders.
  for (const p of partNames) void qc.fetchQuery({ queryKey: parts[p].key, queryFn: fromBootstrap(p), staleTime: 0 }).catch(() => undefined);
}

/** Everything on screen is fetched again: the reference lists through one bootstrap, the rest by invalidation. */
export function reloadEverything(qc: QueryClient, workspaceId: string | null) {
  if (workspaceId) startBootstrap(qc, workspaceId);
  void qc.invalidateQueries({ predicate: (q) => !workspaceId || !partByHash.has(q.queryHash) });
}
