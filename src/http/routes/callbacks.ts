import { z } from 'zod';
import { attemptInput, listCallbacksQuery, recordAttempt, updateCallback, updateCallbackInput, listCallbacks } from '../../app/callbacks';
import { route, type RouteSpec } from '../route';
import { phoneJson, phoneListRoute, phoneTags } from './phone-common';
import { clickToCall, clickToCallInput } from '../../app/click-to-call';
import { callSummaryInput, summarizeCall } from '../../app/call-summary';

/** The callback queue (requests from the phone menu, the case-status page and agents) and click-to-call. */
const tags = phoneTags;
const params = z.object({ callbackId: z.uuid() });
const json = phoneJson;

export const callbackRoutes: RouteSpec[] = [
  phoneListRoute({ url: '/api/v1/callbacks', summary: 'Callback requests by due time (open by default; assignee=me for your own)', query: listCallbacksQuery, list: listCallbacks }),
  route({
    method: 'PATCH',
    url: '/api/v1/callbacks/:callbackId',
    summary: 'Assign a callback request, move its due time, or cancel it',
    tags,
    auth: 'member',
    params,
    body: updateCallbackInput,
    response: { schema: json },
    errors: [409],
    handler: ({ deps, actor, params: p, body }) => updateCallback(deps, actor, p.callbackId, body),
  }),
  route({
    method: 'POST',
    url: '/api/v1/callbacks/:callbackId/attempts',
    summary: 'Record a callback attempt; not reached → retried later and the customer told (SMS first)',
    tags,
    auth: 'member',
    params,
    body: attemptInput,
    response: { schema: json },
    errors: [409],
    handler: ({ deps, actor, params: p, body }) => recordAttempt(deps, actor, p.callbackId, body),
  }),
  route({
    method: 'POST',
    url: '/api/v1/conversations/:conversationId/calls',
    summary: "Click-to-call: Balie rings the agent's phone, then bridges the customer; the call is logged on the timeline",
    tags,
    auth: 'member',
    params: z.object({ conversationId: z.string() }),
    resources: { conversationId: 'conversation' },
    body: clickToCallInput,
    response: { status: 201, schema: json },
    errors: [503],
    handler: ({ deps, actor, resources, body }) => clickToCall(deps, actor, resources.conversation!, body),
  }),
  route({
    method: 'POST',
    url: '/api/v1/calls/:callId/summary',
    summary: 'Post-call summary: the agreement is recorded and sent to the customer (SMS first) with the case-status link to confirm or correct it',
    tags,
    auth: 'member',
    params: z.object({ callId: z.uuid() }),
    body: callSummaryInput,
    response: { status: 201, schema: json },
    handler: ({ deps, actor, params: p, body }) => summarizeCall(deps, actor, p.callId, body),
  }),
];
