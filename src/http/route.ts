import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor, Services } from '../app/context';
import { AppError, fieldIssuesOf, forbidden, type FieldIssue } from '../shared/errors';
import type { ResourceKind, LoadedResources } from './resources';

/**
 * Every API route is declared with this shape. The declaration drives validation (zod), authentication,
 * roles, tenancy-checked loading of path resources, and the OpenAPI document — so a route cannot forget any
 * of them, and a test can walk the table.
 */
export type Auth = 'public' | 'user' | 'member';
export type Role = Actor['role'];

export interface RouteSpec<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  summary: string;
  description?: string;
  tags: string[];
  /** public: anyone; user: a logged-in person (any workspace); member: a member of the chosen workspace. */
  auth: Auth;
  roles?: Role[];
  params?: P;
  query?: Q;
  body?: B;
  /** Path params that name tenant resources: loaded within the actor's workspace and access, else 404. */
  resources?: Record<string, ResourceKind>;
  response?: { status?: number; schema?: z.ZodType; description?: string; contentType?: string };
  /** Extra documented error codes. */
  errors?: number[];
  bodyLimit?: number;
  /** Excluded from the OpenAPI document (HTML pages, internals). */
  hidden?: boolean;
  handler: (ctx: HandlerContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown> | unknown;
}

export interface HandlerContext<P, Q, B> {
  req: FastifyRequest;
  reply: FastifyReply;
  params: P;
  query: Q;
  body: B;
  /** Set for `member` routes. */
  actor: Actor;
  /** Set for `user` and `member` routes. */
  userId: string;
  resources: LoadedResources;
  deps: Services;
}

export function route<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}

export function zodFields(err: z.ZodError, prefix?: string): FieldIssue[] {
  return fieldIssuesOf(err.issues, prefix);
}

export function parseOrThrow<T extends z.ZodType>(schema: T | undefined, value: unknown, where: 'params' | 'query' | 'body'): z.output<T> {
  if (!schema) return undefined as z.output<T>;
  const r = schema.safeParse(value);
  if (!r.success) {
    const fields = zodFields(r.error, where === 'body' ? undefined : where);
    throw new AppError('validation', 'validation_failed', `Invalid request ${where}: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`.slice(0, 1000), {
      fields,
    });
  }
  return r.data;
}

export function assertRole(actor: Actor, roles: Role[] | undefined) {
  if (roles && !roles.includes(actor.role)) throw forbidden('Your role does not allow this.');
}

/** A handler result with a status other than the route's default (e.g. 200 for an idempotent repeat). */
export class Respond {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}
export const respond = (status: number, body: unknown) => new Respond(status, body);
