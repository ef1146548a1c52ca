import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { channelKinds } from '../shared/api';
import type { Db } from '../store/db';
import { certaintySettings } from '../store/schema';
import { defaultCalendar, type BusinessCalendar } from '../domain/business-hours';
import { defaultCoachLists } from '../domain/reply-coach';
import { defaultPingPongThresholds } from '../domain/ping-pong';
import { DEFAULT_BROADCAST_PER_SECOND } from '../domain/broadcast-pace';
import type { Deps } from './context';

/**
 * Settings of the certainty features per workspace, kept in their own row so this feature's keys do not crowd
 * the general workspace settings. Read through the schema, so every reader gets the same defaults.
 */
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
export const calendarSchema = z.object({
  timeZone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, { message: 'unknown IANA time zone', params: { code: 'unknown_time_zone' } }),
  week: z.array(z.array(z.object({ start: hhmm, end: hhmm }))).length(7),
  dutchHolidays: z.boolean(),
  holidayOptions: z.object({ goodFriday: z.boolean().optional(), liberationDay: z.enum(['always', 'lustrum', 'never']).optional() }).optional(),
  closedDates: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).max(400).optional(),
});

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
/**
 * Periods that do not end after they start, as issues (code `end_before_start`). Checked on what admins send,
 * not on what is stored: a stored calendar from before this check must not make the settings row unreadable.
 */
function checkPeriods(cal: z.infer<typeof calendarSchema>, ctx: z.RefinementCtx, path: (string | number)[]) {
  cal.week.forEach((day, d) =>
    day.forEach((p, i) => {
      if (toMinutes(p.end) <= toMinutes(p.start)) ctx.addIssue({ code: 'custom', path: [...path, 'week', d, i, 'end'], message: 'must be later than start', params: { code: 'end_before_start' } });
    }),
  );
}
/** A calendar as an admin sends it: the schema plus periods that end after they start. */
export const calendarInput = calendarSchema.superRefine((cal, ctx) => checkPeriods(cal, ctx, []));

const phrase = z.object({ phrase: z.string().trim().min(2).max(200), suggestion: z.string().trim().max(300) });
const perLocale = <T extends z.ZodType>(s: T) => z.object({ nl: s, en: s });
export const coachListsSchema = z.object({
  stockPhrases: perLocale(z.array(phrase).max(200)),
  vaguePromises: perLocale(z.array(phrase).max(200)),
});

const note = z.object({ explanation: z.string().trim().min(1).max(1000), alternative: z.string().trim().max(1000).optional() });
export const caseTypeNotesSchema = z.record(z.string().min(1).max(100), z.object({ nl: note.optional(), en: note.optional() }));

export const incidentTextKeys = ['title', 'banner', 'sms', 'email_subject', 'email', 'whatsapp', 'ivr', 'update', 'resolution'] as const;
const textSet = z.object(Object.fromEntries(incidentTextKeys.map((k) => [k, z.string().max(4000).optional()])) as Record<(typeof incidentTextKeys)[number], z.ZodOptional<z.ZodString>>);
export const incidentTemplateOverridesSchema = z.record(z.string().min(1).max(60), z.object({ nl: textSet.optional(), en: textSet.optional() }));

/** A WhatsApp template for one broadcast kind (see src/domain/incident-whatsapp.ts); set through its own route. */
export const incidentWhatsAppTemplateSchema = z.object({
  inboxId: z.string().regex(/^[0-9a-fA-F-]{36}$/, 'inbox id'),
  name: z.string().min(1).max(512),
  language: z.string().min(2).max(15),
  parameters: z.array(z.string().regex(/^\w+$/).max(40)).max(20),
  body: z.string().max(4096),
});
const perKind = z.object({ notice: incidentWhatsAppTemplateSchema.optional(), update: incidentWhatsAppTemplateSchema.optional(), resolution: incidentWhatsAppTemplateSchema.optional() });
export const incidentWhatsAppTemplatesSchema = z.record(z.string().min(1).max(60), z.object({ nl: perKind.optional(), en: perKind.optional() }));

