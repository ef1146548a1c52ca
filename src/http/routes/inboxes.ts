import { z } from 'zod';
import * as api from '../../shared/api';
import { archiveInbox, createInbox, inboxViews, listVisibleInboxes, updateInbox } from '../../app/inboxes';
import { ingestInbound } from '../../app/ingest-inbound';
import { decodeBase64File } from '../../app/attachments';
import type { IdentityInput } from '../../app/resolve-contact';
import { AppError } from '../../shared/errors';
import { respond, route, type RouteSpec } from '../route';
import { connectionCheckSchema, inboxParams, inboxTags as tags } from './inbox-common';

export const inboxRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/api/v1/inboxes',
    summary: 'List inboxes (agents see the inboxes they have access to)',
    tags,
    auth: 'member',
    response: { schema: z.object({ items: z.array(api.inboxDto) }) },
    handler: async ({ deps, actor }) => ({ items: await listVisibleInboxes(deps, actor) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/inboxes',
    summary: 'Create an inbox',
    description:
      'One inbox has one channel kind. Secret settings (tokens, app secrets) are stored encrypted and never returned; `secretsSet` lists which are set. For `api` inboxes Balie generates a webhook signing secret and returns it once in `generatedSecrets`.',
    tags,
    auth: 'member',
    roles: ['owner', 'admin'],
    body: api.createInboxInput,
    response: {
      status: 201,
      schema: api.inboxDto.extend({
        generatedSecrets: z.record(z.string(), z.string()).optional(),
        // Where Balie registers its webhook with the provider (Telegram): the outcome of doing so right away.
        connection: connectionCheckSchema.optional(),
      }),
    },
    handler: ({ deps, actor, body }) => createInbox(deps, actor.workspaceId, body),
  }),
  route({
    method: 'GET',
    url: '/api/v1/inboxes/:inboxId',
    summary: 'Get an inbox',
    tags,
    auth: 'member',
    params: inboxParams,
    resources: { inboxId: 'inbox' },
    response: { schema: api.inboxDto },
    handler: async ({ deps, resources }) => (await inboxViews(deps.store.db, deps, [resources.inbox!]))[0],
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/inboxes/:inboxId',
    summary: 'Update an inbox (send only what changes; null clears a secret)',
    tags,
    auth: 'member',
    roles: ['owner', 'admin'],
    params: inboxParams,
    resources: { inboxId: 'inbox' },
    body: api.updateInboxInput,
    response: { schema: api.inboxDto },
    handler: ({ deps, actor, resources, body }) => updateInbox(deps, actor.workspaceId, resources.inbox!.id, body),
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/inboxes/:inboxId',
    summary: 'Archive an inbox (its conversations stay readable)',
    tags,
    auth: 'member',
    roles: ['owner', 'admin'],
    params: inboxParams,
    resources: { inboxId: 'inbox' },
    response: { status: 204 },
    handler: async ({ deps, actor, resources }) => {
      await archiveInbox(deps, actor.workspaceId, resources.inbox!.id);
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/inboxes/:inboxId/inbound',
    summary: 'API channel: bring in a customer message',
    description:
      'For inboxes of kind `api`. `externalId` is your id for the message: sending it again is a no-op that answers 200 with the same ids (201 the first time). The contact is found by `identifier`, `email` or `phone` (in that order of precedence) or created.',
    tags: ['API channel'],
    auth: 'member',
    params: inboxParams,
    resources: { inboxId: 'inbox' },
    body: api.apiInboundInput,
    response: {
      status: 201,
      schema: z.object({ messageId: z.uuid(), conversationId: z.uuid(), contactId: z.uuid(), duplicate: z.boolean(), conversationCreated: z.boolean() }),
    },
    handler: async ({ deps, actor, resources, body }) => {
      const inbox = resources.inbox!;
      if (inbox.kind !== 'api') throw new AppError('validation', 'not_an_api_inbox', 'Messages can be posted only to inboxes of kind "api".');
      const identities: IdentityInput[] = [];
      if (body.contact.identifier) identities.push({ kind: 'external', value: body.contact.identifier, verified: true });
      if (body.contact.email) identities.push({ kind: 'email', value: body.contact.email });
      if (body.contact.phone) identities.push({ kind: 'phone', value: body.contact.phone });
      const result = await ingestInbound(deps, {
        workspaceId: actor.workspaceId,
        inboxId: inbox.id,
        externalId: body.externalId,
        contact: { identities, name: body.contact.name },
        content: body.content,
        subject: body.subject,
        attachments: body.attachments?.map((a, i) => ({ fileName: a.fileName, contentType: a.contentType, data: decodeBase64File(a.data, `attachments.${i}.data`) })),
      });
      const out = {
        messageId: result.messageId,
        conversationId: result.conversationId,
        contactId: result.contactId,
        duplicate: result.duplicate,
        conversationCreated: result.conversationCreated,
      };
      return result.duplicate ? respond(200, out) : out;
    },
  }),
];
