import { describe, expect, it } from 'vitest';
import { addBusinessMs, alwaysOpen, businessMsBetween, defaultCalendar, isOpen, nextOpening, type BusinessCalendar } from './business-hours';

const H = 3_600_000;
const at = (iso: string) => new Date(iso);

describe('business hours', () => {
  it('counts only open hours on weekdays in Amsterdam time', () => {
    // Monday 2 March 2026, 09:00–17:00 CET = 08:00–16:00 UTC.
    expect(businessMsBetween(defaultCalendar, at('2026-03-02T08:00:00Z'), at('2026-03-02T16:00:00Z'))).toBe(8 * H);
    expect(businessMsBetween(defaultCalendar, at('2026-03-02T06:00:00Z'), at('2026-03-02T10:00:00Z'))).toBe(2 * H);
    expect(isOpen(defaultCalendar, at('2026-03-02T07:59:00Z'))).toBe(false);
    expect(isOpen(defaultCalendar, at('2026-03-02T08:00:00Z'))).toBe(true);
  });

  it('skips the weekend: Friday 16:00 plus two business hours is Monday 10:00', () => {
    const friday = at('2026-03-06T15:00:00Z'); // 16:00 CET
    expect(addBusinessMs(defaultCalendar, friday, 2 * H)?.toISOString()).toBe('2026-03-09T09:00:00.000Z');
    expect(businessMsBetween(defaultCalendar, friday, at('2026-03-09T09:00:00Z'))).toBe(2 * H);
  });

  it('keeps local opening times across the spring DST change', () => {
    // Sunday 29 March 2026 clocks go forward; Monday opens at 09:00 CEST = 07:00 UTC.
    expect(nextOpening(defaultCalendar, at('2026-03-28T12:00:00Z'))?.toISOString()).toBe('2026-03-30T07:00:00.000Z');
    // Friday 27 March 16:00 CET + 2h → Monday 10:00 CEST.
    expect(addBusinessMs(defaultCalendar, at('2026-03-27T15:00:00Z'), 2 * H)?.toISOString()).toBe('2026-03-30T08:00:00.000Z');
  });

  it('counts the 25-hour autumn night correctly for a 24/7 desk in Amsterdam', () => {
    const cal: BusinessCalendar = { ...alwaysOpen, timeZone: 'Europe/Amsterdam' };
    // 24 October 2026 00:00 CEST to 26 October 00:00 CET: 49 real hours.
    expect(businessMsBetween(cal, at('2026-10-23T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(49 * H);
  });

  it('closes on public holidays, including Easter Monday and King’s Day', () => {
    // Thursday 2 April 2026 16:00 CEST + 3h: Friday 3rd open (Good Friday not closed by default), so Fri 11:00.
    expect(addBusinessMs(defaultCalendar, at('2026-04-02T14:00:00Z'), 3 * H)?.toISOString()).toBe('2026-04-03T09:00:00.000Z');
    // Friday 3 April 16:00 + 2h: weekend, Easter Monday 6 April closed → Tuesday 7 April 10:00 CEST.
    expect(addBusinessMs(defaultCalendar, at('2026-04-03T14:00:00Z'), 2 * H)?.toISOString()).toBe('2026-04-07T08:00:00.000Z');
    // Monday 27 April 2026 is King's Day.
    expect(businessMsBetween(defaultCalendar, at('2026-04-26T22:00:00Z'), at('2026-04-27T22:00:00Z'))).toBe(0);
    const noHolidays = { ...defaultCalendar, dutchHolidays: false };
    expect(businessMsBetween(noHolidays, at('2026-04-26T22:00:00Z'), at('2026-04-27T22:00:00Z'))).toBe(8 * H);
  });

  it('honours extra closed dates and split shifts', () => {
    const cal: BusinessCalendar = {
      timeZone: 'Europe/Amsterdam',
      week: [[], [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }], [], [], [], [], []],
      dutchHolidays: false,
      closedDates: ['2026-03-09'],
    };
    expect(businessMsBetween(cal, at('2026-03-02T00:00:00Z'), at('2026-03-03T00:00:00Z'))).toBe(8 * H);
    // Monday 2 March 11:00 CET + 2h: one hour before lunch, one after → 14:00 CET.
    expect(addBusinessMs(cal, at('2026-03-02T10:00:00Z'), 2 * H)?.toISOString()).toBe('2026-03-02T13:00:00.000Z');
    // The next Monday is closed: from Monday 2 March 17:00 the next opening is Monday 16 March.
    expect(nextOpening(cal, at('2026-03-02T16:30:00Z'))?.toISOString()).toBe('2026-03-16T07:00:00.000Z');
  });

  it('gives up instead of looping when a calendar is never open', () => {
    const never: BusinessCalendar = { timeZone: 'UTC', week: [[], [], [], [], [], [], []], dutchHolidays: false };
    expect(addBusinessMs(never, at('2026-03-02T00:00:00Z'), H)).toBeNull();
  });
});
