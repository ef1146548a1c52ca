import crypto from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { attachmentInput } from '../../shared/api';
import { callbackRequests, contacts } from '../../store/schema';
import { decodeBase64File } from '../../app/attachments';
import { listCallbackSlots } from '../../app/callback-slots';
import { callNudgeReport } from '../../app/call-nudge-report';
import { addCaseInformation, answerAgreement, caseStatusUrl, caseStatusView, openCaseToken, recordAgreement, requestCallback, revokeCaseLinks } from '../../app/case-status';
import { calendarFor, calendarInput, calendarSchema, certaintySettingsPatch, inboxCalendar, loadCertainty, setInboxCalendar, updateCertaintySettings } from '../../app/certainty-settings';
import type { BusinessCalendar } from '../../domain/business-hours';
import {
  broadcastDelivery,
  bulkResolveLinked,
  currentIvrMessage,
  declareIncidentInput,
  declareIncident,
  incidentDto,
  incidentPrevention,
  linkedConversations,
  previewSegment,
  segmentSchema,
  incidentsOfConversation,
  listIncidents,
  postIncidentUpdate,
  publicIncidents,
  resolveIncident,
} from '../../app/incidents';
import { computePromiseStats, promiseOutcomes, promiseStatus, recordPromise, revisePromise } from '../../app/promises';
import { coachReply } from '../../domain/reply-coach';
import { snowballStemmers } from '../../app/stemmers';
import { contactDriversReport } from '../../app/contact-drivers';
import { defaultSpeedTargets } from '../../domain/speed-targets';
import { defaultTemplates } from '../../domain/incident-templates';
import { removeIncidentWhatsAppTemplate, setIncidentWhatsAppTemplate, templateMappingInput, templateMappingParams } from '../../app/incident-whatsapp-templates';
import { AppError } from '../../shared/errors';
import { UUID_RE } from '../../shared/runtime';
import type { Locale } from '../../domain/promise-text';
import { renderCaseStatusPage, renderNotFoundPage } from '../case-status-page';
import { route, type RouteSpec } from '../route';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app/context';

/** Certainty and contact prevention: promises, reply coach, case-status links and page, incidents. */
const conv = z.object({ conversationId: z.string() });
const inc = z.object({ incidentId: z.string() });
const json = z.record(z.string(), z.unknown());
/** What every conversation-scoped certainty route shares: a member, the conversation loaded and access-checked. */
const onConversation = { tags: ['Certainty'], auth: 'member' as const, params: conv, resources: { conversationId: 'conversation' as const } };
/** Incident changes that broadcast to customers: admins only, the incident loaded and workspace-checked. */
const onIncidentAsAdmin = { tags: ['Incidents'], auth: 'member' as const, roles: ['owner' as const, 'admin' as const], params: inc, resources: { incidentId: 'incident' as const } };

// Public status page limits: generous for a customer, useless for someone guessing tokens.
const PAGE_LIMIT = 60;
const PAGE_WINDOW_MS = 60_000;
const ACTION_LIMIT = 10;
const ACTION_WINDOW_MS = 10 * 60_000;

const localeOf = (req: FastifyRequest, fallback: Locale = 'nl'): Locale => {
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  if (q === 'en' || q === 'nl') return q;
  const accept = String(req.headers['accept-language'] ?? '').toLowerCase();
  if (accept.startsWith('en')) return 'en';
  if (accept.startsWith('nl')) return 'nl';
  return fallback;
};

async function limit(deps: Services, key: string, max: number, windowMs: number) {
  const r = await deps.limiter.hit(key, max, windowMs);
  if (!r.allowed) throw new AppError('rate_limited', 'too_many_requests', 'Too many requests. Try again later.', { retryAfterSeconds: r.retryAfterSeconds });
}

/**
 * Every customer action on the status page: no indexing, the per-IP page limit, a valid token, then the stricter
 * per-link action limit. Returns the opened case.
 */
async function openForAction(deps: Services, req: FastifyRequest, reply: FastifyReply, token: string) {
  noindex(reply);
  await limit(deps, `status:ip:${req.ip}`, PAGE_LIMIT, PAGE_WINDOW_MS);
  const ctx = await openCaseToken(deps, token);
  await limit(deps, `status:act:${ctx.linkId}:${req.ip}`, ACTION_LIMIT, ACTION_WINDOW_MS);
  return ctx;
}

