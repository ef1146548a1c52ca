import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { liveSpeed, speedSettingsKey, speedStateAt } from './speed';
import { comparator, parseSort } from './view';
import type { ConversationListItem } from '../api/types';

const now = Date.parse('2026-03-16T08:10:00Z');
const due = (minFromNow: number) => new Date(now + minFromNow * 60_000).toISOString();

describe('speed markers in the inbox list', () => {
  it('moves from on time to at risk to breached as the clock runs', () => {
    const speed = { targetMinutes: 20, dueAt: due(10) };
    expect(speedStateAt(speed, now)).toBe('ok');
    expect(speedStateAt(speed, now + 5 * 60_000)).toBe('warning');
    expect(speedStateAt(speed, now + 10 * 60_000)).toBe('breached');
  });

  it('recomputes a pushed conversation with the workspace targets', () => {
    const qc = new QueryClient();
    const conv = { status: 'open' as const, waitingSince: '2026-03-16T08:00:00.000Z', channel: 'whatsapp' as const };
    expect(liveSpeed(qc, conv, null)).toMatchObject({ targetMinutes: 18, dueAt: '2026-03-16T08:18:00.000Z' });
    qc.setQueryData(speedSettingsKey, { speedTargets: { whatsapp: 5 } });
    expect(liveSpeed(qc, conv, null)).toMatchObject({ targetMinutes: 5, dueAt: '2026-03-16T08:05:00.000Z', state: 'breached' });
    expect(liveSpeed(qc, { ...conv, status: 'pending' }, null)).toBeNull();
    expect(liveSpeed(qc, { ...conv, waitingSince: null }, null)).toBeNull();
  });

  it('sorts soonest due first, conversations without a target last', () => {
    const item = (id: string, minutes: number | null) => ({ id, speed: minutes === null ? null : { targetMinutes: 20, dueAt: due(minutes), state: 'ok' } }) as unknown as ConversationListItem;
    const sorted = [item('c', 5), item('d', null), item('a', -3), item('b', 1)].sort(comparator('speed'));
    expect(sorted.map((i) => i.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(parseSort('speed')).toBe('speed');
  });
});
