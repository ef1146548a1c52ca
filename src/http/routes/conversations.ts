import { z } from 'zod';
import * as api from '../../shared/api';
import { listConversations } from '../../app/conversation-list';
import { speedTargetsOf } from '../../app/certainty-settings';
import { assignConversation, changeStatus, conversationView, markRead, setLabels, setPriority, updateConversation } from '../../app/conversations';
import { listMessages } from '../../app/messages';
import { retryMessage, sendReply } from '../../app/send-reply';
import { decodeBase64File } from '../../app/attachments';
import { notFound } from '../../shared/errors';
import { route, type RouteSpec } from '../route';

const conversationParams = z.object({ conversationId: z.string() });
const tags = ['Conversations'];
const res = { conversationId: 'conversation' } as const;

export const conversationRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/api/v1/conversations',
    summary: 'List conversations',
    description: 'Filtered by status, inbox, assignee (`me`, `none` or a user id), team (`mine` or an id), label, priority, channel (the inbox kind), contact and text; cursor-paginated. `sort=at_risk` puts unanswered conversations whose handling-time promise is at risk (or already missed) first, soonest due first. `sort=speed` orders waiting conversations by when the first-response target of their channel runs out (breached first, then at risk); every item carries `speed` (`targetMinutes`, `dueAt`, `state`: ok, warning or breached) while the customer waits.',
    tags,
    auth: 'member',
    query: api.conversationListQuery,
    response: { schema: api.page(api.conversationListItem) },
    handler: async ({ deps, actor, query }) => listConversations(deps.store.db, actor, query, { speedTargets: await speedTargetsOf(deps.store.db, actor.workspaceId), now: deps.runtime.now() }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/conversations/:conversationId',
    summary: 'Get a conversation',
    tags,
    auth: 'member',
    params: conversationParams,
    resources: res,
    response: { schema: api.conversationDto },
    handler: ({ deps, resources }) => conversationView(deps.store.db, resources.conversation!),
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/conversations/:conversationId',
    summary: 'Update subject or custom attributes',
    tags,
    auth: 'member',
    params: conversationParams,
    resources: res,
    body: api.updateConversationInput,
    response: { schema: api.conversationDto },
    handler: ({ deps, actor, resources, body }) => updateConversation(deps, actor, actor.workspaceId, resources.conversation!.id, body),
  }),
  route({
    method: 'GET',
    url: '/api/v1/conversations/:conversationId/messages',
    summary: 'List messages (newest page first, oldest first within a page)',
    tags,
    auth: 'member',
    params: conversationParams,
    resources: res,
    query: api.cursorQuery,
    response: { schema: api.page(api.messageDto) },
    handler: ({ deps, actor, resources, query }) =>
      listMessages(deps.store.db, actor.workspaceId, resources.conversation!.id, { ...query, includeInternal: true }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/conversations/:conversationId/messages',
    summary: 'Reply to the customer or add an internal note',
    description: 'A reply (`kind: message`) is queued and sent through the conversation\'s channel; a `note` stays internal.',
    tags,
    auth: 'member',
    params: conversationParams,
    resources: res,
    body: api.replyInput,
    response: { status: 201, schema: api.messageDto },
    handler: ({ deps, actor, resources, body }) =>
      sendReply(deps, actor, resources.conversation!.id, {
        ...body,
        attachments: body.attachments?.map((a, i) => ({ fileName: a.fileName, contentType: a.contentType, data: decodeBase64File(a.data, `attachments.${i}.data`) })),
      }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/conversations/:conversationId/messages/:messageId/retry',
    summary: 'Retry a failed outbound message',
    tags,
    auth: 'member',
    params: z.object({ conversationId: z.string(), messageId: z.string() }),
    resources: { conversationId: 'conversation', messageId: 'message' },
    response: { schema: api.messageDto },
    handler: ({ deps, actor, resources }) => {
      if (resources.message!.conversationId !== resources.conversation!.id) throw notFound('message');
      return retryMessage(deps, actor, resources.conversation!.id, resources.message!.id);
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/conversations/:conversationId/assign',
    summary: 'Assign to an agent and/or a team (null unassigns)',
    tags,
    auth: 'member',
    params: conversationParams,
    resources: res,
    body: api.assignInput,
    response: { schema: api.conversationDto },
    handler: ({ deps, actor, resources, body }) => assignConversation(deps, actor, actor.workspaceId, resources.conversation!.id, body),
  }),
  route({
    method: 'POST',
    url: '/api/v1/conversations/:conversationId/status',
    summary: 'Change status (open, pending, snoozed with snoozedUntil, resolved, closed)',
    tags,
    auth: 'member',
    params: conversationParams,
    resources: res,
    body: api.statusInput,
    response: { schema: api.conversationDto },
    errors: [409],
    handler: ({ deps, actor, resources, body }) =>
      changeStatus(deps, actor, actor.workspaceId, resources.conversation!.id, body.status, body.snoozedUntil ? new Date(body.snoozedUntil) : undefined),
  }),
  route({
    method: 'PUT',
    url: '/api/v1/conversations/:conversationId/labels',
    summary: 'Set the labels of a conversation',
    tags,
    auth: 'member',
    params: conversationParams,
    resources: res,
    body: api.labelsInput,
    response: { schema: api.conversationDto },
    handler: ({ deps, actor, resources, body }) => setLabels(deps, actor, actor.workspaceId, resources.conversation!.id, body.labels),
  }),
  route({
    method: 'POST',
    url: '/api/v1/conversations/:conversationId/priority',
    summary: 'Set the priority',
    tags,
    auth: 'member',
    params: conversationParams,
    resources: res,
    body: api.priorityInput,
    response: { schema: api.conversationDto },
    handler: ({ deps, actor, resources, body }) => setPriority(deps, actor, actor.workspaceId, resources.conversation!.id, body.priority),
  }),
  route({
    method: 'POST',
    url: '/api/v1/conversations/:conversationId/snooze',
    summary: 'Snooze until a time (shorthand for status snoozed)',
    tags,
    auth: 'member',
    params: conversationParams,
    resources: res,
    body: z.object({ until: z.iso.datetime({ offset: true }) }),
    response: { schema: api.conversationDto },
    handler: ({ deps, actor, resources, body }) => changeStatus(deps, actor, actor.workspaceId, resources.conversation!.id, 'snoozed', new Date(body.until)),
  }),
  route({
    method: 'POST',
    url: '/api/v1/conversations/:conversationId/read',
    summary: 'Mark as read for the current agent',
    tags,
    auth: 'member',
    params: conversationParams,
    resources: res,
    response: { status: 204 },
    handler: async ({ deps, actor, resources }) => {
      await markRead(deps, actor, resources.conversation!);
    },
  }),
];
