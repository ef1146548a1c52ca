import { describe, expect, it } from 'vitest';
import { formatDeadline, newTimeText, promiseText } from './promise-text';

const tz = 'Europe/Amsterdam';
const now = new Date('2026-03-16T08:00:00Z'); // Monday 09:00 CET

describe('promise text', () => {
  it('names a concrete day and time in Dutch and English', () => {
    expect(formatDeadline(new Date('2026-03-16T14:00:00Z'), now, tz, 'nl')).toBe('vandaag vóór 15:00');
    expect(formatDeadline(new Date('2026-03-17T10:00:00Z'), now, tz, 'nl')).toBe('morgen vóór 11:00');
    expect(formatDeadline(new Date('2026-03-19T15:30:00Z'), now, tz, 'nl')).toBe('donderdag 19 maart vóór 16:30');
    expect(formatDeadline(new Date('2026-03-19T15:30:00Z'), now, tz, 'en')).toBe('before 16:30 on Thursday 19 March');
  });

  it('is personal, never the lazy "being processed" line', () => {
    const nl = promiseText({ locale: 'nl', timeZone: tz, now, firstResponseDueAt: new Date('2026-03-16T14:00:00Z'), customerName: 'Jan de Vries' });
    expect(nl).toBe('Dank je wel, Jan. Een collega leest je bericht en je hoort vandaag vóór 15:00 persoonlijk van ons.');
    const en = promiseText({ locale: 'en', timeZone: tz, now, firstResponseDueAt: new Date('2026-03-17T10:00:00Z') });
    expect(en).toContain('you will hear from us personally before 11:00 tomorrow');
    expect(`${nl} ${en}`).not.toMatch(/in behandeling|being processed/i);
  });

  it('includes the configured explanation and alternative for a slow case type, and the status link', () => {
    const text = promiseText({
      locale: 'nl',
      timeZone: tz,
      now,
      firstResponseDueAt: new Date('2026-03-16T14:00:00Z'),
      label: 'kabelbreuk',
      notes: {
        kabelbreuk: {
          nl: { explanation: 'Vaak moeten we de kabel opgraven; dat duurt meestal 3 tot 5 weken.', alternative: 'Intussen sturen we je graag een 4G-dongle.' },
        },
      },
      statusUrl: 'https://balie.example/s/abc',
    });
    expect(text).toContain('3 tot 5 weken');
    expect(text).toContain('4G-dongle');
    expect(text).toContain('https://balie.example/s/abc');
  });

  it('owns a missed promise and gives a new time', () => {
    const t = newTimeText({ locale: 'nl', timeZone: tz, now, promisedAt: new Date('2026-03-16T14:00:00Z'), newDueAt: new Date('2026-03-17T10:00:00Z'), customerName: 'Jan' });
    expect(t).toContain('vandaag vóór 15:00');
    expect(t).toContain('morgen vóór 11:00');
    expect(newTimeText({ locale: 'en', timeZone: tz, now, promisedAt: now, newDueAt: now })).toMatch(/^We promised/);
  });
});
