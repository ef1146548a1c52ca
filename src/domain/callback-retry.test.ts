import { describe, expect, it } from 'vitest';
import { afterAttempt, missedCallbackText } from './callback-retry';
import { defaultCalendar } from './business-hours';

// Tuesday 1 December 2026, 16:30 in Amsterdam (15:30 UTC); the default calendar is open 09:00–17:00 on weekdays.
const now = new Date('2026-12-01T15:30:00Z');

describe('callback retries', () => {
  it('is done when the customer was reached', () => {
    expect(afterAttempt({ outcome: 'reached', attemptsBefore: 0, cal: defaultCalendar, now })).toEqual({ status: 'done', dueAt: null });
  });
  it('retries after an hour of business time, carrying over to the next morning', () => {
    const r = afterAttempt({ outcome: 'no_answer', attemptsBefore: 0, cal: defaultCalendar, now });
    // 30 minutes left today, the other 30 tomorrow from 09:00 → 09:30 Amsterdam = 08:30 UTC.
    expect(r).toEqual({ status: 'scheduled', dueAt: new Date('2026-12-02T08:30:00Z') });
  });
  it('gives up after the last attempt', () => {
    expect(afterAttempt({ outcome: 'busy', attemptsBefore: 2, cal: defaultCalendar, now }).status).toBe('unreachable');
    expect(afterAttempt({ outcome: 'busy', attemptsBefore: 1, cal: defaultCalendar, now }).status).toBe('scheduled');
  });
  it('tells the customer in Dutch or English when we try again', () => {
    const next = afterAttempt({ outcome: 'no_answer', attemptsBefore: 0, cal: defaultCalendar, now });
    expect(missedCallbackText({ locale: 'nl', timeZone: 'Europe/Amsterdam', next, name: 'Sanne' })).toBe(
      'Hoi Sanne, we hebben je net geprobeerd terug te bellen, maar kregen je niet te pakken. We bellen je opnieuw rond woensdag 09:30.',
    );
    expect(missedCallbackText({ locale: 'en', timeZone: 'Europe/Amsterdam', next: { status: 'unreachable', dueAt: null } })).toContain('could not reach you. Would you call us');
  });
});
