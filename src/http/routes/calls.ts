import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { conversations } from '../../store/schema';
import { getCall, listCalls, listCallsQuery } from '../../app/call-log';
import { callSuggestion, offerCallback } from '../../app/call-suggestion';
import { clickToCall, clickToCallInput } from '../../app/click-to-call';
import { visibleConversations } from '../../app/conversation-list';
import { currentScreenPops } from '../../app/screen-pop';
import { AppError } from '../../shared/errors';
import { route, type RouteSpec } from '../route';
import { phoneJson, phoneListRoute, phoneTags } from './phone-common';

/** The agent app's phone work: the call log, the ping-pong nudge and its callback offer, click-to-call on a contact. */
const tags = phoneTags;
const json = phoneJson;
const onConversation = { tags, auth: 'member' as const, params: z.object({ conversationId: z.string() }), resources: { conversationId: 'conversation' as const } };

export const callRoutes: RouteSpec[] = [
  phoneListRoute({ url: '/api/v1/calls', summary: 'The call log, newest first (filters: inbox, direction, outcome, agent=me, contact)', query: listCallsQuery, list: listCalls }),
  route({
    method: 'GET',
    url: '/api/v1/calls/current',
    summary: 'Calls ringing for me or in progress with me (the screen pop after a reload), newest first',
    tags,
    auth: 'member',
    response: { schema: json },
    handler: ({ deps, actor }) => currentScreenPops(deps, actor),
  }),
  route({
    method: 'GET',
    url: '/api/v1/calls/:callId',
    summary: 'One call with its contact, agent and the agreement of its post-call summary',
    tags,
    auth: 'member',
    params: z.object({ callId: z.uuid() }),
    response: { schema: json },
    handler: ({ deps, actor, params }) => getCall(deps, actor, params.callId),
  }),
  route({
    method: 'GET',
    url: '/api/v1/conversations/:conversationId/call-suggestion',
    summary: 'Ping-pong check: should the agent call this customer, why, and whether an earlier suggestion was followed',
    ...onConversation,
    response: { schema: json },
    handler: ({ deps, actor, resources }) => callSuggestion(deps, actor, resources.conversation!),
  }),
  route({
    method: 'POST',
    url: '/api/v1/conversations/:conversationId/callback-offer',
    summary: 'Offer a callback: sends the customer the case-status link where they ask to be called back',
    ...onConversation,
    response: { status: 201, schema: json },
    handler: ({ deps, actor, resources }) => offerCallback(deps, actor, resources.conversation!),
  }),
  route({
    method: 'POST',
    url: '/api/v1/contacts/:contactId/calls',
    summary: "Click-to-call a contact: logged on the contact's most recent conversation",
    tags,
    auth: 'member',
    params: z.object({ contactId: z.uuid() }),
    body: clickToCallInput,
    response: { status: 201, schema: json },
    errors: [503],
    handler: async ({ deps, actor, params, body }) => {
      const [conversation] = await deps.store.db
        .select()
        .from(conversations)
        .where(and(eq(conversations.workspaceId, actor.workspaceId), eq(conversations.contactId, params.contactId), visibleConversations(actor)))
        .orderBy(desc(conversations.lastActivityAt))
        .limit(1);
      if (!conversation) throw new AppError('validation', 'no_conversation', 'This customer has no conversation to log the call on yet.');
      return clickToCall(deps, actor, conversation, body);
    },
  }),
];
