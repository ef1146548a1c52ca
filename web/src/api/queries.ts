import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery, useQuery, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { api, qs } from './client';
import type {
  ChannelKindInfo,
  Contact,
  Conversation,
  ConversationListItem,
  Message,
  Page,
  SearchResult,
  TimelineItem,
  Workspace,
} from './types';
import { listQuery, type ListFilter } from '../inbox/view';
import { keys } from './query-keys';
import { fromBootstrap } from './bootstrap';

export { keys } from './query-keys';

const longLived = { staleTime: 5 * 60_000 };
/** First load from the bootstrap in flight, refetches from each list's own endpoint (see bootstrap.ts). */
const reference = {
  inboxes: fromBootstrap('inboxes'),
  users: fromBootstrap('users'),
  teams: fromBootstrap('teams'),
  labels: fromBootstrap('labels'),
  preferences: fromBootstrap('preferences'),
  counts: fromBootstrap('counts'),
  notifications: fromBootstrap('notifications'),
};

export const useInboxes = () => useQuery({ queryKey: keys.inboxes, queryFn: reference.inboxes, ...longLived, select: (d) => d.items });
export const useUsers = () => useQuery({ queryKey: keys.users, queryFn: reference.users, staleTime: 60_000, select: (d) => d.items });
export const useTeams = () => useQuery({ queryKey: keys.teams, queryFn: reference.teams, ...longLived, select: (d) => d.items });
export const useLabels = () => useQuery({ queryKey: keys.labels, queryFn: reference.labels, ...longLived, select: (d) => d.items });
export const useWorkspace = () => useQuery({ queryKey: keys.workspace, queryFn: () => api.get<Workspace>('/api/v1/workspace'), ...longLived });
export const usePreferences = () => useQuery({ queryKey: keys.preferences, queryFn: reference.preferences, ...longLived });
export const useCounts = () => useQuery({ queryKey: keys.counts, queryFn: reference.counts, staleTime: 30_000 });
export const useChannelKinds = () =>
  useQuery({ queryKey: keys.channelKinds, queryFn: () => api.get<{ items: ChannelKindInfo[] }>('/api/v1/channel-kinds'), staleTime: Infinity, select: (d) => d.items });

export const useNotifications = () =>
  useQuery({
    queryKey: keys.notifications,
    queryFn: reference.notifications,
    staleTime: 60_000,
  });

/** The first page is small (it decides how soon the inbox shows); an agent who scrolls on gets bigger pages. */
export const PAGE_SIZE = 50;
const NEXT_PAGE_SIZE = 100;

/** The list query of one filter: shared by the list screen and the prefetch at login (api/first-screen.ts). */
export const conversationListOptions = (f: ListFilter) =>
  infiniteQueryOptions({
    queryKey: keys.list(f),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<ConversationListItem>>(`/api/v1/conversations${qs({ ...listQuery(f), limit: pageParam ? NEXT_PAGE_SIZE : PAGE_SIZE, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: Page<ConversationListItem>) => last.nextCursor ?? undefined,
    // The realtime socket keeps lists current; refetching on focus would only reshuffle what the agent sees.
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });

export const useConversationList = (f: ListFilter) => useInfiniteQuery({ ...conversationListOptions(f), placeholderData: keepPreviousData });

/** A conversation as a loaded list page already has it (list rows carry the whole conversation). */
export function conversationFromLists(qc: QueryClient, id: string): Conversation | undefined {
  for (const [, data] of qc.getQueriesData<InfiniteData<Page<ConversationListItem>>>({ queryKey: keys.lists })) {
    for (const page of data?.pages ?? []) {
      const hit = page.items.find((c) => c.id === id);
      if (hit) return hit;
    }
  }
  return undefined;
}

/**
 * One conversation. Opened from the list, the row's copy shows at once (placeholder) while the full record is
 * fetched: the header, composer and message list do not wait a round trip. `isPlaceholderData` tells screens
 * that should wait for the real record (the customer panel, marking as read).
 */
export function useConversation(id: string | undefined) {
  const qc = useQueryClient();
  return useQuery<Conversation>({
    queryKey: keys.conversation(id ?? ''),
    queryFn: ({ signal }) => api.get<Conversation>(`/api/v1/conversations/${id}`, { signal }),
    enabled: !!id,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    placeholderData: () => (id ? conversationFromLists(qc, id) : undefined),
  });
}

/** Messages: the newest page first; older pages are fetched when the agent scrolls up. */
const messagesOptions = (id: string) =>
  infiniteQueryOptions({
    queryKey: keys.messages(id),
    queryFn: ({ pageParam, signal }) => api.get<Page<Message>>(`/api/v1/conversations/${id}/messages${qs({ limit: 50, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: Page<Message>) => last.nextCursor ?? undefined,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

export const useMessages = (id: string | undefined) => useInfiniteQuery({ ...messagesOptions(id ?? ''), enabled: !!id });

/**
 * Starts loading a conversation's newest messages before it is opened — when the pointer rests on its row or
 * presses it (a press takes ~100 ms before it is a click) — so opening it shows them without a round trip.
 * Loaded messages stay current through the realtime events like those of the open conversation.
 */
export function prefetchMessages(qc: QueryClient, id: string) {
  void qc.prefetchInfiniteQuery(messagesOptions(id));
}

export const useContact = (id: string | undefined) =>
  useQuery({ queryKey: keys.contact(id ?? ''), queryFn: () => api.get<Contact>(`/api/v1/contacts/${id}`), enabled: !!id, staleTime: 60_000 });

export function useTimeline(contactId: string | undefined) {
  return useInfiniteQuery({
    queryKey: keys.timeline(contactId ?? ''),
    queryFn: ({ pageParam }) => api.get<Page<TimelineItem>>(`/api/v1/contacts/${contactId}/timeline${qs({ limit: 30, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: !!contactId,
    staleTime: 30_000,
  });
}

export const useSearch = (q: string) =>
  useQuery({
    queryKey: keys.search(q),
    queryFn: ({ signal }) => api.get<SearchResult>(`/api/v1/search${qs({ q, limit: 8 })}`, { signal }),
    enabled: q.trim().length > 0,
    staleTime: 10_000,
    placeholderData: keepPreviousData,
  });

/** Messages of one conversation as a flat, de-duplicated list, oldest first. */
export function flattenMessages(pages: Page<Message>[] | undefined): Message[] {
  if (!pages) return [];
  const seen = new Set<string>();
  const out: Message[] = [];
  for (let i = pages.length - 1; i >= 0; i--) {
    for (const m of pages[i]!.items) {
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      out.push(m);
    }
  }
  return out;
}

export function invalidateAll(qc: QueryClient) {
  void qc.invalidateQueries();
}
