import { describe, expect, it } from 'vitest';
import { listSpeed } from './speed-targets';

const since = new Date('2026-03-16T08:00:00Z');
const at = (min: number) => new Date(since.getTime() + min * 60_000);

describe('list speed against the channel target', () => {
  it('counts from waiting-since with the channel target or the workspace override', () => {
    expect(listSpeed({ status: 'open', waitingSince: since }, 'messenger', {}, at(5))).toEqual({ targetMinutes: 18, dueAt: at(18), state: 'ok' });
    expect(listSpeed({ status: 'open', waitingSince: since }, 'messenger', { messenger: 10 }, at(8))).toMatchObject({ targetMinutes: 10, state: 'warning' });
    expect(listSpeed({ status: 'open', waitingSince: since }, 'widget', {}, at(3))).toMatchObject({ state: 'breached' });
    expect(listSpeed({ status: 'open', waitingSince: since }, 'email', {}, at(100))).toMatchObject({ targetMinutes: 240, state: 'ok' });
  });

  it('has no target while nobody waits for us', () => {
    expect(listSpeed({ status: 'open', waitingSince: null }, 'widget', {}, at(1))).toBeNull();
    expect(listSpeed({ status: 'pending', waitingSince: since }, 'widget', {}, at(1))).toBeNull();
    expect(listSpeed({ status: 'resolved', waitingSince: since }, 'widget', {}, at(1))).toBeNull();
  });
});
