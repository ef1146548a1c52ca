import type { ChannelKind, ConversationListItem, Priority, Status } from '../api/types';

/**
 * What the conversation list shows: a view (mine, unassigned, my teams, all, one inbox, one label), a status
 * tab and a sort. The same rules decide, for a conversation pushed over the realtime socket, whether it
 * belongs in the list and where — so the list updates live without refetching.
 */
export type ViewKind = 'mine' | 'unassigned' | 'teams' | 'all' | 'inbox' | 'label';
export interface View {
  kind: ViewKind;
  inboxId?: string;
  label?: string;
}
export type Sort = 'newest' | 'oldest' | 'waiting' | 'priority' | 'at_risk' | 'speed';
export const sorts: Sort[] = ['newest', 'waiting', 'speed', 'at_risk', 'priority', 'oldest'];
export const statusTabs: Status[] = ['open', 'pending', 'snoozed', 'resolved'];

/** Narrowing within a view, kept in the address (`?priority=&channel=&agent=&team=`) so it survives a reload. */
export interface ListFilters {
  priority?: Priority;
  channel?: ChannelKind;
  /** A user id, or 'none' for unassigned. */
  agent?: string;
  team?: string;
}

export interface ListFilter {
  view: View;
  status: Status | 'all';
  sort: Sort;
  filters?: ListFilters;
}

