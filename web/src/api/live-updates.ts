import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { keys } from './queries';
import { certaintyKey } from '../certainty/promise-badge';
import type { Conversation, ConversationListItem, DomainEvent, ListPromise, Message, Page } from './types';
import { liveSpeed } from '../inbox/speed';
import { findInPages, promiseAtRisk, removeFromPages, upsertInPages, type ListFilter, type ListPage, type Viewer } from '../inbox/view';

/**
 * Applies realtime events to the query cache: lists, the open conversation and its messages change in place,
 * so the inbox is live without refetching. What cannot be patched (a merge moved conversations) is refetched.
 */
export interface LiveContext {
  viewer: Viewer;
  /** The conversation on screen: new inbound messages there are read, not unread. */
  openConversationId: string | null;
}

type ListData = InfiniteData<ListPage, string | undefined>;

const refreshTimers = new Map<string, ReturnType<typeof setTimeout>>();
/**
 * Many reasons to refetch one query within a moment (a burst of events, a read marker after a new message) make
 * one request, not one per reason.
 */
export function refreshSoon(qc: QueryClient, queryKey: readonly unknown[], delayMs = 700) {
  const k = JSON.stringify(queryKey);
  if (refreshTimers.has(k)) return;
  refreshTimers.set(
    k,
    setTimeout(() => {
      refreshTimers.delete(k);
      void qc.invalidateQueries({ queryKey });
    }, delayMs),
  );
}
type MessageData = InfiniteData<Page<Message>, string | undefined>;

export function applyConversation(qc: QueryClient, conv: Conversation, ctx: LiveContext, unread?: boolean) {
  qc.setQueryData<Conversation>(keys.conversation(conv.id), (old) => (old && old.updatedAt > conv.updatedAt ? old : conv));
  for (const [key, data] of qc.getQueriesData<ListData>({ queryKey: keys.lists })) {
    if (!data) continue;
    const filter = filterFromKey(key);
    if (!filter) continue;
    const previous = findInPages(data.pages, conv.id);
    if (previous && previous.updatedAt > conv.updatedAt) continue;
    const item: ConversationListItem = {
      ...conv,
      unread: conv.id === ctx.openConversationId ? false : (unread ?? previous?.unread ?? !!conv.lastInboundAt),
      // Conversation events do not carry the promise; the list keeps the one it knows.
      promise: previous?.promise ?? null,
      // Nor the speed target: recomputed from the new waiting time (a customer who wrote again, an agent's answer).
      speed: liveSpeed(qc, conv, previous?.speed),
    };
    qc.setQueryData<ListData>(key, { ...data, pages: upsertInPages(data.pages, item, filter, ctx.viewer) });
  }
}

/** A list query's key holds its API parameters; turn them back into the filter for matching. */
function filterFromKey(key: readonly unknown[]): ListFilter | null {
  const q = key[1] as Record<string, string> | undefined;
  if (!q) return null;
  const view: ListFilter['view'] = q.inboxId
    ? { kind: 'inbox', inboxId: q.inboxId }
    : q.label
      ? { kind: 'label', label: q.label }
      : q.assigneeId === 'me'
        ? { kind: 'mine' }
        : q.assigneeId === 'none'
          ? { kind: 'unassigned' }
          : q.teamId === 'mine'
            ? { kind: 'teams' }
            : { kind: 'all' };
  // What the view did not consume of assignee and team came from the filters.
  const filters: NonNullable<ListFilter['filters']> = {};
  if (q.priority) filters.priority = q.priority as NonNullable<ListFilter['filters']>['priority'];
  if (q.channel) filters.channel = q.channel as NonNullable<ListFilter['filters']>['channel'];
  if (q.assigneeId && view.kind !== 'mine' && view.kind !== 'unassigned') filters.agent = q.assigneeId;
  if (q.teamId && view.kind !== 'teams') filters.team = q.teamId;
  return { view, status: q.status as ListFilter['status'], sort: q.sort as ListFilter['sort'], filters };
}

/**
 * A promise moved (on track → at risk → will be missed, or kept): the row's marker changes and, in the at-risk
 * sort, the row moves to its new place. Lists that do not hold the conversation are left alone.
 */
export function applyPromise(qc: QueryClient, conversationId: string, promise: { state: ListPromise['state']; firstResponseDueAt: string }, ctx: LiveContext) {
  for (const [key, data] of qc.getQueriesData<ListData>({ queryKey: keys.lists })) {
    if (!data) continue;
    const filter = filterFromKey(key);
    const previous = findInPages(data.pages, conversationId);
    if (!filter || !previous) continue;
    const item: ConversationListItem = {
      ...previous,
      promise: { state: promise.state, firstResponseDueAt: promise.firstResponseDueAt, atRisk: false },
    };
    item.promise!.atRisk = promiseAtRisk(item);
    qc.setQueryData<ListData>(key, { ...data, pages: upsertInPages(data.pages, item, filter, ctx.viewer) });
  }
}

export function setListUnread(qc: QueryClient, conversationId: string, unread: boolean) {
  for (const [key, data] of qc.getQueriesData<ListData>({ queryKey: keys.lists })) {
    if (!data || !findInPages(data.pages, conversationId)) continue;
    qc.setQueryData<ListData>(key, {
      ...data,
      pages: data.pages.map((p) => ({ ...p, items: p.items.map((i) => (i.id === conversationId ? { ...i, unread } : i)) })),
    });
  }
}

export function removeFromLists(qc: QueryClient, conversationId: string) {
  for (const [key, data] of qc.getQueriesData<ListData>({ queryKey: keys.lists })) {
    if (data) qc.setQueryData<ListData>(key, { ...data, pages: removeFromPages(data.pages, conversationId) });
  }
}