export const certaintySettingsSchema = z.object({
  coach: coachListsSchema.default(defaultCoachLists),
  /** First-response targets in minutes per channel kind; missing kinds use the defaults. */
  speedTargets: z.record(z.string(), z.number().int().min(1).max(10_080)).default({}),
  caseTypeNotes: caseTypeNotesSchema.default({}),
  defaultCalendar: calendarSchema.default(defaultCalendar),
  /** Per inbox id; an inbox without one uses the default calendar. */
  calendars: z.record(z.string(), calendarSchema).default({}),
  /** Used while an inbox has too little history for a percentile. */
  promiseDefaults: z.object({ firstResponseMinutes: z.number().int().min(1).max(100_000), resolutionMinutes: z.number().int().min(1).max(1_000_000) }).default({
    firstResponseMinutes: 240,
    resolutionMinutes: 960,
  }),
  /** Per inbox and/or case type: what to promise while there is too little history (src/domain/promise-targets.ts). */
  promiseTargets: z
    .array(
      z.object({
        inboxId: z.string().regex(/^[0-9a-fA-F-]{36}$/, 'inbox id').nullable(),
        label: z.string().trim().min(1).max(100).nullable(),
        firstResponseMinutes: z.number().int().min(1).max(100_000),
        resolutionMinutes: z.number().int().min(1).max(1_000_000),
      }),
    )
    .max(500)
    .default([]),
  /** Send the promise as the first acknowledgement when a human answer is not immediate. */
  promiseAcknowledgement: z.boolean().default(true),
  /** Case-status links stop working this many days after the conversation is resolved. */
  statusLinkDays: z.number().int().min(1).max(365).default(30),
  incidentTemplates: incidentTemplateOverridesSchema.default({}),
  /** Per scenario, language and broadcast kind: the WhatsApp template sent when the customer's window is closed. */
  incidentWhatsAppTemplates: incidentWhatsAppTemplatesSchema.default({}),
  /** How fast a broadcast sends: messages per second over all channels (providers throttle, and so do we). */
  broadcastPerSecond: z.number().int().min(1).max(1000).default(DEFAULT_BROADCAST_PER_SECOND),
  /** When a written conversation gets the "call this customer" nudge (src/domain/ping-pong.ts). */
  pingPong: z
    .object({
      exchanges: z.number().int().min(1).max(50),
      repeatSimilarity: z.number().min(0.1).max(1),
      frustrationWords: z.array(z.string().trim().min(2).max(60)).max(200),
    })
    .default(defaultPingPongThresholds),
});
export type CertaintySettings = z.infer<typeof certaintySettingsSchema>;
/**
 * A patch: only the keys sent (no defaults filled in, or a patch of one key would reset the others). The WhatsApp
 * template mappings are checked against the provider's templates, so they have their own route.
 */
const patchable = certaintySettingsSchema.omit({ incidentWhatsAppTemplates: true });
export const certaintySettingsPatch = z
  .object(
    Object.fromEntries(Object.entries(patchable.shape).map(([k, v]) => [k, (v as z.ZodDefault<z.ZodType>).unwrap().optional()])) as {
      [K in keyof typeof patchable.shape]: z.ZodOptional<ReturnType<(typeof patchable.shape)[K]['unwrap']>>;
    },
  )
  // Checked on what admins send, not on what is stored: a stored key this version does not know must not make
  // the whole settings row unreadable.
  .superRefine((patch, ctx) => {
    if (patch.defaultCalendar) checkPeriods(patch.defaultCalendar, ctx, ['defaultCalendar']);
    for (const [id, cal] of Object.entries(patch.calendars ?? {})) checkPeriods(cal, ctx, ['calendars', id]);
    for (const kind of Object.keys(patch.speedTargets ?? {})) {
      if (!(channelKinds as readonly string[]).includes(kind)) ctx.addIssue({ code: 'custom', path: ['speedTargets', kind], message: `is not a channel (one of ${channelKinds.join(', ')})` });
    }
  });