const noindex = (reply: FastifyReply) => reply.header('x-robots-tag', 'noindex, nofollow').header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');

export const certaintyRoutes: RouteSpec[] = [
  // ── settings ──
  route({
    method: 'GET',
    url: '/api/v1/certainty/settings',
    summary: 'Certainty settings: reply-coach lists, speed targets, case-type explanations, calendars, incident templates',
    tags: ['Certainty'],
    auth: 'member',
    response: { schema: json },
    handler: async ({ deps, actor }) => {
      const { settings } = await loadCertainty(deps.store.db, deps, actor.workspaceId);
      return { ...settings, speedTargetDefaults: defaultSpeedTargets, incidentTemplateDefaults: defaultTemplates };
    },
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/certainty/settings',
    summary: 'Change certainty settings (send only the keys that change)',
    tags: ['Certainty'],
    auth: 'member',
    roles: ['owner', 'admin'],
    body: certaintySettingsPatch,
    response: { schema: json },
    handler: ({ deps, actor, body }) => updateCertaintySettings(deps, actor.workspaceId, body),
  }),
  route({
    method: 'PUT',
    url: '/api/v1/certainty/incident-whatsapp-templates/:scenario/:locale/:kind',
    summary: "Choose the WhatsApp template an incident broadcast sends outside the customer's 24-hour window, and which incident variable fills each body parameter",
    tags: ['Incidents'],
    auth: 'member',
    roles: ['owner', 'admin'],
    params: templateMappingParams,
    body: templateMappingInput,
    response: { schema: json },
    errors: [503],
    handler: ({ deps, actor, params, body }) => setIncidentWhatsAppTemplate(deps, actor, params, body),
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/certainty/incident-whatsapp-templates/:scenario/:locale/:kind',
    summary: 'Stop sending a WhatsApp template for this scenario, language and broadcast kind (closed windows fall back to SMS)',
    tags: ['Incidents'],
    auth: 'member',
    roles: ['owner', 'admin'],
    params: templateMappingParams,
    response: { status: 204 },
    handler: async ({ deps, actor, params }) => {
      await removeIncidentWhatsAppTemplate(deps, actor, params);
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/inboxes/:inboxId/business-hours',
    summary: "An inbox's business calendar (its own, or the workspace default): promises and the widget count in it",
    tags: ['Certainty'],
    auth: 'member',
    params: z.object({ inboxId: z.string() }),
    resources: { inboxId: 'inbox' },
    response: { schema: z.object({ calendar: calendarSchema, own: z.boolean() }) },
    handler: ({ deps, actor, resources }) => inboxCalendar(deps, actor.workspaceId, resources.inbox!.id),
  }),
  route({
    method: 'PUT',
    url: '/api/v1/inboxes/:inboxId/business-hours',
    summary: "Set an inbox's business calendar; `calendar: null` returns it to the workspace default",
    tags: ['Certainty'],
    auth: 'member',
    roles: ['owner', 'admin'],
    params: z.object({ inboxId: z.string() }),
    resources: { inboxId: 'inbox' },
    body: z.object({ calendar: calendarInput.nullable() }),
    response: { schema: z.object({ calendar: calendarSchema, own: z.boolean() }) },
    handler: ({ deps, actor, resources, body }) => setInboxCalendar(deps, actor.workspaceId, resources.inbox!.id, body.calendar as BusinessCalendar | null),
  }),
  route({
    method: 'POST',
    url: '/api/v1/coach',
    summary: 'Reply coach: stock phrases, vague promises, missing next step, unanswered questions (advice only)',
    tags: ['Certainty'],
    auth: 'member',
    body: z.object({ draft: z.string().max(50_000), customerMessage: z.string().max(50_000).nullish(), locale: z.enum(['nl', 'en']).optional() }),
    response: { schema: json },
    handler: async ({ deps, actor, body }) => {
      const { settings } = await loadCertainty(deps.store.db, deps, actor.workspaceId);
      return coachReply(body.draft, { lists: settings.coach, customerMessage: body.customerMessage ?? null, stemmers: snowballStemmers, ...(body.locale ? { locale: body.locale } : {}) });
    },
  }),
  // ── promises ──
  route({
    method: 'POST',
    url: '/api/v1/certainty/promise-stats/compute',
    summary: 'Recompute the handling-time figures now (the job does this every hour)',
    tags: ['Certainty'],
    auth: 'member',
    roles: ['owner', 'admin'],
    response: { schema: z.object({ figures: z.number() }) },
    handler: async ({ deps, actor }) => ({ figures: await computePromiseStats(deps, actor.workspaceId) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/conversations/:conversationId/certainty',
    summary: 'Promise (with live state and a proposed new-time message when it will be missed), linked incidents with suggested replies, agreements and callback requests',
    ...onConversation,
    response: { schema: json },
    handler: async ({ deps, actor, resources }) => {
      const c = resources.conversation!;
      const [contact] = await deps.store.db.select().from(contacts).where(and(eq(contacts.workspaceId, actor.workspaceId), eq(contacts.id, c.contactId)));
      const locale: Locale = contact?.attributes.locale === 'en' ? 'en' : 'nl';
      const callbacks = await deps.store.db
        .select()
        .from(callbackRequests)
        .where(and(eq(callbackRequests.workspaceId, actor.workspaceId), eq(callbackRequests.conversationId, c.id)))
        .orderBy(desc(callbackRequests.createdAt))
        .limit(10);
      return {
        promise: await promiseStatus(deps, actor.workspaceId, c.id),
        incidents: await incidentsOfConversation(deps.store.db, actor.workspaceId, c.id, locale, contact?.name ?? ''),
        callbackRequests: callbacks.map((r) => ({
          id: r.id,
          phone: r.phone,
          preferredTime: r.preferredTime,
          note: r.note,
          status: r.status,
          dueAt: r.dueAt?.toISOString() ?? null,
          windowEndsAt: r.windowEndsAt?.toISOString() ?? null,
          createdAt: r.createdAt.toISOString(),
        })),
      };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/conversations/:conversationId/promise',
    summary: 'Make (and record) the handling-time promise of this conversation; returns the existing one if made',
    ...onConversation,
    body: z.object({ locale: z.enum(['nl', 'en']).optional(), includeStatusLink: z.boolean().default(true) }),
    response: { schema: json },
    handler: async ({ deps, actor, resources, body }) => {
      const statusUrl = body.includeStatusLink ? await caseStatusUrl(deps, actor.workspaceId, resources.conversation!.id) : null;
      return recordPromise(deps, actor.workspaceId, resources.conversation!.id, { ...(body.locale ? { locale: body.locale } : {}), statusUrl });
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/conversations/:conversationId/promise/revise',
    summary: 'Send the proposed new realistic time (or your own wording of it) and make it the promise; the old one goes to the promise history',
    ...onConversation,
    body: z.object({ content: z.string().trim().max(5000).optional() }),
    response: { schema: json },
    handler: ({ deps, actor, resources, body }) => revisePromise(deps, actor, resources.conversation!.id, body),
  }),
  // ── case-status links ──
  route({
    method: 'POST',
    url: '/api/v1/conversations/:conversationId/status-link',
    summary: "The conversation's case-status link for the customer (the same link until revoked)",
    ...onConversation,
    response: { schema: z.object({ url: z.string() }) },
    handler: async ({ deps, actor, resources }) => ({ url: await caseStatusUrl(deps, actor.workspaceId, resources.conversation!.id) }),
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/conversations/:conversationId/status-link',
    summary: 'Revoke the case-status link (a new one can be made afterwards)',
    ...onConversation,
    response: { schema: z.object({ revoked: z.number() }) },
    handler: ({ deps, actor, resources }) => revokeCaseLinks(deps, actor, resources.conversation!.id),
  }),
  route({
    method: 'POST',
    url: '/api/v1/conversations/:conversationId/agreements',
    summary: 'Record an agreement (e.g. after a phone call) for the customer to confirm on the case-status page',
    ...onConversation,
    body: z.object({ summary: z.string().trim().min(1).max(5000), nextStep: z.string().trim().max(1000).optional(), dueAt: z.coerce.date().nullish(), source: z.string().max(40).optional() }),
    response: { status: 201, schema: json },
    handler: async ({ deps, actor, resources, body }) => {
      const row = await recordAgreement(deps, actor, resources.conversation!.id, {
        summary: body.summary,
        ...(body.nextStep ? { nextStep: body.nextStep } : {}),
        dueAt: body.dueAt ?? null,
        ...(body.source ? { source: body.source } : {}),
      });
      return { id: row.id, status: row.status, summary: row.summary, nextStep: row.nextStep, dueAt: row.dueAt?.toISOString() ?? null };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/reports/contact-drivers',
    summary: 'Contact drivers per label and inbox: volume, first-contact resolution, repeat contacts, incident contacts, handling time (JSON or CSV)',
    tags: ['Certainty'],
    auth: 'member',
    roles: ['owner', 'admin'],
    query: z.object({ days: z.coerce.number().int().min(1).max(365).default(30), format: z.enum(['json', 'csv']).default('json') }),
    response: { schema: z.object({ items: z.array(json) }) },
    handler: async ({ deps, actor, query, reply }) => {
      const report = await contactDriversReport(deps, actor.workspaceId, query.days);
      if (query.format === 'csv') {
        return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="contact-drivers.csv"').send(report.csv());
      }
      return { items: report.items };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/reports/call-nudges',
    summary: '"Call this customer" nudges: how often followed (called, callback offered), and resolution and further contacts within 7 days, followed vs not followed',
    tags: ['Calls'],
    auth: 'member',
    roles: ['owner', 'admin'],
    query: z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }),
    response: { schema: json },
    handler: ({ deps, actor, query }) => callNudgeReport(deps, actor, query),
  }),
  route({
    method: 'GET',
    url: '/api/v1/reports/promises',
    summary: 'Promises kept, missed and revised per day (workspace time zone)',
    tags: ['Certainty'],
    auth: 'member',
    roles: ['owner', 'admin'],
    query: z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }),
    response: { schema: json },
    handler: ({ deps, actor, query }) => promiseOutcomes(deps, actor.workspaceId, query.days),
  }),
  route({
    method: 'GET',
    url: '/api/v1/reports/incident-prevention',
    summary: 'Per incident: customers notified, how many still contacted us during it, and the contacts prevented',
    tags: ['Incidents'],
    auth: 'member',
    roles: ['owner', 'admin'],
    query: z.object({ days: z.coerce.number().int().min(1).max(365).default(90) }),
    response: { schema: z.object({ items: z.array(json) }) },
    handler: async ({ deps, actor, query }) => ({ items: await incidentPrevention(deps, actor.workspaceId, query.days) }),
  }),
  // ── incidents ──
  route({
    method: 'GET',
    url: '/api/v1/incidents',
    summary: 'Incidents, newest first, with linked-conversation counts and broadcasts',
    tags: ['Incidents'],
    auth: 'member',
    response: { schema: z.object({ items: z.array(json) }) },
    handler: async ({ deps, actor }) => ({ items: await listIncidents(deps.store.db, actor.workspaceId) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/incidents',
    summary: 'Declare an incident: banner and IVR text live at once, proactive notice to the affected segment, inbound from it linked',
    tags: ['Incidents'],
    auth: 'member',
    roles: ['owner', 'admin'],
    body: declareIncidentInput,
    response: { status: 201, schema: json },
    handler: ({ deps, actor, body }) => declareIncident(deps, actor, body),
  }),
  route({
    method: 'GET',
    url: '/api/v1/incidents/:incidentId',
    summary: 'One incident',
    tags: ['Incidents'],
    auth: 'member',
    params: inc,
    resources: { incidentId: 'incident' },
    response: { schema: json },
    handler: ({ resources }) => incidentDto(resources.incident!),
  }),
  route({
    method: 'POST',
    url: '/api/v1/incidents/preview',
    summary: 'How many contacts a segment reaches (and how many opted out), before declaring',
    tags: ['Incidents'],
    auth: 'member',
    roles: ['owner', 'admin'],
    body: z.object({ segment: segmentSchema.default({}) }),
    response: { schema: json },
    handler: ({ deps, actor, body }) => previewSegment(deps.store.db, actor.workspaceId, body.segment),
  }),
  route({
    method: 'GET',
    url: '/api/v1/incidents/:incidentId/conversations',
    summary: 'Conversations linked to the incident (from the segment or by keyword), newest first',
    tags: ['Incidents'],
    auth: 'member',
    roles: ['owner', 'admin'],
    params: inc,
    resources: { incidentId: 'incident' },
    response: { schema: z.object({ items: z.array(json) }) },
    handler: async ({ deps, actor, resources }) => ({ items: await linkedConversations(deps.store.db, actor.workspaceId, resources.incident!.id) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/incidents/:incidentId/broadcasts/:broadcastId',
    summary: 'Delivery of one broadcast (messages per delivery state)',
    tags: ['Incidents'],
    auth: 'member',
    params: inc.extend({ broadcastId: z.string().regex(UUID_RE) }),
    resources: { incidentId: 'incident' },
    response: { schema: json },
    handler: async ({ deps, actor, params }) => ({ delivery: await broadcastDelivery(deps.store.db, actor.workspaceId, params.broadcastId) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/incidents/:incidentId/updates',
    summary: 'Broadcast an update to the affected customers',
    ...onIncidentAsAdmin,
    body: z.object({ nl: z.string().trim().min(1).max(2000), en: z.string().trim().min(1).max(2000).optional(), ivr: z.object({ nl: z.string().max(2000).optional(), en: z.string().max(2000).optional() }).optional() }),
    response: { status: 201, schema: json },
    handler: ({ deps, actor, resources, body }) => postIncidentUpdate(deps, actor, resources.incident!.id, body),
  }),
  route({
    method: 'POST',
    url: '/api/v1/incidents/:incidentId/resolve',
    summary: 'Resolve: banners and IVR text go, the resolution notice is broadcast',
    ...onIncidentAsAdmin,
    body: z.object({ notify: z.boolean().default(true) }),
    response: { schema: json },
    handler: ({ deps, actor, resources, body }) => resolveIncident(deps, actor, resources.incident!.id, body),
  }),
  route({
    method: 'POST',
    url: '/api/v1/incidents/:incidentId/bulk-resolve',
    summary: 'Resolve every linked open conversation with a personal message ({name} is filled per customer)',
    ...onIncidentAsAdmin,
    body: z.object({ message: z.object({ nl: z.string().trim().min(1).max(5000), en: z.string().trim().min(1).max(5000).optional() }) }),
    response: { schema: json },
    handler: ({ deps, actor, resources, body }) => bulkResolveLinked(deps, actor, resources.incident!.id, body),
  }),
  // ── public ──
  route({
    method: 'GET',
    url: '/api/v1/public/workspaces/:workspaceId/incidents',
    summary: 'Active incident banners and the phone-queue message (public: read by the widget, help center and status page)',
    tags: ['Incidents'],
    auth: 'public',
    params: z.object({ workspaceId: z.string().regex(UUID_RE) }),
    response: { schema: json },
    handler: async ({ deps, params, reply }) => {
      reply.header('cache-control', 'public, max-age=15').header('access-control-allow-origin', '*');
      const ws = params.workspaceId.toLowerCase();
      return { items: await publicIncidents(deps.store.db, ws), ivr: { nl: await currentIvrMessage(deps.store.db, ws, 'nl'), en: await currentIvrMessage(deps.store.db, ws, 'en') } };
    },
  }),
  route({
    method: 'GET',
    url: '/s/:token',
    summary: 'Case-status page (HTML, no login)',
    tags: ['Certainty'],
    auth: 'public',
    hidden: true,
    params: z.object({ token: z.string().max(200) }),
    query: z.object({ lang: z.enum(['nl', 'en']).optional() }),
    handler: async ({ deps, params, req, reply }) => {
      noindex(reply);
      const locale = localeOf(req);
      const allowed = await deps.limiter.hit(`status:ip:${req.ip}`, PAGE_LIMIT, PAGE_WINDOW_MS);
      if (!allowed.allowed) return reply.status(429).header('retry-after', String(allowed.retryAfterSeconds)).type('text/html; charset=utf-8').send(renderNotFoundPage(locale));
      let ctx;
      try {
        ctx = await openCaseToken(deps, params.token);
      } catch (err) {
        if (err instanceof AppError && err.kind === 'not_found') return reply.status(404).type('text/html; charset=utf-8').send(renderNotFoundPage(locale));
        throw err;
      }
      const view = await caseStatusView(deps, ctx);
      const { settings } = await loadCertainty(deps.store.db, deps, ctx.workspaceId);
      const slots = view.callbackRequested ? null : await listCallbackSlots(deps, ctx.workspaceId, ctx.conversation.inboxId);
      const nonce = crypto.randomBytes(16).toString('base64');
      return reply
        .header(
          'content-security-policy',
          `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
        )
        .type('text/html; charset=utf-8')
        .send(renderCaseStatusPage(view, { locale, token: params.token, nonce, timeZone: calendarFor(settings, ctx.conversation.inboxId).timeZone, now: deps.runtime.now(), slots }));
    },
  }),
  route({
    method: 'POST',
    url: '/s/:token/messages',
    summary: 'The customer adds information or files to their case (an inbound message of the conversation)',
    tags: ['Certainty'],
    auth: 'public',
    hidden: true,
    params: z.object({ token: z.string().max(200) }),
    body: z.object({ content: z.string().max(10_000).default(''), attachments: z.array(attachmentInput).max(5).default([]) }),
    response: { status: 201, schema: z.object({ ok: z.boolean() }) },
    handler: async ({ deps, params, body, req, reply }) => {
      const ctx = await openForAction(deps, req, reply, params.token);
      if (!body.content.trim() && !body.attachments.length) throw new AppError('validation', 'empty_message', 'Write something or add a file.', { fields: [{ path: 'content', message: 'required' }] });
      await addCaseInformation(deps, ctx, {
        content: body.content,
        attachments: body.attachments.map((a, i) => ({ fileName: a.fileName, contentType: a.contentType, data: decodeBase64File(a.data, `attachments.${i}.data`) })),
      });
      return { ok: true };
    },
  }),
  route({
    method: 'POST',
    url: '/s/:token/agreements/:agreementId',
    summary: 'The customer confirms or corrects a recorded agreement',
    tags: ['Certainty'],
    auth: 'public',
    hidden: true,
    params: z.object({ token: z.string().max(200), agreementId: z.string().regex(UUID_RE) }),
    body: z.union([z.object({ confirm: z.literal(true) }), z.object({ correction: z.string().trim().min(1).max(2000) })]),
    response: { schema: json },
    handler: async ({ deps, params, body, req, reply }) => {
      const ctx = await openForAction(deps, req, reply, params.token);
      return answerAgreement(deps, ctx, params.agreementId.toLowerCase(), body);
    },
  }),
  route({
    method: 'GET',
    url: '/s/:token/callback-slots',
    summary: 'The callback slots the customer can pick (the phone line\'s opening hours, the next working days; full slots marked)',
    tags: ['Certainty'],
    auth: 'public',
    hidden: true,
    params: z.object({ token: z.string().max(200) }),
    response: { schema: json },
    handler: async ({ deps, params, req, reply }) => {
      noindex(reply);
      await limit(deps, `status:ip:${req.ip}`, PAGE_LIMIT, PAGE_WINDOW_MS);
      const ctx = await openCaseToken(deps, params.token);
      return listCallbackSlots(deps, ctx.workspaceId, ctx.conversation.inboxId);
    },
  }),
  route({
    method: 'POST',
    url: '/s/:token/callback',
    summary: 'The customer asks to be called back, in a picked slot or as soon as possible',
    tags: ['Certainty'],
    auth: 'public',
    hidden: true,
    params: z.object({ token: z.string().max(200) }),
    query: z.object({ lang: z.enum(['nl', 'en']).optional() }),
    body: z.object({
      phone: z.string().max(40).optional(),
      preferredTime: z.string().max(200).optional(),
      note: z.string().max(2000).optional(),
      slot: z.iso.datetime({ offset: true }).optional(),
    }),
    response: { status: 201, schema: json },
    errors: [409],
    handler: async ({ deps, params, body, req, reply }) => {
      const ctx = await openForAction(deps, req, reply, params.token);
      return requestCallback(deps, ctx, { ...body, slot: body.slot ? new Date(body.slot) : undefined, locale: localeOf(req) });
    },
  }),
];
