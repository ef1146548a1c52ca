import { and, asc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import { callbackRequests, inboxes } from '../store/schema';
import type { BusinessCalendar } from '../domain/business-hours';
import { asapWindow, callbackSlots, checkSlot, defaultSlotOptions, type SlotOptions } from '../domain/callback-slots';
import { voiceSettingsSchema } from '../channels/voice/adapter';
import type { Locale } from '../domain/promise-text';
import { AppError } from '../shared/errors';
import type { Deps } from './context';
import { calendarFor, loadCertainty } from './certainty-settings';

/**
 * The slots a customer picks a callback from. The phone line makes the calls, so its opening hours count (the
 * workspace's first phone line; the conversation's own inbox when there is no line). A slot holds as many
 * callbacks as the workspace's capacity setting; the count and the insert happen under one lock per slot, so
 * two customers picking the last place at once cannot both get it.
 */
const OPEN = ['requested', 'scheduled'] as const;

/** A phone line's slot settings (stored settings are parsed, so an older line gets the defaults). */
export function slotOptionsOf(lineSettings: unknown): SlotOptions {
  const parsed = voiceSettingsSchema.shape.callbackSlots.safeParse((lineSettings as { callbackSlots?: unknown } | null)?.callbackSlots);
  return parsed.success ? parsed.data : defaultSlotOptions;
}

export async function slotSetup(db: Db, deps: Pick<Deps, 'secrets'>, workspaceId: string, conversationInboxId: string): Promise<{ cal: BusinessCalendar; opts: SlotOptions }> {
  const { settings } = await loadCertainty(db, deps, workspaceId);
  const [line] = await db
    .select({ id: inboxes.id, settings: inboxes.settings })
    .from(inboxes)
    .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.kind, 'voice'), isNull(inboxes.archivedAt)))
    .orderBy(asc(inboxes.createdAt))
    .limit(1);
  return { cal: calendarFor(settings, line?.id ?? conversationInboxId), opts: line ? slotOptionsOf(line.settings) : defaultSlotOptions };
}

/** Open callbacks per due time in [from, to): what fills the slots. */
async function takenBetween(db: Db, workspaceId: string, from: Date, to: Date): Promise<(start: Date) => number> {
  const rows = await db
    .select({ at: callbackRequests.dueAt, n: sql<number>`count(*)::int` })
    .from(callbackRequests)
    .where(and(eq(callbackRequests.workspaceId, workspaceId), inArray(callbackRequests.status, [...OPEN]), gte(callbackRequests.dueAt, from), lt(callbackRequests.dueAt, to)))
    .groupBy(callbackRequests.dueAt);
  const counts = new Map(rows.map((r) => [new Date(r.at!).getTime(), r.n]));
  return (start) => counts.get(start.getTime()) ?? 0;
}

export interface SlotList {
  timeZone: string;
  minutes: number;
  slots: Array<{ start: string; end: string; available: boolean }>;
}

export async function listCallbackSlots(deps: Deps, workspaceId: string, conversationInboxId: string): Promise<SlotList> {
  const db = deps.store.db;
  const now = deps.runtime.now();
  const { cal, opts } = await slotSetup(db, deps, workspaceId, conversationInboxId);
  const bare = callbackSlots(cal, now, opts);
  const taken = bare.length ? await takenBetween(db, workspaceId, bare[0]!.start, bare.at(-1)!.end) : () => 0;
  return {
    timeZone: cal.timeZone,
    minutes: opts.minutes,
    slots: callbackSlots(cal, now, opts, taken).map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString(), available: s.available })),
  };
}

export const SLOT_ERRORS: Record<'past' | 'outside_hours' | 'too_far' | 'full', { code: string; nl: string; en: string }> = {
  past: { code: 'slot_in_past', nl: 'Dit tijdstip is al voorbij. Kies een ander moment.', en: 'This time has already passed. Please pick another one.' },
  outside_hours: { code: 'slot_outside_hours', nl: 'Op dit tijdstip zijn we niet open. Kies een moment binnen onze openingstijden.', en: 'We are not open at this time. Please pick a time within our opening hours.' },
  too_far: { code: 'slot_too_far', nl: 'Zo ver vooruit kun je nog niet kiezen. Kies een moment in de komende dagen.', en: 'That is too far ahead. Please pick a time in the coming days.' },
  full: { code: 'slot_full', nl: 'Dit tijdstip is net vol geraakt. Kies een ander moment.', en: 'This time has just filled up. Please pick another one.' },
};

/**
 * The due time and on-time window of a new callback request, inside the caller's transaction: the picked slot
 * (checked again under the slot's lock), or "as soon as possible" within opening hours when none was picked.
 */
export async function callbackTiming(tx: Db, deps: Pick<Deps, 'secrets' | 'runtime'>, input: { workspaceId: string; conversationInboxId: string; slot?: Date; locale: Locale }) {
  const now = deps.runtime.now();
  const { cal, opts } = await slotSetup(tx, deps, input.workspaceId, input.conversationInboxId);
  if (!input.slot) return asapWindow(cal, now, opts);
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`callback-slot:${input.workspaceId}:${input.slot.toISOString()}`}, 0))`);
  const taken = await takenBetween(tx, input.workspaceId, input.slot, new Date(input.slot.getTime() + 1));
  const verdict = checkSlot(cal, now, opts, input.slot, taken);
  if (!verdict.ok) {
    const e = SLOT_ERRORS[verdict.reason];
    throw new AppError(verdict.reason === 'full' ? 'conflict' : 'validation', e.code, e[input.locale], { fields: [{ path: 'slot', message: e[input.locale] }] });
  }
  return { dueAt: verdict.slot.start, windowEndsAt: verdict.slot.end };
}
