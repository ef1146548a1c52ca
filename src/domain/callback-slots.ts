import { addBusinessMs, localDateOf, openRanges, type BusinessCalendar } from './business-hours';

/**
 * Callback slots a customer can pick: fixed-length slots inside the phone line's opening hours over the next
 * few working days (Dutch holidays and closed dates are already closed in the calendar), each holding a limited
 * number of callbacks so a team is not promised more calls than it can make. Pure: clock and counts passed in.
 */
/** Slot lengths that divide an hour's planning sensibly. */
export const slotLengths = [15, 20, 30, 45, 60] as const;
export interface SlotOptions {
  /** Length of one slot in minutes. */
  minutes: (typeof slotLengths)[number];
  /** How many working days (days with opening hours) ahead a customer can pick from, today included. */
  days: number;
  /** Callbacks one slot takes before it is full. */
  capacity: number;
}

export const defaultSlotOptions: SlotOptions = { minutes: 30, days: 5, capacity: 3 };

export interface CallbackSlot {
  start: Date;
  end: Date;
  taken: number;
  available: boolean;
}

const MINUTE = 60_000;
/** Scan at most this many calendar days for the working days (a long holiday season still ends). */
const MAX_SCAN_DAYS = 60;

const nextDate = (d: { y: number; m: number; d: number }) => {
  const t = new Date(Date.UTC(d.y, d.m - 1, d.d + 1));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
};

/** Every slot of the window that has not started yet, with how full it is. */
export function callbackSlots(cal: BusinessCalendar, now: Date, opts: SlotOptions, taken: (start: Date) => number = () => 0): CallbackSlot[] {
  const out: CallbackSlot[] = [];
  const len = opts.minutes * MINUTE;
  let date = localDateOf(cal.timeZone, now);
  let workingDays = 0;
  for (let i = 0; i < MAX_SCAN_DAYS && workingDays < opts.days; i++, date = nextDate(date)) {
    const ranges = openRanges(cal, date);
    if (!ranges.length) continue;
    workingDays++;
    for (const [a, b] of ranges) {
      for (let s = a; s + len <= b; s += len) {
        if (s < now.getTime()) continue;
        const start = new Date(s);
        const n = taken(start);
        out.push({ start, end: new Date(s + len), taken: n, available: n < opts.capacity });
      }
    }
  }
  return out;
}

export type SlotVerdict = { ok: true; slot: CallbackSlot } | { ok: false; reason: 'past' | 'outside_hours' | 'too_far' | 'full' };

/**
 * Checks a picked slot start against the same rules the list uses. A time that was a slot when the page loaded
 * can have passed or filled up since; the reason tells the customer which.
 */
export function checkSlot(cal: BusinessCalendar, now: Date, opts: SlotOptions, start: Date, taken: (start: Date) => number): SlotVerdict {
  if (start.getTime() < now.getTime()) return { ok: false, reason: 'past' };
  const len = opts.minutes * MINUTE;
  const onGrid = openRanges(cal, localDateOf(cal.timeZone, start)).some(([a, b]) => start.getTime() >= a && start.getTime() + len <= b && (start.getTime() - a) % len === 0);
  if (!onGrid) return { ok: false, reason: 'outside_hours' };
  const slot = callbackSlots(cal, now, opts, taken).find((s) => s.start.getTime() === start.getTime());
  if (!slot) return { ok: false, reason: 'too_far' };
  return slot.available ? { ok: true, slot } : { ok: false, reason: 'full' };
}

/**
 * When a "call me as soon as possible" request is due and until when it is on time: from now while the line is
 * open, else from the next opening, for one slot length of opening time. Before that window ends it is not overdue.
 */
export function asapWindow(cal: BusinessCalendar, now: Date, opts: { minutes: number }): { dueAt: Date; windowEndsAt: Date } {
  const dueAt = addBusinessMs(cal, now, 0) ?? now;
  const windowEndsAt = addBusinessMs(cal, dueAt, opts.minutes * MINUTE) ?? new Date(dueAt.getTime() + opts.minutes * MINUTE);
  return { dueAt, windowEndsAt };
}