export function parseCertaintySettings(raw: unknown): CertaintySettings {
  const parsed = certaintySettingsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : certaintySettingsSchema.parse({});
}

export function calendarFor(settings: CertaintySettings, inboxId: string): BusinessCalendar {
  return (settings.calendars[inboxId] as BusinessCalendar | undefined) ?? (settings.defaultCalendar as BusinessCalendar);
}

/**
 * The per-channel first-response targets an admin set (minutes by channel kind), for the inbox list: a read of
 * one row that neither creates it nor opens the link key. Missing kinds use the defaults in the domain.
 */
export async function speedTargetsOf(db: Db, workspaceId: string): Promise<Record<string, number>> {
  const [row] = await db.select({ settings: certaintySettings.settings }).from(certaintySettings).where(eq(certaintySettings.workspaceId, workspaceId));
  return row ? parseCertaintySettings(row.settings).speedTargets : {};
}

/** The row, created on first use (the link-signing key is made once, sealed at rest). */
export async function loadCertainty(tx: Db, deps: Pick<Deps, 'secrets'>, workspaceId: string): Promise<{ settings: CertaintySettings; linkKey: Buffer }> {
  let [row] = await tx.select().from(certaintySettings).where(eq(certaintySettings.workspaceId, workspaceId));
  if (!row) {
    await tx
      .insert(certaintySettings)
      .values({ workspaceId, settings: {}, linkKey: deps.secrets.seal(crypto.randomBytes(32).toString('base64')) })
      .onConflictDoNothing();
    [row] = await tx.select().from(certaintySettings).where(eq(certaintySettings.workspaceId, workspaceId));
  }
  return { settings: parseCertaintySettings(row!.settings), linkKey: Buffer.from(deps.secrets.open(row!.linkKey), 'base64') };
}

export async function updateCertaintySettings(deps: Deps, workspaceId: string, patch: z.infer<typeof certaintySettingsPatch>): Promise<CertaintySettings> {
  return deps.store.transaction(async (tx) => {
    const { settings } = await loadCertainty(tx, deps, workspaceId);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const next = certaintySettingsSchema.parse({ ...settings, ...defined });
    await tx.update(certaintySettings).set({ settings: next, updatedAt: deps.runtime.now() }).where(eq(certaintySettings.workspaceId, workspaceId));
    return next;
  });
}

/** One inbox's business calendar, and whether it is the inbox's own or the workspace default. */
export async function inboxCalendar(deps: Deps, workspaceId: string, inboxId: string): Promise<{ calendar: BusinessCalendar; own: boolean }> {
  const { settings } = await loadCertainty(deps.store.db, deps, workspaceId);
  return { calendar: calendarFor(settings, inboxId), own: inboxId in settings.calendars };
}

/** Sets (or with null removes, back to the workspace default) one inbox's calendar, leaving the others alone. */
export async function setInboxCalendar(deps: Pick<Deps, 'store' | 'secrets' | 'runtime'>, workspaceId: string, inboxId: string, calendar: BusinessCalendar | null) {
  return deps.store.transaction(async (tx) => {
    await loadCertainty(tx, deps, workspaceId);
    // Row lock: two admins editing two inboxes' hours at once must not overwrite each other's calendar.
    const [row] = await tx.select().from(certaintySettings).where(eq(certaintySettings.workspaceId, workspaceId)).for('update');
    const settings = parseCertaintySettings(row!.settings);
    const calendars = { ...settings.calendars };
    if (calendar) calendars[inboxId] = calendar;
    else delete calendars[inboxId];
    const next = certaintySettingsSchema.parse({ ...settings, calendars });
    await tx.update(certaintySettings).set({ settings: next, updatedAt: deps.runtime.now() }).where(eq(certaintySettings.workspaceId, workspaceId));
    return { calendar: calendarFor(next, inboxId), own: !!calendar };
  });
}
