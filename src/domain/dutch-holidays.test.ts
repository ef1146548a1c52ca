import { describe, expect, it } from 'vitest';
import { dutchHolidays, easterSunday, kingsDay } from './dutch-holidays';

describe('Dutch public holidays', () => {
  it('computes Easter for known years', () => {
    expect(easterSunday(2024)).toEqual([3, 31]);
    expect(easterSunday(2025)).toEqual([4, 20]);
    expect(easterSunday(2026)).toEqual([4, 5]);
    expect(easterSunday(2027)).toEqual([3, 28]);
    expect(easterSunday(2038)).toEqual([4, 25]);
  });

  it('derives Ascension and Whit Monday from Easter', () => {
    const days = dutchHolidays(2026).map((h) => `${h.date} ${h.nl}`);
    expect(days).toContain('2026-04-06 Tweede Paasdag');
    expect(days).toContain('2026-05-14 Hemelvaartsdag');
    expect(days).toContain('2026-05-25 Tweede Pinksterdag');
    expect(days).toContain('2026-12-26 Tweede Kerstdag');
  });

  it("moves King's Day to Saturday when 27 April is a Sunday, and knows Queen's Day before 2014", () => {
    expect(kingsDay(2025)).toBe('2025-04-26'); // 27 April 2025 is a Sunday
    expect(kingsDay(2026)).toBe('2026-04-27');
    expect(kingsDay(2013)).toBe('2013-04-30');
    expect(kingsDay(2006)).toBe('2006-04-29'); // 30 April 2006 was a Sunday
  });

  it('includes Liberation Day every five years by default and Good Friday only when asked', () => {
    expect(dutchHolidays(2025).some((h) => h.date === '2025-05-05')).toBe(true);
    expect(dutchHolidays(2026).some((h) => h.date === '2026-05-05')).toBe(false);
    expect(dutchHolidays(2026, { liberationDay: 'always' }).some((h) => h.date === '2026-05-05')).toBe(true);
    expect(dutchHolidays(2026).some((h) => h.nl === 'Goede Vrijdag')).toBe(false);
    expect(dutchHolidays(2026, { goodFriday: true }).find((h) => h.nl === 'Goede Vrijdag')?.date).toBe('2026-04-03');
  });
});
