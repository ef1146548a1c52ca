import { z } from 'zod';
import type { Actor, Services } from '../../app/context';
import { route, type RouteSpec } from '../route';

/** What the phone routes (calls.ts, callbacks.ts) share: their tag, their loose JSON answer, and the list shape. */
export const phoneTags = ['Calls'];
export const phoneJson = z.record(z.string(), z.unknown());

/** A member's cursor-paginated list: GET with a query schema, answered by one use case. */
export function phoneListRoute<Q extends z.ZodType>(spec: { url: string; summary: string; query: Q; list: (deps: Services, actor: Actor, query: z.output<Q>) => Promise<unknown> }): RouteSpec {
  return route({
    method: 'GET',
    url: spec.url,
    summary: spec.summary,
    tags: phoneTags,
    auth: 'member',
    query: spec.query,
    response: { schema: phoneJson },
    handler: ({ deps, actor, query }) => spec.list(deps, actor, query),
  });
}
