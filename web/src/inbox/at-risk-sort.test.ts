import { describe, expect, it } from 'vitest';
import type { ConversationListItem } from '../api/types';
import { comparator, parseSort, promiseAtRisk, riskBucket, upsertInPages } from './view';

/** The client's copy of the server's at-risk sort, which places live updates (src/app/conversation-list.ts). */
let seq = 0;
function conv(promise: ConversationListItem['promise'], over: Partial<ConversationListItem> = {}): ConversationListItem {
  seq++;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    number: seq,
    inboxId: 'inbox-1',
    channel: 'api',
    contact: { id: 'c', name: 'Klant', email: null, phone: null, avatarUrl: null },
    status: 'open',
    snoozedUntil: null,
    priority: 'none',
    assigneeId: null,
    teamId: null,
    subject: null,
    labels: [],
    customAttributes: {},
    previousConversationId: null,
    messageCount: 1,
    preview: '',
    lastMessageAt: null,
    lastInboundAt: null,
    lastActivityAt: '2026-01-01T12:00:00.000Z',
    waitingSince: '2026-01-01T11:00:00.000Z',
    firstResponseAt: null,
    resolvedAt: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    unread: false,
    promise,
    ...over,
  };
}
const p = (state: NonNullable<ConversationListItem['promise']>['state'], due: string) => ({ state, firstResponseDueAt: `2026-01-01T${due}:00.000Z`, atRisk: false });

describe('at-risk sort', () => {
  it('orders promises in danger first by due time, then on-track promises, then the rest', () => {
    const none = conv(null);
    const onTrack = conv(p('on_track', '13:00'));
    const atRisk = conv(p('at_risk', '12:30'));
    const willMiss = conv(p('will_miss', '12:10'));
    const missed = conv(p('missed', '11:50'));
    const answered = conv(p('at_risk', '12:00'), { firstResponseAt: '2026-01-01T11:30:00.000Z' });
    const sorted = [none, answered, onTrack, atRisk, missed, willMiss].sort(comparator('at_risk'));
    expect(sorted.map((c) => c.number)).toEqual([missed, willMiss, atRisk, onTrack, answered, none].map((c) => c.number));
  });

  it('marks a row only while nobody answered and the promise is in danger', () => {
    expect(promiseAtRisk(conv(p('will_miss', '12:00')))).toBe(true);
    expect(promiseAtRisk(conv(p('on_track', '12:00')))).toBe(false);
    expect(promiseAtRisk(conv(p('kept', '12:00')))).toBe(false);
    expect(promiseAtRisk(conv(p('missed', '12:00'), { firstResponseAt: '2026-01-01T12:05:00.000Z' }))).toBe(false);
    expect(promiseAtRisk(conv(undefined))).toBe(false);
    expect(riskBucket(conv(p('kept', '12:00')))).toBe(2);
  });

  it('moves a conversation whose promise turns at risk ahead in a loaded list', () => {
    const first = conv(p('at_risk', '12:30'));
    const second = conv(p('on_track', '12:20'));
    const filter = { view: { kind: 'all' as const }, status: 'open' as const, sort: 'at_risk' as const };
    const pages = [{ items: [first, second], nextCursor: null }];
    const moved = upsertInPages(pages, { ...second, promise: p('at_risk', '12:20') }, filter, { userId: 'me', teamIds: [] });
    expect(moved[0]!.items.map((c) => c.number)).toEqual([second.number, first.number]);
  });

  it('is a sort the URL can name', () => {
    expect(parseSort('at_risk')).toBe('at_risk');
  });
});
