import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { idempotencyKeys, memberships } from '../store/schema';
import type { Actor, Services } from '../app/context';
import { membershipActor, sessionFromToken, tokenActor, type SessionInfo } from '../app/auth';
import { AppError } from '../shared/errors';
import { UUID_RE } from '../shared/runtime';
import { assertRole, parseOrThrow, Respond, type RouteSpec } from './route';
import { loadResources } from './resources';
import { toErrorResponse } from './errors';

export const SESSION_COOKIE = 'balie_session';

export interface Principal {
  userId: string;
  session?: SessionInfo;
  /** Set when authenticated by an API token (which is bound to one workspace). */
  tokenActor?: Actor;
}

/** Who is calling: an API token (Authorization: Bearer) or a session cookie. */
export async function authenticate(deps: Services, req: FastifyRequest): Promise<Principal | null> {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = m ? await tokenActor(deps, m[1]!) : null;
    if (!actor) throw new AppError('unauthorized', 'invalid_token', 'The API token is invalid, expired or revoked.');
    return { userId: actor.userId, tokenActor: actor };
  }
  const cookie = req.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  const session = await sessionFromToken(deps, cookie);
  return session ? { userId: session.userId, session } : null;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie sessions are exposed to cross-site requests, so every state-changing call must carry the session's
 * CSRF token in X-CSRF-Token (API tokens in a header are not sent by browsers on their own and need none).
 */
export function checkCsrf(req: FastifyRequest, principal: Principal) {
  if (!principal.session || SAFE.has(req.method)) return;
  const sent = req.headers['x-csrf-token'];
  const ok = typeof sent === 'string' && sent.length === principal.session.csrfToken.length &&
    crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(principal.session.csrfToken));
  if (!ok) throw new AppError('forbidden', 'csrf_failed', 'Missing or wrong X-CSRF-Token header.');
}

/** The workspace a call acts in: the token's own, or X-Workspace-Id (or the only one) for a session. */
export async function resolveActor(deps: Services, req: FastifyRequest, principal: Principal): Promise<Actor> {
  if (principal.tokenActor) {
    const asked = req.headers['x-workspace-id'];
    if (typeof asked === 'string' && asked !== principal.tokenActor.workspaceId) {
      throw new AppError('forbidden', 'workspace_mismatch', 'This API token belongs to another workspace.');
    }
    return principal.tokenActor;
  }
  const asked = req.headers['x-workspace-id'];
  if (typeof asked === 'string') {
    const actor = UUID_RE.test(asked) ? await membershipActor(deps.store.db, principal.userId, asked.toLowerCase()) : null;
    if (!actor) throw new AppError('not_found', 'workspace_not_found', 'You are not a member of this workspace.');
    return actor;
  }
  const mine = await deps.store.db
    .select({ workspaceId: memberships.workspaceId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, principal.userId))
    .limit(2);
  if (mine.length === 1) return { workspaceId: mine[0]!.workspaceId, userId: principal.userId, role: mine[0]!.role };
  throw new AppError('bad_request', 'workspace_required', 'Choose a workspace with the X-Workspace-Id header.');
}

interface StoredResponse {
  status: number;
  body: string;
}

/**
 * Idempotency-Key on POST: the first request's response is stored and replayed for retries with the same key
 * and body; a different body with the same key is refused; a retry while the first is running gets 409.
 */
async function beginIdempotent(deps: Services, req: FastifyRequest, actor: Actor): Promise<{ key: string; principal: string } | StoredResponse | null> {
  const key = req.headers['idempotency-key'];
  if (req.method !== 'POST' || typeof key !== 'string') return null;
  if (key.length === 0 || key.length > 255) throw new AppError('validation', 'invalid_idempotency_key', 'Idempotency-Key must be 1–255 characters.');
  const principal = actor.tokenId ?? actor.userId;
  const requestHash = crypto.createHash('sha256').update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
  const [claimed] = await deps.store.db
    .insert(idempotencyKeys)
    .values({ workspaceId: actor.workspaceId, principal, key, requestHash, createdAt: deps.runtime.now() })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (claimed) return { key, principal };
  const [existing] = await deps.store.db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.workspaceId, actor.workspaceId), eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key)));
  if (!existing) return beginIdempotent(deps, req, actor);
  if (existing.requestHash !== requestHash) {
    throw new AppError('validation', 'idempotency_key_reused', 'This Idempotency-Key was used for a different request.');
  }
  if (existing.responseStatus == null) throw new AppError('conflict', 'idempotency_in_progress', 'A request with this Idempotency-Key is still being processed.');
  return { status: existing.responseStatus, body: existing.responseBody ?? '' };
}

async function finishIdempotent(deps: Services, actor: Actor, claim: { key: string; principal: string }, status: number, body: string) {
  const where = and(eq(idempotencyKeys.workspaceId, actor.workspaceId), eq(idempotencyKeys.principal, claim.principal), eq(idempotencyKeys.key, claim.key));
  // Server errors are not remembered: the client should be able to retry them.
  if (status >= 500) await deps.store.db.delete(idempotencyKeys).where(where);
  else await deps.store.db.update(idempotencyKeys).set({ responseStatus: status, responseBody: body }).where(where);
}

/** Registers one declared route with the whole pipeline in front of its handler. */
export function registerRoute(app: FastifyInstance, deps: Services, spec: RouteSpec) {
  app.route({
    method: spec.method,
    url: spec.url,
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
    config: { spec },
    handler: async (req: FastifyRequest, reply: FastifyReply) => {
      let principal: Principal | null = null;
      let actor: Actor | undefined;
      if (spec.auth !== 'public') {
        principal = await authenticate(deps, req);
        if (!principal) throw new AppError('unauthorized', 'unauthenticated', 'Log in or send an API token.');
        checkCsrf(req, principal);
        if (spec.auth === 'member') {
          actor = await resolveActor(deps, req, principal);
          assertRole(actor, spec.roles);
        }
      } else {
        principal = await authenticate(deps, req).catch(() => null);
      }
      // Path resources first: an id from another workspace is a 404 before the body is even looked at.
      const resources = actor && spec.resources ? await loadResources(deps.store.db, actor, spec.resources, req.params as Record<string, unknown>) : {};
      const params = parseOrThrow(spec.params, req.params, 'params');
      const query = parseOrThrow(spec.query, req.query ?? {}, 'query');
      const body = spec.body ? parseOrThrow(spec.body, req.body ?? {}, 'body') : undefined;

      const idem = actor ? await beginIdempotent(deps, req, actor) : null;
      if (idem && 'status' in idem) {
        return reply.status(idem.status).header('idempotent-replayed', 'true').type('application/json; charset=utf-8').send(idem.body);
      }
      let status = spec.response?.status ?? 200;
      let payload: unknown;
      try {
        payload = await spec.handler({
          req,
          reply,
          params,
          query,
          body,
          actor: actor as Actor,
          userId: principal?.userId as string,
          resources,
          deps,
        });
      } catch (err) {
        if (idem && actor) {
          const r = toErrorResponse(err);
          await finishIdempotent(deps, actor, idem, r.status, JSON.stringify(r.body));
        }
        throw err;
      }
      if (reply.sent) return reply;
      if (payload instanceof Respond) {
        status = payload.status;
        payload = payload.body;
      } else if (payload === undefined) status = spec.response?.status ?? 204;
      const text = payload === undefined ? '' : JSON.stringify(payload);
      if (idem && actor) await finishIdempotent(deps, actor, idem, status, text);
      reply.status(status);
      if (payload === undefined) return reply.send();
      return reply.type('application/json; charset=utf-8').send(text);
    },
  });
}
