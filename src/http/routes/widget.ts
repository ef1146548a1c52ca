import fs from 'node:fs';
import { z } from 'zod';
import { and, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { attachments, messages } from '../../store/schema';
import { checkOrigin, findVisitorContact, loadWidgetInbox, readVisitorToken, startVisitor } from '../../app/widget-visitor';
import { applySiteAttributes, botFeedback, inboxExpectation, postVisitorMessage, submitCsat, visitorHistory } from '../../app/widget-chat';
import { requestEmailContinuation } from '../../app/widget-email-handoff';
import { expectationText } from '../../app/widget-texts';
import { widgetCallback, widgetCallbackSlots } from '../../app/widget-callback';
import { articleFeedback, helpCenterUrl, kbIndex } from '../../app/kb';
import { decodeBase64File } from '../../app/attachments';
import { markdownToText } from '../../shared/markdown';
import { AppError } from '../../shared/errors';
import type { Services } from '../../app/context';
import { route, type RouteSpec } from '../route';
import type { WidgetPublicConfig, WidgetSession } from '../../shared/widget';
import { publicIncidents } from '../../app/incidents';
import { safeContentType } from './files';
import { isOnline, presenceOf } from '../../app/widget-presence';

/**
 * The widget API: what the widget's frame calls for a visitor. Public routes (no Balie login), guarded by the
 * inbox's allowed origins and the visitor token (X-Widget-Token), rate limited per IP and per visitor.
 */
const tags = ['Widget'];
const locale = z.enum(['nl', 'en']).default('nl');
const TOKEN_HEADER = 'x-widget-token';

/** Balie's own origin: the configured public URL, or the host this request reached (the frame is served from it). */
export function ownOrigins(req: FastifyRequest, publicUrl: string): string[] {
  return [new URL(publicUrl).origin, `${req.protocol}://${req.headers.host ?? ''}`];
}

/**
 * The Origin a request came from. Browsers leave Origin out of same-origin GETs (the frame's own search and
 * catch-up calls), but say `Sec-Fetch-Site: same-origin`: that is the frame on Balie's origin, which only
 * allowed sites can embed (frame-ancestors).
 */
export function requestOrigin(req: FastifyRequest, publicUrl: string): string | undefined {
  if (req.headers.origin) return req.headers.origin;
  return req.headers['sec-fetch-site'] === 'same-origin' ? ownOrigins(req, publicUrl)[1] : undefined;
}

async function visitorOf(deps: Services, req: FastifyRequest, token?: string) {
  const visitor = readVisitorToken(deps, token ?? (req.headers[TOKEN_HEADER] as string | undefined));
  const w = await loadWidgetInbox(deps, visitor.inboxId);
  if (w.inbox.workspaceId !== visitor.workspaceId) throw new AppError('unauthorized', 'invalid_visitor_token', 'The visitor token is missing or invalid.');
  checkOrigin(w, requestOrigin(req, deps.config.publicUrl), ownOrigins(req, deps.config.publicUrl));
  return { w, visitor };
}

function publicConfig(w: Awaited<ReturnType<typeof loadWidgetInbox>>): WidgetPublicConfig {
  const s = w.settings;
  return {
    inboxId: w.inbox.id,
    name: w.inbox.name,
    color: s.color,
    position: s.position,
    greeting: s.greeting,
    language: s.language,
    preChatForm: s.preChatForm,
    botEnabled: s.bot.enabled,
    csatEnabled: s.csat,
    identityRequired: false,
  };
}

const sessionInput = z.object({
  hostOrigin: z.string().max(300),
  token: z.string().max(2000).optional(),
  identifier: z.string().min(1).max(200).optional(),
  identifierHash: z.string().max(200).optional(),
  name: z.string().max(200).optional(),
  email: z.string().max(320).optional(),
  locale,
});

export const widgetRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/api/v1/conversations/:conversationId/visitor-presence',
    summary: 'Whether the widget visitor of this conversation has the chat open now, and when it was last open',
    description: '`online` is true while a widget of the visitor is connected; `lastSeenAt` is null for other channels or before the first connection.',
    tags,
    auth: 'member',
    params: z.object({ conversationId: z.uuid() }),
    resources: { conversationId: 'conversation' },
    handler: async ({ deps, resources }) => {
      const c = resources.conversation!;
      const presence = await presenceOf(deps.store.db, { workspaceId: c.workspaceId, inboxId: c.inboxId, contactId: c.contactId }, deps.runtime.now());
      return { online: isOnline(presence, deps.runtime.now()), lastSeenAt: presence?.seenAt.toISOString() ?? null };
    },
  }),
  route({
    method: 'POST',
    url: '/api/widget/v1/inboxes/:inboxId/session',
    summary: 'Start or resume a widget visitor (returns the visitor token, the widget settings and the conversation)',
    description:
      'A site with logged-in users passes `identifier` and `identifierHash` = hex HMAC-SHA256(identity secret, identifier); a wrong hash is refused with `identity_invalid`.',
    tags,
    auth: 'public',
    params: z.object({ inboxId: z.string() }),
    body: sessionInput,
    handler: async ({ deps, req, params, body }) => {
      const w = await loadWidgetInbox(deps, params.inboxId);
      checkOrigin(w, req.headers.origin, ownOrigins(req, deps.config.publicUrl), body.hostOrigin.toLowerCase().replace(/\/+$/, ''));
      const { token, visitor } = startVisitor(deps, w, body);
      if (visitor.identifier && (body.name || body.email)) {
        const contact = await findVisitorContact(deps.store.db, visitor);
        if (contact) await applySiteAttributes(deps, visitor, contact.id, { name: body.name, email: body.email });
      }
      const [history, { expectation, ctx }, incidents] = await Promise.all([visitorHistory(deps, visitor), inboxExpectation(deps, w), publicIncidents(deps.store.db, w.inbox.workspaceId)]);
      const session: WidgetSession = {
        token,
        verified: !!visitor.identifier,
        config: publicConfig(w),
        expectation: { kind: expectation.kind, text: expectationText(body.locale, expectation, ctx) },
        ...history,
        incidents: incidents.map((i) => ({ id: i.id, title: i.title, banner: i.banner })),
      };
      return session;
    },
  }),
  route({
    method: 'POST',
    url: '/api/widget/v1/messages',
    summary: 'The visitor sends a message (clientId makes a resend a no-op)',
    tags,
    auth: 'public',
    bodyLimit: 8 * 1024 * 1024,
    body: z.object({
      clientId: z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/),
      content: z.string().max(10_000).default(''),
      name: z.string().max(200).optional(),
      email: z.string().max(320).optional(),
      locale,
      attachments: z
        .array(z.object({ fileName: z.string().min(1).max(255), contentType: z.string().max(255), data: z.string() }))
        .max(3)
        .optional(),
    }),
    response: { status: 201 },
    handler: async ({ deps, req, body }) => {
      const { w, visitor } = await visitorOf(deps, req);
      const result = await postVisitorMessage(
        deps,
        w,
        visitor,
        {
          clientId: body.clientId,
          content: body.content,
          name: body.name,
          email: body.email,
          locale: body.locale,
          attachments: body.attachments?.map((a, i) => ({ fileName: a.fileName, contentType: a.contentType.toLowerCase(), data: decodeBase64File(a.data, `attachments.${i}.data`) })),
        },
        req.ip,
      );
      return result;
    },
  }),
  route({
    method: 'GET',
    url: '/api/widget/v1/conversation',
    summary: "The visitor's current conversation and messages",
    tags,
    auth: 'public',
    handler: async ({ deps, req }) => visitorHistory(deps, (await visitorOf(deps, req)).visitor),
  }),
  route({
    method: 'GET',
    url: '/api/widget/v1/files/:attachmentId',
    summary: "A file in the visitor's own conversation",
    tags,
    auth: 'public',
    params: z.object({ attachmentId: z.uuid() }),
    query: z.object({ token: z.string().max(2000) }),
    hidden: true,
    handler: async ({ deps, reply, params, query }) => {
      const visitor = readVisitorToken(deps, query.token);
      const contact = await findVisitorContact(deps.store.db, visitor);
      const [row] = contact
        ? await deps.store.db
            .select({ a: attachments, m: messages })
            .from(attachments)
            .innerJoin(messages, and(eq(messages.workspaceId, attachments.workspaceId), eq(messages.id, attachments.messageId)))
            .where(and(eq(attachments.workspaceId, visitor.workspaceId), eq(attachments.id, params.attachmentId), eq(messages.inboxId, visitor.inboxId), eq(messages.kind, 'message')))
        : [];
      // Only files of a conversation of this visitor's contact.
      const history = row ? await visitorHistory(deps, visitor) : null;
      if (!row || !history?.messages.some((m) => m.id === row.m.id)) throw new AppError('not_found', 'not_found', 'The file does not exist.');
      const file = deps.files.path(row.a.sha256);
      if (!fs.existsSync(file)) throw new AppError('not_found', 'file_missing', 'The file is no longer stored.');
      const type = safeContentType(row.a.contentType);
      const inline = /^image\/(png|jpeg|gif|webp)$/.test(type);
      return reply
        .header('content-type', type)
        .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${row.a.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')}"`)
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, max-age=3600')
        .send(fs.createReadStream(file));
    },
  }),
  route({
    method: 'POST',
    url: '/api/widget/v1/bot-feedback',
    summary: 'The visitor says whether the bot answer helped (two unhelpful answers hand over to a person)',
    tags,
    auth: 'public',
    body: z.object({ helpful: z.boolean(), locale }),
    response: { status: 204 },
    handler: async ({ deps, req, body }) => {
      const { w, visitor } = await visitorOf(deps, req);
      await botFeedback(deps, w, visitor, body.helpful, body.locale);
    },
  }),
  route({
    method: 'POST',
    url: '/api/widget/v1/csat',
    summary: 'Rate the resolved conversation (1–5 and a comment)',
    tags,
    auth: 'public',
    body: z.object({ rating: z.number().int().min(1).max(5), comment: z.string().max(2000).optional() }),
    handler: async ({ deps, req, body }) => {
      const { w, visitor } = await visitorOf(deps, req);
      if (!w.settings.csat) throw new AppError('conflict', 'csat_disabled', 'This chat does not ask for ratings.');
      return submitCsat(deps, visitor, body);
    },
  }),
  route({
    method: 'GET',
    url: '/api/widget/v1/callback-slots',
    summary: 'The callback slots the visitor can pick (the phone line\'s opening hours; full slots marked)',
    tags,
    auth: 'public',
    query: z.object({ locale }),
    response: { schema: z.record(z.string(), z.unknown()) },
    handler: async ({ deps, req, query }) => widgetCallbackSlots(deps, (await visitorOf(deps, req)).visitor, query.locale),
  }),
  route({
    method: 'POST',
    url: '/api/widget/v1/callback',
    summary: 'The visitor asks to be called back in a picked slot (checked: open, not past, not full)',
    tags,
    auth: 'public',
    body: z.object({ phone: z.string().max(40).default(''), slot: z.iso.datetime({ offset: true }).optional(), note: z.string().max(2000).optional(), locale }),
    response: { status: 201, schema: z.record(z.string(), z.unknown()) },
    errors: [409],
    handler: async ({ deps, req, body }) => {
      const { visitor } = await visitorOf(deps, req);
      const limited = await deps.limiter.hit(`widget:callback:${visitor.visitorId}`, 5, 3_600_000);
      if (!limited.allowed) throw new AppError('rate_limited', 'too_many_requests', 'Too many callback requests; try again later.', { retryAfterSeconds: limited.retryAfterSeconds });
      return widgetCallback(deps, visitor, { ...body, slot: body.slot ? new Date(body.slot) : undefined });
    },
  }),
  route({
    method: 'POST',
    url: '/api/widget/v1/transcript',
    summary: 'Mail the visitor the transcript and continue by e-mail when the workspace has an e-mail inbox',
    description:
      'A typed address is confirmed first: the answer says `confirmationSent` and a link (signed, valid 24 hours, single use) goes to the address; the transcript and the hand-off follow the click. The address the site passed with a valid identifierHash is mailed at once.',
    tags,
    auth: 'public',
    body: z.object({ email: z.email().max(320), locale }),
    handler: async ({ deps, req, body }) => {
      const { visitor } = await visitorOf(deps, req);
      const limited = await deps.limiter.hit(`widget:transcript:${visitor.visitorId}`, 3, 3_600_000);
      if (!limited.allowed) throw new AppError('rate_limited', 'too_many_requests', 'Too many transcripts; try again later.', { retryAfterSeconds: limited.retryAfterSeconds });
      return requestEmailContinuation(deps, visitor, body.email, body.locale, req.ip);
    },
  }),
  route({
    method: 'GET',
    url: '/api/widget/v1/kb/search',
    summary: 'Search the published knowledge base from the widget',
    tags,
    auth: 'public',
    query: z.object({ q: z.string().min(1).max(300), locale }),
    handler: async ({ deps, req, query }) => {
      const { w } = await visitorOf(deps, req);
      const { index, articles } = await kbIndex(deps.store.db, w.inbox.workspaceId);
      return {
        items: index.search(query.q, { limit: 5 }).map((h) => {
          const a = articles.get(h.id)!;
          const text = markdownToText(a.body);
          return { id: a.id, title: a.title, locale: a.locale, url: helpCenterUrl('', a.workspaceId, a.locale, a.slug), excerpt: text.slice(0, 160) };
        }),
      };
    },
  }),
  route({
    method: 'POST',
    url: '/api/widget/v1/kb/articles/:articleId/feedback',
    summary: '"Was this helpful?" on an article, from the widget',
    tags,
    auth: 'public',
    params: z.object({ articleId: z.uuid() }),
    body: z.object({ helpful: z.boolean() }),
    response: { status: 204 },
    handler: async ({ deps, req, params, body }) => {
      const { w, visitor } = await visitorOf(deps, req);
      const limited = await deps.limiter.hit(`kb:feedback:${visitor.visitorId}:${params.articleId}`, 1, 86_400_000);
      if (limited.allowed) await articleFeedback(deps, w.inbox.workspaceId, params.articleId, body.helpful);
    },
  }),
];
