import { describe, expect, it } from 'vitest';
import { timeLeft } from './time-left';

const now = new Date('2026-03-02T10:00:00Z');
const at = (min: number) => new Date(now.getTime() + min * 60_000).toISOString();

describe('time left on a promise', () => {
  it('counts minutes under an hour, hours and minutes under two, then hours and days', () => {
    expect(timeLeft(at(25), now, 'en')).toEqual({ overdue: false, text: '25 mins' });
    expect(timeLeft(at(80), now, 'en').text).toBe('1 hr 20 mins');
    expect(timeLeft(at(5 * 60 + 10), now, 'en').text).toBe('5 hrs');
    expect(timeLeft(at(3 * 1440 + 60), now, 'en').text).toBe('3 days');
  });

  it('says how late a promise already is', () => {
    expect(timeLeft(at(-30), now, 'nl')).toEqual({ overdue: true, text: '30 min' });
  });

  it('never says zero minutes', () => {
    expect(timeLeft(at(0.2), now, 'nl').text).toBe('1 min');
  });

  it('writes Dutch units', () => {
    expect(timeLeft(at(3 * 60), now, 'nl').text).toBe('3 uur');
  });
});
