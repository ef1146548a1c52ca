import { describe, expect, it } from 'vitest';
import { asapWindow, callbackSlots, checkSlot, defaultSlotOptions } from './callback-slots';
import { defaultCalendar } from './business-hours';

// Wednesday 23 December 2026, 16:10 in Amsterdam (15:10 UTC). Christmas (Friday 25th) is a Dutch holiday.
const now = new Date('2026-12-23T15:10:00Z');
const opts = { minutes: 30 as const, days: 5, capacity: 2 };
const localDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', dateStyle: 'short' }).format(d);

describe('callback slots', () => {
  it('lists the 30-minute slots of the next five working days, skipping started slots, weekends and holidays', () => {
    const slots = callbackSlots(defaultCalendar, now, opts);
    // Today only 16:30–17:00 is left (16:00 has started).
    expect(slots[0]).toMatchObject({ start: new Date('2026-12-23T15:30:00Z'), end: new Date('2026-12-23T16:00:00Z'), taken: 0, available: true });
    expect([...new Set(slots.map((s) => localDay(s.start)))]).toEqual(['2026-12-23', '2026-12-24', '2026-12-28', '2026-12-29', '2026-12-30']);
    expect(slots).toHaveLength(1 + 4 * 16);
    // Every slot lies inside 09:00–17:00 local time.
    for (const s of slots) {
      const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' }).format(s.start);
      expect(hhmm >= '09:00' && hhmm <= '16:30').toBe(true);
    }
  });

  it('marks a slot full at its capacity', () => {
    const full = new Date('2026-12-24T08:00:00Z');
    const slots = callbackSlots(defaultCalendar, now, opts, (s) => (s.getTime() === full.getTime() ? 2 : 1));
    expect(slots.find((s) => s.start.getTime() === full.getTime())).toMatchObject({ taken: 2, available: false });
    expect(slots.filter((s) => !s.available)).toHaveLength(1);
  });

  it('checks a picked slot: past, outside hours, off the grid, too far ahead, full, or fine', () => {
    const none = () => 0;
    expect(checkSlot(defaultCalendar, now, opts, new Date('2026-12-23T15:00:00Z'), none)).toEqual({ ok: false, reason: 'past' });
    expect(checkSlot(defaultCalendar, now, opts, new Date('2026-12-23T19:00:00Z'), none)).toEqual({ ok: false, reason: 'outside_hours' });
    expect(checkSlot(defaultCalendar, now, opts, new Date('2026-12-25T09:00:00Z'), none)).toEqual({ ok: false, reason: 'outside_hours' });
    expect(checkSlot(defaultCalendar, now, opts, new Date('2026-12-24T08:10:00Z'), none)).toEqual({ ok: false, reason: 'outside_hours' });
    // 16:45 would run past closing time.
    expect(checkSlot(defaultCalendar, now, opts, new Date('2026-12-24T15:45:00Z'), none)).toEqual({ ok: false, reason: 'outside_hours' });
    expect(checkSlot(defaultCalendar, now, opts, new Date('2027-01-05T09:00:00Z'), none)).toEqual({ ok: false, reason: 'too_far' });
    expect(checkSlot(defaultCalendar, now, opts, new Date('2026-12-24T08:00:00Z'), () => 2)).toEqual({ ok: false, reason: 'full' });
    const ok = checkSlot(defaultCalendar, now, opts, new Date('2026-12-24T08:00:00Z'), () => 1);
    expect(ok.ok && ok.slot.end).toEqual(new Date('2026-12-24T08:30:00Z'));
  });

  it('gives "as soon as possible" a window of one slot of opening time: from now while open, else from the next opening', () => {
    expect(asapWindow(defaultCalendar, new Date('2026-12-23T10:00:00Z'), defaultSlotOptions)).toEqual({ dueAt: new Date('2026-12-23T10:00:00Z'), windowEndsAt: new Date('2026-12-23T10:30:00Z') });
    // 16:50 on the 23rd: 10 minutes today, the other 20 after Thursday's opening.
    expect(asapWindow(defaultCalendar, new Date('2026-12-23T15:50:00Z'), defaultSlotOptions)).toEqual({ dueAt: new Date('2026-12-23T15:50:00Z'), windowEndsAt: new Date('2026-12-24T08:20:00Z') });
    // Christmas evening: the next opening is Monday the 28th at 09:00.
    expect(asapWindow(defaultCalendar, new Date('2026-12-25T20:00:00Z'), defaultSlotOptions)).toEqual({ dueAt: new Date('2026-12-28T08:00:00Z'), windowEndsAt: new Date('2026-12-28T08:30:00Z') });
  });
});
