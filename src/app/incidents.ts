import { and, asc, desc, eq, gt, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { likeEscape } from './conversation-list';
import { z } from 'zod';
import type { Db } from '../store/db';
import { contacts, conversations, inboxes, incidentBroadcasts, incidentConversations, incidentNotices, incidents, messages, workspaces } from '../store/schema';
import { inSegment, matchesKeywords, optedOut, personalize, renderTemplates, segmentIsEmpty, templateFor, textKeys, type Segment, type TextSet } from '../domain/incident-templates';
import { invalidDateValue, type IncidentVariable } from '../domain/incident-variables';
import { nextPageDelay, paceBatches } from '../domain/broadcast-pace';
import { fillTemplateBody, templateValues, windowClosed, type TemplateMapping } from '../domain/incident-whatsapp';
import { mappingFor } from './incident-whatsapp-templates';
import { channelAdapter } from '../channels/registry';
import { AppError, invalid, notFound } from '../shared/errors';
import type { Actor, Deps } from './context';
import type { ContactRow, ConversationRow } from './dto';
import { loadCertainty } from './certainty-settings';
import { withOutbox, type OutboxWriter } from './outbox';
import { audit } from './audit';
import { changeStatus } from './conversations';
import { sendReply } from './send-reply';

/**
 * Incident mode. Declaring is one action: the incident row (banner and phone-queue texts for every public
 * surface), the first broadcast to the affected segment (proactive notices through the normal outbound path of
 * each contact's own channel), and from then on every inbound message from the segment or with a keyword is
 * linked. Updates and resolution are broadcasts too; linked conversations can be resolved in bulk.
 */
export const segmentSchema = z.object({
  postcodeFrom: z.number().int().min(1000).max(9999).optional(),
  postcodeTo: z.number().int().min(1000).max(9999).optional(),
  products: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  attributes: z.record(z.string().max(100), z.string().max(200)).optional(),
});

export const declareIncidentInput = z.object({
  scenario: z.string().trim().min(1).max(60),
  segment: segmentSchema.default({}),
  /** Text, text per language, or an ISO date (and time) that each language writes out in its own words. */
  variables: z
    .record(
      z.string().regex(/^\w+$/).max(40),
      z.union([z.string().max(500), z.object({ nl: z.string().max(500), en: z.string().max(500).optional() }).strict()]),
    )
    .default({}),
  keywords: z.array(z.string().trim().min(2).max(60)).max(30).default([]),
  label: z.string().trim().min(1).max(60).optional(),
  /** Send proactive notices to the segment now (default) or only show banners and IVR text. */
  notify: z.boolean().default(true),
  /** Texts edited for this incident only, on top of the scenario's. */
  texts: z.object({ nl: z.record(z.string(), z.string().max(4000)).optional(), en: z.record(z.string(), z.string().max(4000)).optional() }).optional(),
});
export type DeclareIncidentInput = z.input<typeof declareIncidentInput>;

export interface PublicIncident {
  id: string;
  scenario: string;
  title: { nl: string; en: string };
  banner: { nl: string; en: string };
  declaredAt: string;
  updatedAt: string;
}

export type IncidentRow = typeof incidents.$inferSelect;
const BROADCAST_PAGE = 500;
const SEND_BATCH = 250;

export function incidentDto(row: IncidentRow) {
  return {
    id: row.id,
    scenario: row.scenario,
    status: row.status,
    texts: row.texts,
    variables: row.variables,
    segment: row.segment,
    keywords: row.keywords,
    label: row.label,
    declaredAt: row.declaredAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

const publicView = (row: IncidentRow): PublicIncident => ({
  id: row.id,
  scenario: row.scenario,
  title: { nl: row.texts.nl?.title ?? '', en: row.texts.en?.title ?? '' },
  banner: { nl: row.texts.nl?.banner ?? '', en: row.texts.en?.banner ?? '' },
  declaredAt: row.declaredAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export async function loadActiveIncidents(db: Db, workspaceId: string): Promise<IncidentRow[]> {
  return db
    .select()
    .from(incidents)
    .where(and(eq(incidents.workspaceId, workspaceId), eq(incidents.status, 'active')))
    .orderBy(desc(incidents.declaredAt));
}

/** Banner data for the public surfaces (widget, help center, case-status page). */
export async function publicIncidents(db: Db, workspaceId: string): Promise<PublicIncident[]> {
  return (await loadActiveIncidents(db, workspaceId)).map(publicView);
}

/** Active incidents that concern one contact: their segment includes the contact (or covers everyone). */
export async function activeIncidentsFor(db: Db, workspaceId: string, contact: Pick<ContactRow, 'attributes'>): Promise<PublicIncident[]> {
  return (await loadActiveIncidents(db, workspaceId)).filter((i) => inSegment(contact.attributes, i.segment as Segment)).map(publicView);
}

/** The phone-queue message while an incident is active (the voice channel reads this); null when none. */
export async function currentIvrMessage(db: Db, workspaceId: string, locale: 'nl' | 'en'): Promise<string | null> {
  const active = await loadActiveIncidents(db, workspaceId);
  const texts = active.map((i) => i.texts[locale]?.ivr).filter((t): t is string => !!t);
  return texts.length ? texts.join(' ') : null;
}

function labelFor(scenario: string, at: Date) {
  return `incident-${scenario.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${at.toISOString().slice(0, 10)}`;
}

export async function declareIncident(deps: Deps, actor: Actor, raw: DeclareIncidentInput) {
  const input = declareIncidentInput.parse(raw);
  if (input.segment.postcodeFrom && input.segment.postcodeTo && input.segment.postcodeFrom > input.segment.postcodeTo) {
    throw invalid('segment.postcodeTo', 'must not be below postcodeFrom', 'invalid_segment');
  }
  const { settings } = await loadCertainty(deps.store.db, deps, actor.workspaceId);
  const base = templateFor(input.scenario, settings.incidentTemplates);
  if (!base) throw invalid('scenario', 'is not a known scenario', 'unknown_scenario');
  const edited = {
    nl: { ...base.nl, ...(input.texts?.nl ?? {}) } as TextSet,
    en: { ...base.en, ...(input.texts?.en ?? {}) } as TextSet,
  };
  for (const [name, value] of Object.entries(input.variables)) {
    for (const v of typeof value === 'string' ? [value] : [value.nl, value.en ?? '']) {
      if (invalidDateValue(v)) throw invalid(`variables.${name}`, 'is not a real date and time (YYYY-MM-DDTHH:mm)', 'invalid_date');
    }
  }
  const [wsRow] = await deps.store.db.select({ timeZone: workspaces.timeZone }).from(workspaces).where(eq(workspaces.id, actor.workspaceId));
  const { texts, missing } = renderTemplates(edited, input.variables, { timeZone: wsRow?.timeZone ?? 'Europe/Amsterdam', now: deps.runtime.now() });
  if (missing.length) {
    throw new AppError('validation', 'missing_variables', `Fill in: ${missing.join(', ')}`, { fields: missing.map((m) => ({ path: `variables.${m}`, message: 'is used by the texts' })) });
  }
  const now = deps.runtime.now();
  return withOutbox(deps, actor.workspaceId, async (tx, out) => {
    const id = deps.runtime.id();
    const [row] = await tx
      .insert(incidents)
      .values({
        workspaceId: actor.workspaceId,
        id,
        scenario: input.scenario,
        texts,
        variables: input.variables,
        segment: input.segment,
        keywords: input.keywords,
        label: input.label ?? labelFor(input.scenario, now),
        declaredBy: actor.userId,
        declaredAt: now,
        updatedAt: now,
      })
      .returning();
    await audit(tx, deps, { workspaceId: actor.workspaceId, actor, action: 'incident.declared', targetType: 'incident', targetId: id, data: { scenario: input.scenario, segment: input.segment } });
    out.event('incident.changed', {}, { incident: incidentDto(row!) });
    const broadcast = input.notify ? await startBroadcast(tx, deps, out, actor, row!, 'notice', texts) : null;
    return { incident: incidentDto(row!), broadcastId: broadcast };
  });
}

async function startBroadcast(tx: Db, deps: Deps, out: OutboxWriter, actor: Actor, incident: IncidentRow, kind: 'notice' | 'update' | 'resolution', texts: Record<string, Record<string, string>>) {
  const id = deps.runtime.id();
  await tx.insert(incidentBroadcasts).values({ workspaceId: actor.workspaceId, id, incidentId: incident.id, kind, texts, createdBy: actor.userId, createdAt: deps.runtime.now() });
  await audit(tx, deps, { workspaceId: actor.workspaceId, actor, action: 'incident.broadcast', targetType: 'incident', targetId: incident.id, data: { broadcastId: id, kind } });
  out.job('incident-broadcast', { workspaceId: actor.workspaceId, broadcastId: id }, { singletonKey: `incident-broadcast:${id}:start` });
  return id;
}

export async function getIncident(db: Db, workspaceId: string, id: string): Promise<IncidentRow> {
  const [row] = await db.select().from(incidents).where(and(eq(incidents.workspaceId, workspaceId), eq(incidents.id, id)));
  if (!row) throw notFound('incident');
  return row;
}

/** An update to the affected customers ("the engineers expect to finish at 18:00"), broadcast like the notice. */
export async function postIncidentUpdate(deps: Deps, actor: Actor, incidentId: string, input: { nl: string; en?: string; ivr?: { nl?: string; en?: string } }) {
  return withOutbox(deps, actor.workspaceId, async (tx, out) => {
    const row = await getIncident(tx, actor.workspaceId, incidentId);
    if (row.status !== 'active') throw new AppError('conflict', 'incident_resolved', 'This incident is already resolved.');
    const fill = (l: 'nl' | 'en', t: string) => (row.texts[l]?.update ?? '{update}').replaceAll('{update}', t);
    const texts: Record<string, Record<string, string>> = {
      // The update's own words too: a WhatsApp template fills its {update} parameter with them.
      nl: { ...row.texts.nl, update: fill('nl', input.nl), update_value: input.nl },
      en: { ...row.texts.en, update: fill('en', input.en ?? input.nl), update_value: input.en ?? input.nl },
    };
    const [updated] = await tx
      .update(incidents)
      .set({ texts: { ...row.texts, nl: { ...row.texts.nl, ...(input.ivr?.nl ? { ivr: input.ivr.nl } : {}) }, en: { ...row.texts.en, ...(input.ivr?.en ? { ivr: input.ivr.en } : {}) } }, updatedAt: deps.runtime.now() })
      .where(and(eq(incidents.workspaceId, actor.workspaceId), eq(incidents.id, incidentId)))
      .returning();
    out.event('incident.changed', {}, { incident: incidentDto(updated!) });
    const broadcastId = await startBroadcast(tx, deps, out, actor, updated!, 'update', texts);
    return { incident: incidentDto(updated!), broadcastId };
  });
}

/** Ends the incident: banners and IVR text disappear, the resolution notice goes to the segment. */
export async function resolveIncident(deps: Deps, actor: Actor, incidentId: string, input: { notify?: boolean } = {}) {
  return withOutbox(deps, actor.workspaceId, async (tx, out) => {
    const row = await getIncident(tx, actor.workspaceId, incidentId);
    if (row.status !== 'active') throw new AppError('conflict', 'incident_resolved', 'This incident is already resolved.');
    const now = deps.runtime.now();
    const [updated] = await tx
      .update(incidents)
      .set({ status: 'resolved', resolvedAt: now, updatedAt: now })
      .where(and(eq(incidents.workspaceId, actor.workspaceId), eq(incidents.id, incidentId)))
      .returning();
    await audit(tx, deps, { workspaceId: actor.workspaceId, actor, action: 'incident.resolved', targetType: 'incident', targetId: incidentId });
    out.event('incident.changed', {}, { incident: incidentDto(updated!) });
    const broadcastId = input.notify === false ? null : await startBroadcast(tx, deps, out, actor, updated!, 'resolution', row.texts);
    return { incident: incidentDto(updated!), broadcastId };
  });
}

/** Which text a broadcast sends on a channel: long (e-mail) where there is no length limit, else the short one. */
function noticeFor(kind: 'notice' | 'update' | 'resolution', texts: Record<string, string>, channelKind: string) {
  const adapter = channelAdapter(channelKind);
  const long = adapter ? adapter.capabilities.maxLength === null : false;
  const short = shortTextOf(kind, texts);
  // A messaging channel with templates (WhatsApp) gets the scenario's own WhatsApp text. Where that channel
  // cannot deliver it (outside the 24-hour window, no WhatsApp number), the inbox's fallback channel (SMS)
  // sends the SMS text instead (`fallbackText`, read by send-outbound's fallback).
  const messaging = kind === 'notice' && !long && adapter?.capabilities.templates === true && !!texts.whatsapp;
  const content = kind === 'notice' && long ? texts.email! : messaging ? texts.whatsapp! : short;
  return {
    content,
    attributes: {
      ...(kind === 'notice' && long ? { subject: texts.email_subject } : {}),
      ...(messaging ? { fallbackText: short } : {}),
    },
  };
}

/**
 * A WhatsApp contact whose 24-hour window is closed gets the template the admin mapped for this scenario, language
 * and kind (filled per contact); the notice's short text stays the fallback (SMS) should the template fail too.
 */
function asTemplate(mapping: TemplateMapping, values: string[], shortText: string) {
  return {
    content: fillTemplateBody(mapping.body, values),
    attributes: { template: { name: mapping.name, language: mapping.language, variables: values }, fallbackText: shortText },
  };
}

const shortTextOf = (kind: 'notice' | 'update' | 'resolution', texts: Record<string, string>) => (kind === 'notice' ? texts.sms! : kind === 'update' ? texts.update! : texts.resolution!);

/**
 * One page of a broadcast: up to 500 contacts of the workspace, filtered by the segment and opt-out, each
 * getting one outbound message in their most recent conversation (their preferred channel first). The unique
 * (broadcast, contact) notice row makes a repeated page harmless. Sending goes through `send-batch`, paced at the
 * workspace's `broadcastPerSecond` (src/domain/broadcast-pace.ts); the next page is the next job, carrying the pace's
 * clock. A WhatsApp contact whose window is closed gets the mapped template when there is one.
 */
export async function runBroadcastPage(deps: Deps, input: { workspaceId: string; broadcastId: string; after?: string; nextAt?: number }) {
  const ws = input.workspaceId;
  const [b] = await deps.store.db.select().from(incidentBroadcasts).where(and(eq(incidentBroadcasts.workspaceId, ws), eq(incidentBroadcasts.id, input.broadcastId)));
  if (!b || b.status === 'done') return;
  const incident = await getIncident(deps.store.db, ws, b.incidentId);
  const [wsRow] = await deps.store.db.select({ locale: workspaces.locale, timeZone: workspaces.timeZone }).from(workspaces).where(eq(workspaces.id, ws));
  const { settings } = await loadCertainty(deps.store.db, deps, ws);
  const segment = incident.segment as Segment;
  // The segment is filtered in SQL (only affected contacts leave the database: a 10,000-contact workspace with
  // a 300-contact outage reads 300 rows, not 10,000); `inSegment` stays the exact rule on what comes back.
  const page = await deps.store.db
    .select({ id: contacts.id, name: contacts.name, attributes: contacts.attributes })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, ws), isNull(contacts.mergedIntoId), segmentSql(segment), ...(input.after ? [gt(contacts.id, input.after)] : [])))
    .orderBy(asc(contacts.id))
    .limit(BROADCAST_PAGE);
  const affected = page.filter((c) => inSegment(c.attributes, segment));
  const convs = affected.length
    ? await deps.store.db
        .select({ id: conversations.id, contactId: conversations.contactId, inboxId: conversations.inboxId, kind: inboxes.kind, lastActivityAt: conversations.lastActivityAt, status: conversations.status, channelState: conversations.channelState })
        .from(conversations)
        .innerJoin(inboxes, and(eq(inboxes.workspaceId, conversations.workspaceId), eq(inboxes.id, conversations.inboxId)))
        .where(and(eq(conversations.workspaceId, ws), inArray(conversations.contactId, affected.map((c) => c.id)), isNull(inboxes.archivedAt), ne(conversations.status, 'closed')))
        .orderBy(desc(conversations.lastActivityAt))
    : [];

  await withOutbox(deps, ws, async (tx, out) => {
    const now = deps.runtime.now();
    let nextAt = Math.max(now.getTime(), input.nextAt ?? 0);
    const notices: Array<typeof incidentNotices.$inferInsert> = [];
    const msgs: Array<typeof messages.$inferInsert> = [];
    for (const c of affected) {
      if (optedOut(c.attributes)) {
        notices.push({ workspaceId: ws, incidentId: incident.id, broadcastId: b.id, contactId: c.id, status: 'skipped', reason: 'opted_out', createdAt: now });
        continue;
      }
      const own = convs.filter((x) => x.contactId === c.id && channelAdapter(x.kind));
      const preferred = typeof c.attributes.preferredChannel === 'string' ? own.find((x) => x.kind === c.attributes.preferredChannel) : undefined;
      const target = preferred ?? own[0];
      if (!target) {
        notices.push({ workspaceId: ws, incidentId: incident.id, broadcastId: b.id, contactId: c.id, status: 'skipped', reason: 'no_channel', createdAt: now });
        continue;
      }
      const locale = c.attributes.locale === 'en' || c.attributes.locale === 'nl' ? c.attributes.locale : wsRow?.locale === 'en' ? 'en' : 'nl';
      const texts = (b.texts as Record<string, Record<string, string>>)[locale]!;
      const mapping = target.kind === 'whatsapp' ? mappingFor(settings.incidentWhatsAppTemplates, incident.scenario, locale, b.kind, target.inboxId) : null;
      const values =
        mapping && windowClosed(target.channelState.lastCustomerMessageAt, now)
          ? templateValues(mapping, { locale, contactName: c.name, variables: incident.variables as Record<string, IncidentVariable>, update: texts.update_value, timeZone: wsRow?.timeZone ?? 'Europe/Amsterdam', declaredAt: incident.declaredAt })
          : null;
      const notice = mapping && values ? asTemplate(mapping, values, shortTextOf(b.kind, texts)) : noticeFor(b.kind, texts, target.kind);
      const messageId = deps.runtime.id();
      notices.push({ workspaceId: ws, incidentId: incident.id, broadcastId: b.id, contactId: c.id, conversationId: target.id, messageId, status: 'queued', createdAt: now });
      msgs.push({
        workspaceId: ws,
        id: messageId,
        conversationId: target.id,
        inboxId: target.inboxId,
        kind: 'message',
        direction: 'outbound',
        senderType: 'system',
        content: personalize(notice.content, c.name, locale),
        contentAttributes: {
          ...notice.attributes,
          ...(typeof notice.attributes.fallbackText === 'string' ? { fallbackText: personalize(notice.attributes.fallbackText, c.name, locale) } : {}),
          incident: { id: incident.id, broadcastId: b.id, kind: b.kind },
        },
        status: 'queued',
        createdAt: now,
        updatedAt: now,
      });
    }
    // Only contacts whose notice row is new get a message: a repeated page sends nothing twice.
    const inserted = notices.length
      ? await tx.insert(incidentNotices).values(notices).onConflictDoNothing().returning({ contactId: incidentNotices.contactId, messageId: incidentNotices.messageId, status: incidentNotices.status })
      : [];
    const fresh = new Set(inserted.filter((n) => n.messageId).map((n) => n.messageId!));
    const toSend = msgs.filter((m) => fresh.has(m.id));
    if (toSend.length) {
      await tx.insert(messages).values(toSend);
      // One statement for the whole page; each conversation's preview is its own (personalized) notice.
      const ids = toSend.map((m) => m.id);
      await tx.execute(sql`
        update conversations c set message_count = c.message_count + 1, last_outbound_at = ${now}, last_message_at = ${now},
          preview = left(regexp_replace(m.content, '\s+', ' ', 'g'), 200)
        from messages m
        where c.workspace_id = ${ws} and m.workspace_id = ${ws} and m.conversation_id = c.id
          and m.id in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})`);
      // The new notices appear in the agents' open conversations and lists: one event per inbox, not per message.
      const byInbox = new Map<string, string[]>();
      for (const m of toSend) byInbox.set(m.inboxId, [...(byInbox.get(m.inboxId) ?? []), m.conversationId]);
      for (const [inboxId, conversationIds] of byInbox) {
        out.event('incident.broadcast_progress', { inboxId }, { phase: 'queued', incident: { id: incident.id, broadcastId: b.id, kind: b.kind }, conversationIds, queued: conversationIds.length });
      }
      // Paced (settings.broadcastPerSecond): each batch at most a second's worth, on the broadcast's own clock.
      const plan = paceBatches({ count: toSend.length, perSecond: settings.broadcastPerSecond, maxBatch: SEND_BATCH, now: now.getTime(), nextAt: input.nextAt });
      nextAt = plan.nextAt;
      for (const batch of plan.batches) {
        const ids = toSend.slice(batch.from, batch.to).map((m) => m.id);
        out.job('send-batch', { workspaceId: ws, messageIds: ids }, { singletonKey: `send-batch:${ids[0]}`, ...(batch.delayMs ? { startAfter: new Date(now.getTime() + batch.delayMs) } : {}) });
      }
    }
    const queued = inserted.filter((n) => n.status === 'queued').length;
    const skipped = inserted.length - queued;
    const last = page.length === BROADCAST_PAGE;
    await tx
      .update(incidentBroadcasts)
      .set({
        targeted: sql`${incidentBroadcasts.targeted} + ${inserted.length}`,
        queued: sql`${incidentBroadcasts.queued} + ${queued}`,
        skipped: sql`${incidentBroadcasts.skipped} + ${skipped}`,
        ...(last ? {} : { status: 'done' as const, finishedAt: now }),
      })
      .where(and(eq(incidentBroadcasts.workspaceId, ws), eq(incidentBroadcasts.id, b.id)));
    if (last) {
      const after = page[page.length - 1]!.id;
      const wait = nextPageDelay(nextAt, now.getTime());
      out.job(
        'incident-broadcast',
        { workspaceId: ws, broadcastId: b.id, after, nextAt: Math.round(nextAt) },
        { singletonKey: `incident-broadcast:${b.id}:${after}`, ...(wait ? { startAfter: new Date(now.getTime() + wait) } : {}) },
      );
    } else {
      await audit(tx, deps, { workspaceId: ws, actor: { type: 'system' }, action: 'incident.broadcast_finished', targetType: 'incident', targetId: incident.id, data: { broadcastId: b.id } });
      out.event('incident.changed', {}, { incidentId: incident.id, broadcastId: b.id, finished: true });
    }
  });
}

/**
 * Called by ingest-inbound inside its transaction for every inbound message: links the conversation to each
 * active incident whose segment includes the contact or whose keywords the message uses, and labels it.
 * Without active incidents this is one indexed query.
 */
export type IncidentHit = { incident: IncidentRow; reason: 'segment' | 'keyword' };

/** Which active incidents an inbound message belongs to: the contact is in the segment, or the text has a keyword. */
export function matchIncidents(active: IncidentRow[], contact: ContactRow, content: string): IncidentHit[] {
  return active
    .map((incident) => {
      const seg = incident.segment as Segment;
      const bySegment = !segmentIsEmpty(seg) && inSegment(contact.attributes, seg);
      return bySegment ? { incident, reason: 'segment' as const } : matchesKeywords(content, incident.keywords) ? { incident, reason: 'keyword' as const } : null;
    })
    .filter((h): h is IncidentHit => !!h);
}

/** Links a conversation to the incidents it matched; returns the labels it gets (the incidents' labels added). */
export async function linkToIncidents(tx: Db, conversation: ConversationRow, hits: IncidentHit[], now: Date): Promise<string[]> {
  if (!hits.length) return conversation.labels;
  await tx
    .insert(incidentConversations)
    .values(hits.map((h) => ({ workspaceId: conversation.workspaceId, incidentId: h.incident.id, conversationId: conversation.id, reason: h.reason, linkedAt: now })))
    .onConflictDoNothing();
  return [...new Set([...conversation.labels, ...hits.map((h) => h.incident.label)])];
}

/** Incidents a conversation is linked to, each with a suggested reply in the customer's language. */
export async function incidentsOfConversation(db: Db, workspaceId: string, conversationId: string, locale: 'nl' | 'en', contactName: string) {
  const rows = await db
    .select({ incident: incidents, reason: incidentConversations.reason })
    .from(incidentConversations)
    .innerJoin(incidents, and(eq(incidents.workspaceId, incidentConversations.workspaceId), eq(incidents.id, incidentConversations.incidentId)))
    .where(and(eq(incidentConversations.workspaceId, workspaceId), eq(incidentConversations.conversationId, conversationId)));
  return rows.map((r) => ({
    ...incidentDto(r.incident),
    reason: r.reason,
    suggestedReply: personalize(r.incident.status === 'active' ? (r.incident.texts[locale]?.whatsapp ?? '') : (r.incident.texts[locale]?.resolution ?? ''), contactName, locale),
  }));
}

/** Linked conversations still open, resolved with a personal message each (their name, their language). */
export async function bulkResolveLinked(deps: Deps, actor: Actor, incidentId: string, input: { message: { nl: string; en?: string } }) {
  const incident = await getIncident(deps.store.db, actor.workspaceId, incidentId);
  const linked = await deps.store.db
    .select({ id: conversations.id, status: conversations.status, contactName: contacts.name, attributes: contacts.attributes })
    .from(incidentConversations)
    .innerJoin(conversations, and(eq(conversations.workspaceId, incidentConversations.workspaceId), eq(conversations.id, incidentConversations.conversationId)))
    .innerJoin(contacts, and(eq(contacts.workspaceId, conversations.workspaceId), eq(contacts.id, conversations.contactId)))
    .where(and(eq(incidentConversations.workspaceId, actor.workspaceId), eq(incidentConversations.incidentId, incident.id)));
  const resolved: string[] = [];
  const failed: Array<{ id: string; code: string }> = [];
  for (const c of linked) {
    if (c.status === 'resolved' || c.status === 'closed') continue;
    const locale = c.attributes.locale === 'en' ? 'en' : 'nl';
    const text = personalize(locale === 'en' ? (input.message.en ?? input.message.nl) : input.message.nl, c.contactName, locale);
    try {
      await sendReply(deps, actor, c.id, { kind: 'message', content: text, contentAttributes: { incident: { id: incident.id, kind: 'bulk_resolve' } } });
      await changeStatus(deps, actor, actor.workspaceId, c.id, 'resolved');
      resolved.push(c.id);
    } catch (err) {
      failed.push({ id: c.id, code: err instanceof AppError ? err.code : 'error' });
    }
  }
  await withOutbox(deps, actor.workspaceId, async (tx) => {
    await audit(tx, deps, { workspaceId: actor.workspaceId, actor, action: 'incident.bulk_resolved', targetType: 'incident', targetId: incident.id, data: { resolved: resolved.length, failed: failed.length } });
  });
  return { resolved, failed };
}

export async function listIncidents(db: Db, workspaceId: string) {
  const rows = await db.select().from(incidents).where(eq(incidents.workspaceId, workspaceId)).orderBy(desc(incidents.declaredAt)).limit(100);
  const counts = rows.length
    ? await db
        .select({ incidentId: incidentConversations.incidentId, n: sql<number>`count(*)::int` })
        .from(incidentConversations)
        .where(and(eq(incidentConversations.workspaceId, workspaceId), inArray(incidentConversations.incidentId, rows.map((r) => r.id))))
        .groupBy(incidentConversations.incidentId)
    : [];
  const broadcasts = rows.length
    ? await db
        .select()
        .from(incidentBroadcasts)
        .where(and(eq(incidentBroadcasts.workspaceId, workspaceId), inArray(incidentBroadcasts.incidentId, rows.map((r) => r.id))))
        .orderBy(asc(incidentBroadcasts.createdAt))
    : [];
  return rows.map((r) => ({
    ...incidentDto(r),
    linkedConversations: counts.find((c) => c.incidentId === r.id)?.n ?? 0,
    broadcasts: broadcasts
      .filter((b) => b.incidentId === r.id)
      .map((b) => ({ id: b.id, kind: b.kind, status: b.status, targeted: b.targeted, queued: b.queued, skipped: b.skipped, createdAt: b.createdAt.toISOString(), finishedAt: b.finishedAt?.toISOString() ?? null })),
  }));
}

/** Delivery figures of one broadcast, from the messages it wrote. */
export async function broadcastDelivery(db: Db, workspaceId: string, broadcastId: string) {
  const rows = await db
    .select({ status: messages.status, n: sql<number>`count(*)::int` })
    .from(incidentNotices)
    .innerJoin(messages, and(eq(messages.workspaceId, incidentNotices.workspaceId), eq(messages.id, incidentNotices.messageId)))
    .where(and(eq(incidentNotices.workspaceId, workspaceId), eq(incidentNotices.broadcastId, broadcastId)))
    .groupBy(messages.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
}

export { textKeys };

/**
 * Contacts an incident's notices prevented, per incident declared in the last `days` days: customers who got the
 * proactive notice, and how many of them still contacted us (an inbound message after their notice, before the
 * resolution). The rest had their answer before asking — the repeat contacts the notice saved. Conversations
 * linked to the incident (segment or keyword) are the contacts it still caused.
 */
export async function incidentPrevention(deps: Deps, workspaceId: string, days: number) {
  const since = new Date(deps.runtime.now().getTime() - days * 86_400_000);
  type Row = { id: string; scenario: string; texts: Record<string, Record<string, string>>; declared_at: string | Date; resolved_at: string | Date | null; notified: number; contacted: number; linked: number };
  const list = await deps.store.rows<Row>(sql`
    select i.id, i.scenario, i.texts, i.declared_at, i.resolved_at,
      (select count(distinct n.contact_id)::int from incident_notices n join incident_broadcasts b on b.workspace_id = n.workspace_id and b.id = n.broadcast_id
        where n.workspace_id = i.workspace_id and n.incident_id = i.id and n.status = 'queued' and b.kind = 'notice') as notified,
      (select count(distinct n.contact_id)::int from incident_notices n join incident_broadcasts b on b.workspace_id = n.workspace_id and b.id = n.broadcast_id
        where n.workspace_id = i.workspace_id and n.incident_id = i.id and n.status = 'queued' and b.kind = 'notice'
          and exists (select 1 from conversations c join messages m on m.workspace_id = c.workspace_id and m.conversation_id = c.id
            where c.workspace_id = n.workspace_id and c.contact_id = n.contact_id and m.direction = 'inbound'
              and m.created_at > n.created_at and m.created_at < coalesce(i.resolved_at, now()))) as contacted,
      (select count(*)::int from incident_conversations ic where ic.workspace_id = i.workspace_id and ic.incident_id = i.id) as linked
    from incidents i where i.workspace_id = ${workspaceId} and i.declared_at >= ${since}
    order by i.declared_at desc limit 50`);
  const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
  return list.map((r) => ({
    id: r.id,
    scenario: r.scenario,
    title: { nl: r.texts.nl?.title ?? '', en: r.texts.en?.title ?? '' },
    declaredAt: iso(r.declared_at)!,
    resolvedAt: iso(r.resolved_at),
    notified: r.notified,
    contactedAnyway: r.contacted,
    prevented: Math.max(0, r.notified - r.contacted),
    linkedConversations: r.linked,
  }));
}

/**
 * The segment as a SQL condition on contacts: never narrower than `inSegment` (which checks every row it lets
 * through), so nobody affected is missed. Postcode: the first four digits of a string `postcode` attribute in the
 * range. Products: the attributes mention one of the products (a cheap superset; the exact match is in JS).
 * Attributes: equal, case-insensitively.
 */
/** Same rule as `postcodeDigits` in the domain: four digits at the start, spaces allowed before. */
const POSTCODE_DIGITS = '^\\s*(\\d{4})';

export function segmentSql(segment: Segment): SQL | undefined {
  const where: SQL[] = [];
  if (segment.postcodeFrom !== undefined || segment.postcodeTo !== undefined) {
    const digits = sql`(substring(${contacts.attributes}->>'postcode' from ${POSTCODE_DIGITS}))::int`;
    where.push(sql`jsonb_typeof(${contacts.attributes}->'postcode') = 'string'`);
    if (segment.postcodeFrom !== undefined) where.push(sql`${digits} >= ${segment.postcodeFrom}`);
    if (segment.postcodeTo !== undefined) where.push(sql`${digits} <= ${segment.postcodeTo}`);
  }
  if (segment.products?.length) {
    const patterns = segment.products.map((p) => `%${likeEscape(p.trim().toLowerCase())}%`);
    where.push(sql`lower(concat_ws(' ', ${contacts.attributes}->>'product', ${contacts.attributes}->>'products')) like any (${sql.raw('array[')}${sql.join(patterns.map((p) => sql`${p}`), sql`, `)}${sql.raw(']::text[]')})`);
  }
  for (const [k, v] of Object.entries(segment.attributes ?? {})) {
    where.push(v === '' ? sql`coalesce(${contacts.attributes}->>${k}, '') = ''` : sql`lower(${contacts.attributes}->>${k}) = ${v.toLowerCase()}`);
  }
  return where.length ? and(...where) : undefined;
}

/** How many contacts a segment would reach, before declaring (opt-outs counted apart), with a few names. */
export async function previewSegment(db: Db, workspaceId: string, segment: Segment) {
  let after: string | undefined;
  let matching = 0;
  let optedOutCount = 0;
  const sample: Array<{ id: string; name: string }> = [];
  for (;;) {
    const page = await db
      .select({ id: contacts.id, name: contacts.name, attributes: contacts.attributes })
      .from(contacts)
      .where(and(eq(contacts.workspaceId, workspaceId), isNull(contacts.mergedIntoId), segmentSql(segment), ...(after ? [gt(contacts.id, after)] : [])))
      .orderBy(asc(contacts.id))
      .limit(2000);
    for (const c of page) {
      if (!inSegment(c.attributes, segment)) continue;
      matching++;
      if (optedOut(c.attributes)) optedOutCount++;
      else if (sample.length < 8) sample.push({ id: c.id, name: c.name ?? '' });
    }
    if (page.length < 2000) break;
    after = page[page.length - 1]!.id;
  }
  return { contacts: matching, optedOut: optedOutCount, sample };
}

/** The conversations linked to an incident (segment or keyword), newest first. */
export async function linkedConversations(db: Db, workspaceId: string, incidentId: string, limit = 200) {
  const rows = await db
    .select({ id: conversations.id, number: conversations.number, status: conversations.status, preview: conversations.preview, lastActivityAt: conversations.lastActivityAt, inboxId: conversations.inboxId, contactName: contacts.name, reason: incidentConversations.reason, linkedAt: incidentConversations.linkedAt })
    .from(incidentConversations)
    .innerJoin(conversations, and(eq(conversations.workspaceId, incidentConversations.workspaceId), eq(conversations.id, incidentConversations.conversationId)))
    .innerJoin(contacts, and(eq(contacts.workspaceId, conversations.workspaceId), eq(contacts.id, conversations.contactId)))
    .where(and(eq(incidentConversations.workspaceId, workspaceId), eq(incidentConversations.incidentId, incidentId)))
    .orderBy(desc(incidentConversations.linkedAt))
    .limit(limit);
  return rows.map((r) => ({ ...r, lastActivityAt: r.lastActivityAt.toISOString(), linkedAt: r.linkedAt.toISOString() }));
}