export const priorityValues: Priority[] = ['urgent', 'high', 'medium', 'low', 'none'];
export const channelValues: ChannelKind[] = ['email', 'widget', 'whatsapp', 'messenger', 'instagram', 'telegram', 'sms', 'voice', 'api'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseFilters(q: URLSearchParams): ListFilters {
  const f: ListFilters = {};
  const priority = q.get('priority');
  if (priority && (priorityValues as string[]).includes(priority)) f.priority = priority as Priority;
  const channel = q.get('channel');
  if (channel && (channelValues as string[]).includes(channel)) f.channel = channel as ChannelKind;
  const agent = q.get('agent');
  if (agent && (agent === 'none' || UUID.test(agent))) f.agent = agent;
  const team = q.get('team');
  if (team && UUID.test(team)) f.team = team;
  return f;
}

/** Which filters a view leaves open: its own criterion is not offered again (Mine has no agent filter). */
export function filtersFor(v: View): (keyof ListFilters)[] {
  return (['priority', 'channel', 'agent', 'team'] as const).filter(
    (k) => !((k === 'agent' && (v.kind === 'mine' || v.kind === 'unassigned')) || (k === 'team' && v.kind === 'teams') || (k === 'channel' && v.kind === 'inbox')),
  );
}

/** The filters that apply in a view (a filter the view does not offer is dropped). */
export function effectiveFilters(v: View, f: ListFilters | undefined): ListFilters {
  const out: ListFilters = {};
  for (const k of filtersFor(v)) if (f?.[k]) (out as Record<string, string>)[k] = f[k]!;
  return out;
}

export interface Viewer {
  userId: string;
  teamIds: string[];
}

/** `/inbox/<segment>`: mine, unassigned, teams, all, inbox-<id>, label-<name>. */
/** localStorage key of the view the agent last looked at: where the app opens next time. */
export const LAST_VIEW_KEY = 'balie.lastView';

export function parseView(segment: string | undefined): View | null {
  if (!segment) return null;
  if (segment === 'mine' || segment === 'unassigned' || segment === 'teams' || segment === 'all') return { kind: segment };
  if (segment.startsWith('inbox-') && segment.length > 6) return { kind: 'inbox', inboxId: segment.slice(6) };
  if (segment.startsWith('label-') && segment.length > 6) return { kind: 'label', label: segment.slice(6) };
  return null;
}

export function viewSegment(v: View): string {
  if (v.kind === 'inbox') return `inbox-${v.inboxId}`;
  if (v.kind === 'label') return `label-${v.label}`;
  return v.kind;
}

export function viewPath(v: View, conversationId?: string, params?: { status?: string; sort?: string; filters?: ListFilters }): string {
  const base = `/inbox/${encodeURIComponent(viewSegment(v))}${conversationId ? `/${conversationId}` : ''}`;
  const q = new URLSearchParams();
  if (params?.status && params.status !== 'open') q.set('status', params.status);
  if (params?.sort && params.sort !== 'newest') q.set('sort', params.sort);
  const f = effectiveFilters(v, params?.filters);
  for (const k of ['priority', 'channel', 'agent', 'team'] as const) if (f[k]) q.set(k, f[k]!);
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

export function parseStatus(s: string | null): Status | 'all' {
  return s === 'pending' || s === 'snoozed' || s === 'resolved' || s === 'closed' || s === 'all' ? s : 'open';
}
export function parseSort(s: string | null): Sort {
  return s === 'oldest' || s === 'waiting' || s === 'priority' || s === 'at_risk' || s === 'speed' ? s : 'newest';
}

/** Query parameters of GET /api/v1/conversations for a filter. */
export function listQuery(f: ListFilter): Record<string, string> {
  const q: Record<string, string> = { status: f.status, sort: f.sort };
  if (f.view.kind === 'mine') q.assigneeId = 'me';
  if (f.view.kind === 'unassigned') q.assigneeId = 'none';
  if (f.view.kind === 'teams') q.teamId = 'mine';
  if (f.view.kind === 'inbox' && f.view.inboxId) q.inboxId = f.view.inboxId;
  if (f.view.kind === 'label' && f.view.label) q.label = f.view.label;
  const extra = effectiveFilters(f.view, f.filters);
  if (extra.priority) q.priority = extra.priority;
  if (extra.channel) q.channel = extra.channel;
  if (extra.agent) q.assigneeId = extra.agent;
  if (extra.team) q.teamId = extra.team;
  return q;
}

export function matches(c: ConversationListItem, f: ListFilter, viewer: Viewer): boolean {
  if (f.status !== 'all' && c.status !== f.status) return false;
  const extra = effectiveFilters(f.view, f.filters);
  if (extra.priority && c.priority !== extra.priority) return false;
  if (extra.channel && c.channel !== extra.channel) return false;
  if (extra.agent && c.assigneeId !== (extra.agent === 'none' ? null : extra.agent)) return false;
  if (extra.team && c.teamId !== extra.team) return false;
  switch (f.view.kind) {
    case 'mine':
      return c.assigneeId === viewer.userId;
    case 'unassigned':
      return c.assigneeId === null;
    case 'teams':
      return c.teamId !== null && viewer.teamIds.includes(c.teamId);
    case 'inbox':
      return c.inboxId === f.view.inboxId;
    case 'label':
      return c.labels.includes(f.view.label ?? '');
    default:
      return true;
  }
}

const PRIORITY_RANK = { none: 0, low: 1, medium: 2, high: 3, urgent: 4 } as const;
const time = (iso: string | null) => (iso ? new Date(iso).getTime() : Infinity);
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The at-risk sort's buckets, as the server computes them: 0 = unanswered and the promise is at risk, will be
 * missed or already was; 1 = unanswered with a promise on track; 2 = everything else.
 */
export function riskBucket(c: Pick<ConversationListItem, 'promise' | 'firstResponseAt'>): number {
  const state = c.promise?.state;
  if (!state || c.firstResponseAt) return 2;
  return state === 'on_track' ? 1 : state === 'kept' ? 2 : 0;
}

/** Whether the row carries the at-risk marker: the promise is in danger and nobody has answered yet. */
export const promiseAtRisk = (c: Pick<ConversationListItem, 'promise' | 'firstResponseAt'>) => riskBucket(c) === 0;

/** The server's sort orders (src/app/conversation-list.ts), as comparators. */
export function comparator(sort: Sort): (a: ConversationListItem, b: ConversationListItem) => number {
  switch (sort) {
    case 'oldest':
      return (a, b) => time(a.lastActivityAt) - time(b.lastActivityAt) || byId(a, b);
    case 'waiting':
      return (a, b) => time(a.waitingSince) - time(b.waitingSince) || byId(a, b);
    case 'at_risk':
      return (a, b) =>
        riskBucket(a) - riskBucket(b) ||
        time(a.promise?.firstResponseDueAt ?? null) - time(b.promise?.firstResponseDueAt ?? null) ||
        time(a.waitingSince) - time(b.waitingSince) ||
        byId(a, b);
    case 'speed':
      return (a, b) => time(a.speed?.dueAt ?? null) - time(b.speed?.dueAt ?? null) || byId(a, b);
    case 'priority':
      return (a, b) => PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] || time(b.lastActivityAt) - time(a.lastActivityAt) || byId(b, a);
    default:
      return (a, b) => time(b.lastActivityAt) - time(a.lastActivityAt) || byId(b, a);
  }
}

export interface ListPage {
  items: ConversationListItem[];
  nextCursor: string | null;
}

/**
 * Puts a changed conversation where it belongs in the loaded pages: removed when it no longer matches,
 * moved to its sorted place when it does. A conversation that sorts after everything loaded is left to the
 * next page fetch (keyset pagination finds it there), so nothing shows twice or out of order.
 */
export function upsertInPages(pages: ListPage[], c: ConversationListItem, f: ListFilter, viewer: Viewer): ListPage[] {
  const without = pages.map((p) => (p.items.some((i) => i.id === c.id) ? { ...p, items: p.items.filter((i) => i.id !== c.id) } : p));
  if (!matches(c, f, viewer)) return without;
  const cmp = comparator(f.sort);
  for (let pi = 0; pi < without.length; pi++) {
    const page = without[pi]!;
    const at = page.items.findIndex((i) => cmp(c, i) < 0);
    if (at >= 0) {
      const items = [...page.items];
      items.splice(at, 0, c);
      return without.map((p, i) => (i === pi ? { ...p, items } : p));
    }
  }
  const last = without[without.length - 1];
  if (!last) return [{ items: [c], nextCursor: null }];
  if (last.nextCursor !== null) return without;
  return without.map((p, i) => (i === without.length - 1 ? { ...p, items: [...p.items, c] } : p));
}

export function removeFromPages(pages: ListPage[], id: string): ListPage[] {
  return pages.map((p) => (p.items.some((i) => i.id === id) ? { ...p, items: p.items.filter((i) => i.id !== id) } : p));
}

export function findInPages(pages: ListPage[], id: string): ConversationListItem | undefined {
  for (const p of pages) {
    const hit = p.items.find((i) => i.id === id);
    if (hit) return hit;
  }
  return undefined;
}