export function applyMessage(qc: QueryClient, message: Message) {
  qc.setQueryData<MessageData>(keys.messages(message.conversationId), (data) => {
    if (!data) return data;
    let found = false;
    const pages = data.pages.map((p) => {
      if (!p.items.some((m) => m.id === message.id)) return p;
      found = true;
      return { ...p, items: p.items.map((m) => (m.id === message.id && m.updatedAt <= message.updatedAt ? message : m)) };
    });
    if (found) return { ...data, pages };
    // New messages belong at the end of the newest page (pages[0]).
    const [first, ...rest] = data.pages;
    return { ...data, pages: [{ ...first!, items: [...first!.items, message] }, ...rest] };
  });
}

export interface LiveHooks {
  onNotification(data: Record<string, unknown>): void;
  onNewConversation(conv: Conversation): void;
  onCountsChanged(): void;
  onInboundInOpenConversation(conversationId: string): void;
}

export function applyEvent(qc: QueryClient, event: DomainEvent, ctx: LiveContext, hooks: LiveHooks) {
  const d = event.data;
  const conv = d.conversation as Conversation | undefined;
  switch (event.type) {
    case 'conversation.created':
      if (conv) {
        applyConversation(qc, conv, ctx, !!conv.lastInboundAt);
        hooks.onNewConversation(conv);
      }
      hooks.onCountsChanged();
      break;
    case 'conversation.updated':
    case 'conversation.status_changed':
      if (conv) applyConversation(qc, conv, ctx);
      else {
        const id = d.conversationId as string | undefined;
        if (id) void qc.invalidateQueries({ queryKey: keys.conversation(id) });
        void qc.invalidateQueries({ queryKey: keys.lists });
      }
      hooks.onCountsChanged();
      break;
    case 'message.created': {
      const message = d.message as Message;
      applyMessage(qc, message);
      const inbound = message.direction === 'inbound';
      if (conv) applyConversation(qc, conv, ctx, inbound ? message.conversationId !== ctx.openConversationId : undefined);
      if (inbound && message.conversationId === ctx.openConversationId) hooks.onInboundInOpenConversation(message.conversationId);
      if (conv?.contact.id) void qc.invalidateQueries({ queryKey: keys.timeline(conv.contact.id) });
      if (inbound) hooks.onCountsChanged();
      break;
    }
    case 'message.updated':
      applyMessage(qc, d.message as Message);
      break;
    case 'contact.updated':
    case 'contact.created': {
      const contact = d.contact as { id: string } | undefined;
      if (contact) void qc.invalidateQueries({ queryKey: keys.contact(contact.id) });
      break;
    }
    case 'contact.merged': {
      const contact = d.contact as { id: string };
      void qc.invalidateQueries({ queryKey: keys.contact(contact.id) });
      void qc.invalidateQueries({ queryKey: keys.contact(d.mergedContactId as string) });
      void qc.invalidateQueries({ queryKey: keys.timeline(contact.id) });
      for (const id of (d.movedConversationIds as string[] | undefined) ?? []) void qc.invalidateQueries({ queryKey: keys.conversation(id) });
      void qc.invalidateQueries({ queryKey: keys.lists });
      break;
    }
    case 'promise.changed': {
      const id = d.conversationId as string | undefined;
      const promise = d.promise as { state: ListPromise['state']; firstResponseDueAt: string } | undefined;
      if (id && promise) applyPromise(qc, id, promise, ctx);
      if (id) void qc.invalidateQueries({ queryKey: certaintyKey(id) });
      break;
    }
    case 'incident.changed':
      // Incident declared, updated, resolved, or a broadcast finished: the incidents page and the badges refresh.
      void qc.invalidateQueries({ queryKey: ['incidents'] });
      if (typeof d.broadcastId === 'string') void qc.invalidateQueries({ queryKey: ['incident-delivery', d.broadcastId] });
      void qc.invalidateQueries({ queryKey: ['certainty'] });
      break;
    case 'incident.broadcast_progress': {
      // One event per inbox and batch of a broadcast (not per message): the progress bars move, and the
      // conversations it touched that are on screen show the new notice and its delivery state.
      const incident = d.incident as { id?: string; broadcastId?: string } | null;
      if (incident?.broadcastId) void qc.invalidateQueries({ queryKey: ['incident-delivery', incident.broadcastId] });
      if (d.phase === 'queued') void qc.invalidateQueries({ queryKey: ['incidents'] });
      for (const id of (d.conversationIds as string[] | undefined) ?? []) {
        if (qc.getQueryData(keys.messages(id))) void qc.invalidateQueries({ queryKey: keys.messages(id) });
        if (qc.getQueryData(keys.conversation(id))) void qc.invalidateQueries({ queryKey: keys.conversation(id) });
      }
      if (d.phase === 'queued') {
        void qc.invalidateQueries({ queryKey: keys.lists });
        hooks.onCountsChanged();
      }
      break;
    }
    case 'notification.created':
      void qc.invalidateQueries({ queryKey: keys.notifications });
      hooks.onNotification(d);
      break;
    case 'access.changed':
    case 'inbox.updated':
      void qc.invalidateQueries({ queryKey: keys.inboxes });
      void qc.invalidateQueries({ queryKey: keys.users });
      void qc.invalidateQueries({ queryKey: keys.teams });
      void qc.invalidateQueries({ queryKey: keys.lists });
      hooks.onCountsChanged();
      break;
    default:
      break;
  }
}
