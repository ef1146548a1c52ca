import type { QueryClient } from '@tanstack/react-query';
import { LAST_VIEW_KEY, parseFilters, parseSort, parseStatus, parseView, type ListFilter } from '../inbox/view';
import { conversationListOptions } from './queries';

/**
 * The list the first screen will show, worked out the way App and the shell route: the inbox address being
 * opened with its status, sort and filters; from the login or setup page Mine; from `/` the view the agent
 * last used, else Mine.
 * Null when the first screen is not an inbox (settings, a contact, reports).
 */
export function firstListFilter(pathname: string, search: string, lastView: string | null): ListFilter | null {
  const onInbox = /^\/inbox\/([^/]+)/.exec(pathname);
  if (!onInbox && pathname !== '/' && pathname !== '/login' && pathname !== '/setup') return null;
  const segment = onInbox ? decodeURIComponent(onInbox[1]!) : pathname === '/' ? lastView : 'mine';
  const view = parseView(segment ?? 'mine') ?? { kind: 'mine' as const };
  const q = new URLSearchParams(onInbox ? search : '');
  return { view, status: parseStatus(q.get('status')), sort: parseSort(q.get('sort')), filters: parseFilters(q) };
}

/**
 * Asks for the first screen's conversation list as soon as the session is known, alongside the bootstrap,
 * instead of after the shell has rendered and routed: login → inbox is one round trip shorter.
 */
export function prefetchFirstList(qc: QueryClient) {
  const f = firstListFilter(location.pathname, location.search, localStorage.getItem(LAST_VIEW_KEY));
  if (f) void qc.prefetchInfiniteQuery(conversationListOptions(f));
}
