import { describe, expect, it } from 'vitest';
import { formatDateValue, invalidDateValue, parseDateValue, variableText } from './incident-variables';

const ctx = { timeZone: 'Europe/Amsterdam', now: new Date('2026-12-02T09:00:00Z') };

describe('incident variables per language', () => {
  it('writes a local date and time out in Dutch and English', () => {
    expect(formatDateValue('2026-12-04T18:00', 'nl', ctx)).toBe('vrijdag 4 december om 18:00');
    expect(formatDateValue('2026-12-04T18:00', 'en', ctx)).toBe('Friday 4 December at 18:00');
    expect(formatDateValue('2026-12-04T08:05:00', 'nl', ctx)).toBe('vrijdag 4 december om 08:05');
  });

  it('writes a date without a time, and adds the year only when it is not this year', () => {
    expect(formatDateValue('2026-12-07', 'nl', ctx)).toBe('maandag 7 december');
    expect(formatDateValue('2026-12-07', 'en', ctx)).toBe('Monday 7 December');
    expect(formatDateValue('2027-01-05T09:00', 'nl', ctx)).toBe('dinsdag 5 januari 2027 om 09:00');
    expect(formatDateValue('2027-01-05T09:00', 'en', ctx)).toBe('Tuesday 5 January 2027 at 09:00');
  });

  it('shows an instant with an offset on the workspace clock, across DST', () => {
    expect(formatDateValue('2026-12-04T17:00:00Z', 'nl', ctx)).toBe('vrijdag 4 december om 18:00');
    expect(formatDateValue('2026-07-03T16:00:00Z', 'en', ctx)).toBe('Friday 3 July at 18:00');
    expect(formatDateValue('2026-12-04T18:00:00+01:00', 'en', { ...ctx, timeZone: 'Europe/London' })).toBe('Friday 4 December at 17:00');
  });

  it('leaves text alone and picks the text of the language', () => {
    expect(variableText('Utrecht-Oost', 'en', ctx)).toBe('Utrecht-Oost');
    expect(variableText({ nl: 'binnen 2 uur', en: 'within 2 hours' }, 'en', ctx)).toBe('within 2 hours');
    expect(variableText({ nl: 'binnen 2 uur', en: '  ' }, 'en', ctx)).toBe('binnen 2 uur');
    expect(variableText({ nl: '2026-12-04T18:00' }, 'en', ctx)).toBe('Friday 4 December at 18:00');
    expect(variableText('vrijdag 18:00', 'nl', ctx)).toBe('vrijdag 18:00');
  });

  it('recognizes dates that do not exist', () => {
    expect(parseDateValue('2026-02-30', ctx.timeZone)).toBeNull();
    expect(parseDateValue('2026-12-04T25:00', ctx.timeZone)).toBeNull();
    expect(invalidDateValue('2026-02-30T10:00')).toBe(true);
    expect(invalidDateValue('2026-12-04T18:00')).toBe(false);
    expect(invalidDateValue('vrijdag 18:00')).toBe(false);
  });
});
