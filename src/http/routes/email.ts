import { z } from 'zod';
import { attachmentInput } from '../../shared/api';
import { decodeBase64File } from '../../app/attachments';
import { route, type RouteSpec } from '../route';
import { emailDisplayDocument, checkInboxImap, emailComposeDefaults, forwardConversation, sendTestMail } from '../../app/email-tools';
import { listQuarantine, rawEmail } from '../../app/email-inbound';
import { pollImapInbox } from '../../app/email-imap';
import { AppError } from '../../shared/errors';

const check = z.union([z.object({ ok: z.literal(true), detail: z.string().optional() }), z.object({ ok: z.literal(false), code: z.string(), message: z.string() })]);
const addressList = z.array(z.email().max(254)).max(50);

/** E-mail specific endpoints: the sandboxed body view, the quarantine, and the settings page's checks. */
export const emailRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/api/v1/messages/:messageId/email-html',
    summary: 'The sanitized HTML of an e-mail, as a document for a sandboxed iframe',
    tags: ['Conversations'],
    auth: 'member',
    params: z.object({ messageId: z.string() }),
    query: z.object({ images: z.enum(['0', '1']).optional() }),
    resources: { messageId: 'message' },
    response: { contentType: 'text/html', description: 'HTML document (strict CSP, sandboxed)' },
    handler: async ({ deps, resources, query, reply }) => {
      const doc = await emailDisplayDocument(deps, resources.message!, query.images === '1');
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', doc.csp)
        .header('x-content-type-options', 'nosniff')
        .header('x-frame-options', 'SAMEORIGIN')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'private, no-store')
        .send(doc.html);
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/inboxes/:inboxId/email/quarantine',
    summary: 'Mails that could not be processed (and those still waiting), with the reason',
    tags: ['Inboxes'],
    auth: 'member',
    roles: ['owner', 'admin'],
    params: z.object({ inboxId: z.string() }),
    resources: { inboxId: 'inbox' },
    handler: async ({ deps, resources }) => ({ items: await listQuarantine(deps, resources.inbox!.workspaceId, resources.inbox!.id), nextCursor: null }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/inboxes/:inboxId/email/raw/:rawId',
    summary: 'Download a received mail exactly as it arrived (.eml)',
    tags: ['Inboxes'],
    auth: 'member',
    roles: ['owner', 'admin'],
    params: z.object({ inboxId: z.string(), rawId: z.uuid() }),
    resources: { inboxId: 'inbox' },
    response: { contentType: 'message/rfc822', description: 'The raw message' },
    handler: async ({ deps, resources, params, reply }) => {
      const raw = await rawEmail(deps, resources.inbox!.workspaceId, resources.inbox!.id, params.rawId);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', `attachment; filename="${params.rawId}.eml"`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(raw);
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/inboxes/:inboxId/email/test-mail',
    summary: 'Send a test mail through the inbox’s outgoing mail server',
    tags: ['Inboxes'],
    auth: 'member',
    roles: ['owner', 'admin'],
    params: z.object({ inboxId: z.string() }),
    body: z.object({ to: z.email().max(254) }),
    resources: { inboxId: 'inbox' },
    response: { schema: check },
    handler: async ({ deps, resources, body }) => sendTestMail(deps, resources.inbox!, body.to),
  }),
  route({
    method: 'POST',
    url: '/api/v1/inboxes/:inboxId/email/check-imap',
    summary: 'Log in to the inbox’s IMAP account and report what is there or what went wrong',
    tags: ['Inboxes'],
    auth: 'member',
    roles: ['owner', 'admin'],
    params: z.object({ inboxId: z.string() }),
    resources: { inboxId: 'inbox' },
    response: { schema: check },
    handler: async ({ deps, resources }) => checkInboxImap(deps, resources.inbox!),
  }),
  route({
    method: 'POST',
    url: '/api/v1/inboxes/:inboxId/email/poll',
    summary: 'Fetch new mail from the IMAP account now',
    tags: ['Inboxes'],
    auth: 'member',
    roles: ['owner', 'admin'],
    params: z.object({ inboxId: z.string() }),
    resources: { inboxId: 'inbox' },
    response: { schema: z.object({ fetched: z.number() }) },
    handler: async ({ deps, resources }) => {
      if (resources.inbox!.kind !== 'email') throw new AppError('validation', 'not_an_email_inbox', 'This inbox is not an e-mail inbox.');
      return pollImapInbox(deps, resources.inbox!.workspaceId, resources.inbox!.id);
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/conversations/:conversationId/email/forward',
    summary: 'Forward an e-mail conversation to someone else',
    tags: ['Conversations'],
    auth: 'member',
    params: z.object({ conversationId: z.string() }),
    body: z.object({ to: addressList.min(1), cc: addressList.optional(), comment: z.string().max(100_000).optional(), attachments: z.array(attachmentInput).max(10).optional() }),
    resources: { conversationId: 'conversation' },
    response: { status: 201 },
    handler: async ({ deps, actor, resources, body }) =>
      forwardConversation(deps, actor, resources.conversation!, {
        ...body,
        attachments: body.attachments?.map((a, i) => ({ fileName: a.fileName, contentType: a.contentType, data: decodeBase64File(a.data, `attachments.${i}.data`) })),
      }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/conversations/:conversationId/email/compose',
    summary: 'Default recipients (reply and reply-all) and the signatures of a reply in an e-mail conversation',
    tags: ['Conversations'],
    auth: 'member',
    params: z.object({ conversationId: z.string() }),
    resources: { conversationId: 'conversation' },
    response: {
      schema: z.object({
        to: z.array(z.string()),
        replyAllCc: z.array(z.string()),
        subject: z.string().nullable(),
        signatures: z.object({ agent: z.string().nullable(), inbox: z.string().nullable() }),
      }),
    },
    handler: async ({ deps, actor, resources }) => emailComposeDefaults(deps, actor, resources.conversation!),
  }),
];
