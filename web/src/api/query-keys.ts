import { listQuery, type ListFilter } from '../inbox/view';

/** Query keys in one place, so live updates and mutations invalidate exactly what they change. */
export const keys = {
  inboxes: ['inboxes'] as const,
  users: ['users'] as const,
  teams: ['teams'] as const,
  labels: ['labels'] as const,
  counts: ['counts'] as const,
  workspace: ['workspace'] as const,
  preferences: ['preferences'] as const,
  notifications: ['notifications'] as const,
  channelKinds: ['channel-kinds'] as const,
  lists: ['conversations'] as const,
  list: (f: ListFilter) => ['conversations', listQuery(f)] as const,
  conversation: (id: string) => ['conversation', id] as const,
  messages: (id: string) => ['messages', id] as const,
  contact: (id: string) => ['contact', id] as const,
  timeline: (id: string) => ['timeline', id] as const,
  search: (q: string) => ['search', q] as const,
};
