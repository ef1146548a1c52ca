import { describe, expect, it } from 'vitest';
import type { ConversationListItem } from '../api/types';
import { listQuery, matches, parseFilters, viewPath, type ListFilter } from './view';

const viewer = { userId: 'me', teamIds: ['team-a'] };
const A = '11111111-1111-4111-8111-111111111111';
const T = '22222222-2222-4222-8222-222222222222';
const item = (over: Partial<ConversationListItem>) => ({ status: 'open', priority: 'none', channel: 'api', assigneeId: null, teamId: null, labels: [], inboxId: 'i', ...over }) as ConversationListItem;

describe('list filters', () => {
  it('round-trips through the address and ignores what is not a filter value', () => {
    const path = viewPath({ kind: 'all' }, undefined, { status: 'open', sort: 'newest', filters: { priority: 'urgent', channel: 'email', agent: A, team: T } });
    expect(path).toBe(`/inbox/all?priority=urgent&channel=email&agent=${A}&team=${T}`);
    expect(parseFilters(new URL(path, 'http://x').searchParams)).toEqual({ priority: 'urgent', channel: 'email', agent: A, team: T });
    expect(parseFilters(new URLSearchParams('priority=huge&channel=fax&agent=x%27&team=none'))).toEqual({});
  });

  it('drops the filter a view already decides (Mine has no agent filter, an inbox no channel filter)', () => {
    expect(viewPath({ kind: 'mine' }, undefined, { filters: { agent: A, priority: 'high' } })).toBe('/inbox/mine?priority=high');
    expect(viewPath({ kind: 'inbox', inboxId: 'x' }, undefined, { filters: { channel: 'sms' } })).toBe('/inbox/inbox-x');
    expect(listQuery({ view: { kind: 'teams' }, status: 'open', sort: 'newest', filters: { team: T, agent: 'none' } })).toEqual({ status: 'open', sort: 'newest', teamId: 'mine', assigneeId: 'none' });
  });

  it('decides for a live conversation whether it belongs in a filtered list', () => {
    const f: ListFilter = { view: { kind: 'all' }, status: 'open', sort: 'newest', filters: { priority: 'urgent', channel: 'email', agent: A, team: T } };
    const fits = item({ priority: 'urgent', channel: 'email', assigneeId: A, teamId: T });
    expect(matches(fits, f, viewer)).toBe(true);
    for (const miss of [{ priority: 'high' }, { channel: 'api' }, { assigneeId: null }, { teamId: null }] as const) expect(matches({ ...fits, ...miss }, f, viewer), JSON.stringify(miss)).toBe(false);
    const unassigned: ListFilter = { ...f, filters: { agent: 'none' } };
    expect(matches(item({}), unassigned, viewer)).toBe(true);
    expect(matches(item({ assigneeId: A }), unassigned, viewer)).toBe(false);
  });
});
