import { describe, expect, it } from 'vitest';
import { listQuery } from '../inbox/view';
import { firstListFilter } from './first-screen';

const query = (pathname: string, search = '', last: string | null = null) => {
  const f = firstListFilter(pathname, search, last);
  return f ? listQuery(f) : null;
};

describe('the first screen’s list, asked for at login', () => {
  it('is Mine, open, newest from the login page when no view was used before', () => {
    expect(query('/login')).toEqual({ status: 'open', sort: 'newest', assigneeId: 'me' });
    expect(query('/')).toEqual({ status: 'open', sort: 'newest', assigneeId: 'me' });
  });
  it('is Mine after logging in, and the view the agent last used when the app opens at /', () => {
    expect(query('/login', '', 'unassigned')).toEqual({ status: 'open', sort: 'newest', assigneeId: 'me' });
    expect(query('/', '', 'unassigned')).toEqual({ status: 'open', sort: 'newest', assigneeId: 'none' });
    expect(query('/', '', 'inbox-0190a1b2-0000-7000-8000-000000000001')).toEqual({ status: 'open', sort: 'newest', inboxId: '0190a1b2-0000-7000-8000-000000000001' });
  });
  it('follows the inbox address being opened, with its status, sort and filters (the same key the list screen uses)', () => {
    expect(query('/inbox/all/0190a1b2-0000-7000-8000-000000000009', '?status=pending&sort=waiting&priority=high', 'mine')).toEqual({ status: 'pending', sort: 'waiting', priority: 'high' });
    expect(query('/inbox/label-retour', '')).toEqual({ status: 'open', sort: 'newest', label: 'retour' });
  });
  it('falls back to Mine for an unknown view, and asks nothing for screens that are not an inbox', () => {
    expect(query('/', '', 'nonsense')).toEqual({ status: 'open', sort: 'newest', assigneeId: 'me' });
    expect(query('/settings/inboxes')).toBeNull();
    expect(query('/contacts/0190a1b2-0000-7000-8000-000000000001')).toBeNull();
  });
});
