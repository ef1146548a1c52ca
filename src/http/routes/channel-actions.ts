import { z } from 'zod';
import * as api from '../../shared/api';
import { checkInboxConnection, inboxTemplates } from '../../app/channel-actions';
import { dismissMergeSuggestion, mergeSuggestions } from '../../app/merge-suggestions';
import { pendingEmailConfirmations, resendEmailConfirmation } from '../../app/widget-email-pending';
import { route, type RouteSpec } from '../route';
import { connectionCheckSchema, inboxParams, inboxTags as tags } from './inbox-common';

export const channelActionRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    url: '/api/v1/inboxes/:inboxId/check-connection',
    summary: 'Check an inbox’s provider credentials (and register its webhook where the provider needs that, e.g. Telegram setWebhook)',
    tags,
    auth: 'member',
    roles: ['owner', 'admin'],
    params: inboxParams,
    resources: { inboxId: 'inbox' },
    response: { schema: connectionCheckSchema },
    handler: ({ deps, resources }) => checkInboxConnection(deps, resources.inbox!),
  }),
  route({
    method: 'GET',
    url: '/api/v1/inboxes/:inboxId/templates',
    summary: 'Approved message templates of the provider (WhatsApp), for replies outside the 24-hour window',
    tags,
    auth: 'member',
    params: inboxParams,
    resources: { inboxId: 'inbox' },
    response: {
      schema: z.object({
        items: z.array(z.object({ name: z.string(), language: z.string(), category: z.string(), status: z.string(), body: z.string(), variables: z.number().int() })),
      }),
    },
    handler: async ({ deps, resources }) => ({ items: await inboxTemplates(deps, resources.inbox!) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/contacts/:contactId/merge-suggestions',
    summary: 'Contacts that are probably the same person: same name and phone, same name and company e-mail domain, or same name on another channel',
    description: 'Suggestions only; nothing is merged until an agent confirms with POST /merge. Freemail domains (gmail.com, outlook.com, ziggo.nl, …) do not count as a shared domain. Dismissed pairs are left out.',
    tags: ['Contacts'],
    auth: 'member',
    params: z.object({ contactId: z.string() }),
    resources: { contactId: 'contact' },
    response: { schema: z.object({ items: z.array(api.mergeSuggestionDto) }) },
    handler: async ({ deps, actor, resources }) => ({ items: await mergeSuggestions(deps.store.db, actor.workspaceId, resources.contact!.id) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/contacts/:contactId/merge-suggestions/dismiss',
    summary: 'Dismiss a merge suggestion ("not the same person"); the pair is not suggested again',
    tags: ['Contacts'],
    auth: 'member',
    params: z.object({ contactId: z.string() }),
    resources: { contactId: 'contact' },
    body: api.dismissMergeSuggestionInput,
    response: { status: 204 },
    handler: ({ deps, actor, resources, body }) => dismissMergeSuggestion(deps.store.db, actor, resources.contact!.id, body.otherContactId),
  }),
  route({
    method: 'GET',
    url: '/api/v1/contacts/:contactId/pending-emails',
    summary: 'E-mail addresses a widget visitor typed that wait for their confirmation link (not identities yet)',
    description: 'Until the link is clicked such an address is no identity: mail from it does not land on this contact and nothing of the chat is mailed to it. Addresses that have since become an identity of the contact are left out.',
    tags: ['Contacts'],
    auth: 'member',
    params: z.object({ contactId: z.string() }),
    resources: { contactId: 'contact' },
    response: { schema: z.object({ items: z.array(api.pendingEmailDto) }) },
    handler: async ({ deps, actor, resources }) => ({ items: await pendingEmailConfirmations(deps, actor.workspaceId, resources.contact!.id) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/conversations/:conversationId/email-confirmation/resend',
    summary: 'Mail the confirmation link again to the address that waits on this widget conversation',
    description: 'A fresh link (valid 24 hours, single use); the earlier one stops working. Limited per address like the visitor’s own requests (429 too_many_confirmations); 409 no_pending_confirmation when no address waits.',
    tags: ['Conversations'],
    auth: 'member',
    params: z.object({ conversationId: z.string() }),
    resources: { conversationId: 'conversation' },
    response: { schema: api.pendingEmailDto },
    handler: ({ deps, actor, resources }) => resendEmailConfirmation(deps, actor.workspaceId, resources.conversation!.id),
  }),
];
