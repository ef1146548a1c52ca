import { describe, expect, it } from 'vitest';
import type { ConversationListItem } from '../api/types';
import { comparator, listQuery, matches, parseView, upsertInPages, viewPath, type ListFilter, type ListPage } from './view';

const viewer = { userId: 'me', teamIds: ['team-a'] };
let seq = 0;
function conv(over: Partial<ConversationListItem> = {}): ConversationListItem {
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
    lastActivityAt: new Date(Date.UTC(2026, 0, 1, 12, seq)).toISOString(),
    waitingSince: null,
    firstResponseAt: null,
    resolvedAt: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    unread: false,
    ...over,
  };
}
const f = (over: Partial<ListFilter> = {}): ListFilter => ({ view: { kind: 'all' }, status: 'open', sort: 'newest', ...over });
const ids = (pages: ListPage[]) => pages.flatMap((p) => p.items.map((i) => i.number));

describe('views', () => {
  it('parses and builds view paths', () => {
    expect(parseView('mine')).toEqual({ kind: 'mine' });
    expect(parseView('inbox-abc')).toEqual({ kind: 'inbox', inboxId: 'abc' });
    expect(parseView('label-storing')).toEqual({ kind: 'label', label: 'storing' });
    expect(parseView('inbox-')).toBeNull();
    expect(parseView('nonsense')).toBeNull();
    expect(viewPath({ kind: 'label', label: 'a b' }, 'id1', { status: 'pending', sort: 'waiting' })).toBe('/inbox/label-a%20b/id1?status=pending&sort=waiting');
    expect(listQuery(f({ view: { kind: 'teams' } }))).toEqual({ status: 'open', sort: 'newest', teamId: 'mine' });
  });

  it('decides membership like the server does', () => {
    expect(matches(conv({ assigneeId: 'me' }), f({ view: { kind: 'mine' } }), viewer)).toBe(true);
    expect(matches(conv({ assigneeId: 'other' }), f({ view: { kind: 'mine' } }), viewer)).toBe(false);
    expect(matches(conv({ teamId: 'team-a' }), f({ view: { kind: 'teams' } }), viewer)).toBe(true);
    expect(matches(conv({ teamId: 'team-b' }), f({ view: { kind: 'teams' } }), viewer)).toBe(false);
    expect(matches(conv({ labels: ['storing'] }), f({ view: { kind: 'label', label: 'storing' } }), viewer)).toBe(true);
    expect(matches(conv({ status: 'resolved' }), f(), viewer)).toBe(false);
    expect(matches(conv({ status: 'resolved' }), f({ status: 'all' }), viewer)).toBe(true);
  });

  it('sorts waiting conversations with the longest wait first and never-waiting last', () => {
    const a = conv({ waitingSince: '2026-01-01T10:00:00.000Z' });
    const b = conv({ waitingSince: '2026-01-01T09:00:00.000Z' });
    const c = conv({ waitingSince: null });
    expect([a, c, b].sort(comparator('waiting')).map((x) => x.number)).toEqual([b.number, a.number, c.number]);
    const u = conv({ priority: 'urgent' });
    const l = conv({ priority: 'low' });
    expect([l, u].sort(comparator('priority'))[0]).toBe(u);
  });
});

describe('upsertInPages', () => {
  const one = conv();
  const two = conv();
  const three = conv();
  // newest first: three, two, one
  const pages: ListPage[] = [{ items: [three, two], nextCursor: 'c1' }, { items: [one], nextCursor: null }];

  it('moves an updated conversation to the top', () => {
    const bumped = { ...one, lastActivityAt: '2026-02-01T00:00:00.000Z' };
    expect(ids(upsertInPages(pages, bumped, f(), viewer))).toEqual([one.number, three.number, two.number]);
  });

  it('removes a conversation that no longer matches', () => {
    expect(ids(upsertInPages(pages, { ...two, status: 'resolved' }, f(), viewer))).toEqual([three.number, one.number]);
  });

  it('adds a new conversation in order, but not beyond the loaded range', () => {
    const newest = conv();
    expect(ids(upsertInPages(pages, newest, f(), viewer))[0]).toBe(newest.number);
    const old = conv({ lastActivityAt: '2025-01-01T00:00:00.000Z' });
    expect(ids(upsertInPages(pages, old, f(), viewer))).toContain(old.number);
    const morePages: ListPage[] = [{ items: [three, two], nextCursor: 'c1' }];
    expect(ids(upsertInPages(morePages, old, f(), viewer))).toEqual([three.number, two.number]);
  });

  it('replaces in place without duplicating', () => {
    const renamed = { ...three, preview: 'nieuw' };
    const out = upsertInPages(pages, renamed, f(), viewer);
    expect(ids(out)).toEqual([three.number, two.number, one.number]);
    expect(out[0]!.items[0]!.preview).toBe('nieuw');
  });
});
