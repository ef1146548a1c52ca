import { and, eq, sql } from 'drizzle-orm';
import { inboxes } from '../store/schema';
import type { BusinessCalendar } from '../domain/business-hours';
import type { Deps } from './context';
import { calendarSchema, loadCertainty, setInboxCalendar } from './certainty-settings';

/**
 * Data moves SQL cannot do (they need the secret key or the app's schemas). Each is idempotent and runs at
 * start-up under the cluster's start-up lock, after the SQL migrations, and with `balie migrate`.
 */
export async function runDataMigrations(deps: Pick<Deps, 'store' | 'secrets' | 'runtime'>): Promise<void> {
  await moveWidgetBusinessHours(deps);
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** The widget's former `{timeZone, days: {mon: [["09:00","17:00"]]}}` as a business calendar. */
export function calendarFromWidgetHours(raw: unknown): BusinessCalendar | null {
  const old = raw as { timeZone?: unknown; days?: Record<string, unknown> } | null;
  if (!old || typeof old !== 'object' || typeof old.timeZone !== 'string') return null;
  const week = WEEKDAYS.map((d) => {
    const ranges = Array.isArray(old.days?.[d]) ? (old.days[d] as unknown[]) : [];
    return ranges.filter((r): r is [string, string] => Array.isArray(r) && r.length === 2).map(([start, end]) => ({ start, end }));
  });
  // The old model had no holidays; the calendar closes on Dutch public holidays like every other inbox's.
  const parsed = calendarSchema.safeParse({ timeZone: old.timeZone, week, dutchHolidays: true });
  return parsed.success ? (parsed.data as BusinessCalendar) : null;
}

/**
 * Widget inboxes used to keep their own business hours in their settings; the inbox's calendar in the
 * certainty settings is now the one source. An inbox that already has its own calendar keeps it.
 */
export async function moveWidgetBusinessHours(deps: Pick<Deps, 'store' | 'secrets' | 'runtime'>): Promise<number> {
  const rows = await deps.store.db
    .select({ workspaceId: inboxes.workspaceId, id: inboxes.id, settings: inboxes.settings })
    .from(inboxes)
    .where(and(eq(inboxes.kind, 'widget'), sql`${inboxes.settings} -> 'businessHours' is not null`));
  for (const row of rows) {
    const calendar = calendarFromWidgetHours(row.settings.businessHours);
    const { settings } = await loadCertainty(deps.store.db, deps, row.workspaceId);
    if (calendar && !(row.id in settings.calendars)) await setInboxCalendar(deps, row.workspaceId, row.id, calendar);
    const { businessHours: _moved, ...rest } = row.settings;
    await deps.store.db.update(inboxes).set({ settings: rest }).where(and(eq(inboxes.workspaceId, row.workspaceId), eq(inboxes.id, row.id)));
  }
  return rows.length;
}
