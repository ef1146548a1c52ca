import fs from 'node:fs';
import path from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import fastifyStatic from '@fastify/static';
import FindMyWay from 'find-my-way';
import { eq } from 'drizzle-orm';
import { users } from '../store/schema';
import type { Services } from '../app/context';
import { AppError } from '../shared/errors';
import { UUID_RE } from '../shared/runtime';
import type { RealtimeHub } from '../realtime/hub';
import { distDir } from '../paths';
import { errorHandler, toErrorResponse } from './errors';
import { authenticate, registerRoute, resolveActor } from './pipeline';
import type { RouteSpec } from './route';
import { buildOpenApi, renderDocs } from './openapi';
import { registerJsonParser } from './json-body';
import { conversationRoutes } from './routes/conversations';
import { inboxRoutes } from './routes/inboxes';
import { contactRoutes } from './routes/contacts';
import { adminRoutes } from './routes/admin';
import { authRoutes } from './routes/auth';
import { fileRoutes } from './routes/files';
import { providerWebhooks } from './routes/provider-webhooks';
import { agentAppRoutes } from './routes/agent-app';
import { certaintyRoutes } from './routes/certainty';
import { callbackRoutes } from './routes/callbacks';
import { callRoutes } from './routes/calls';
import { channelActionRoutes } from './routes/channel-actions';
import { emailRoutes } from './routes/email';
import { widgetRoutes } from './routes/widget';
import { kbRoutes } from './routes/kb';
import { widgetHttp } from './widget-http';
import { helpCenterHttp } from './help-center';
import { emailConfirmPage } from './email-confirm-page';
import { WidgetHub } from '../realtime/widget-hub';
import type { Bus } from '../realtime/bus';

/** Every declared API route; the tenancy test walks this list. Feature modules add theirs here. */
export const apiRoutes: RouteSpec[] = [...authRoutes, ...inboxRoutes, ...conversationRoutes, ...contactRoutes, ...adminRoutes, ...fileRoutes, ...agentAppRoutes, ...certaintyRoutes, ...callbackRoutes, ...callRoutes, ...channelActionRoutes, ...emailRoutes, ...widgetRoutes, ...kbRoutes];

export interface HttpOptions {
  services: Services;
  hub: RealtimeHub;
  version: string;
  /** Readiness: false while starting and while shutting down. */
  isReady(): boolean;
  extraRoutes?: RouteSpec[];
  /** The cross-process bus, for the widget's visitor connections. */
  bus?: Bus;
}

export async function buildHttp(opts: HttpOptions): Promise<FastifyInstance> {
  const { services: deps, hub } = opts;
  const app = Fastify({
    loggerInstance: deps.log as unknown as FastifyBaseLogger,
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    trustProxy: deps.config.TRUST_PROXY,
    // Request lines are not logged one by one (metrics count them); errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: 'x-request-id',
    genReqId: () => deps.runtime.id(),
    routerOptions: { maxParamLength: 500, ignoreTrailingSlash: true },
    return503OnClosing: true,
  });

  // Every method a path supports, to answer 405 (not 404) for a known path with the wrong method.
  const known = FindMyWay({ ignoreTrailingSlash: true, maxParamLength: 500 });
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method === 'HEAD' || r.url === '*' || r.url.endsWith('/*')) continue;
      try {
        known.on(method as 'GET', r.url, () => {});
      } catch {
        /* duplicate registration (HEAD/GET pairs) */
      }
    }
  });

  app.setErrorHandler(errorHandler);
  const webLoad = deps.webLoad;
  if (webLoad) {
    app.addHook('onRequest', (_req, _reply, done) => {
      webLoad.hit();
      done();
    });
  }
  app.addHook('onResponse', async (req, reply) => {
    const route = (req.routeOptions.url ?? 'unmatched').slice(0, 100);
    deps.metrics.httpDuration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    if (!reply.hasHeader('x-frame-options')) reply.header('x-frame-options', 'DENY');
    return payload;
  });

  registerJsonParser(app);
  await app.register(cookie);
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  const routes = [...apiRoutes, ...(opts.extraRoutes ?? [])];
  for (const spec of routes) registerRoute(app, deps, spec);

  // ---------- operations ----------
  app.get('/healthz', async (_req, reply) => {
    const ok = await deps.store.ping();
    return reply.status(ok ? 200 : 503).send(ok ? { status: 'ok' } : { status: 'unavailable' });
  });
  app.get('/readyz', async (_req, reply) => {
    const ok = opts.isReady() && (await deps.store.ping());
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready' });
  });
  app.get('/metrics', async (_req, reply) => {
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  const openapi = buildOpenApi(routes, { version: opts.version, serverUrl: deps.config.publicUrl });
  app.get('/api/openapi.json', async () => openapi);
  const docsHtml = renderDocs(openapi);
  app.get('/api/docs', async (_req, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(docsHtml));

  // ---------- realtime ----------
  app.get('/api/v1/realtime', { websocket: true }, (socket, req) => {
    const fail = (code: number, reason: string) => socket.close(code, reason);
    void (async () => {
      try {
        const query = req.query as Record<string, string | undefined>;
        if (query.token && !req.headers.authorization) req.headers.authorization = `Bearer ${query.token}`;
        const principal = await authenticate(deps, req);
        if (!principal) return fail(4401, 'unauthenticated');
        // Browsers send cookies on cross-site WebSocket handshakes: only our own pages may use the session.
        if (principal.session && !sameOrigin(req.headers.origin, req.headers.host, deps.config.publicUrl)) return fail(4403, 'origin not allowed');
        if (query.workspaceId && !req.headers['x-workspace-id'] && UUID_RE.test(query.workspaceId)) req.headers['x-workspace-id'] = query.workspaceId;
        const actor = await resolveActor(deps, req, principal);
        const viewer = await hub.viewerFor(actor.workspaceId, actor.userId, actor.role);
        const [user] = await deps.store.db.select({ name: users.name }).from(users).where(eq(users.id, actor.userId));
        hub.attach(socket, viewer, user?.name ?? '');
      } catch (err) {
        const r = toErrorResponse(err);
        fail(r.status === 401 ? 4401 : r.status === 403 ? 4403 : r.status === 404 ? 4404 : 4400, r.body.error.code);
      }
    })();
  });

  // ---------- chat widget and help center ----------
  if (opts.bus) {
    const widgetHub = new WidgetHub({ store: deps.store, bus: opts.bus, log: deps.log, runtime: deps.runtime });
    app.addHook('onClose', async () => widgetHub.close());
    await app.register(async (scope) => widgetHttp(scope, deps, widgetHub));
  }
  await app.register(async (scope) => helpCenterHttp(scope, deps));
  await app.register(async (scope) => emailConfirmPage(scope, deps));

  // ---------- provider webhooks (raw bodies) ----------
  await app.register(async (scope) => providerWebhooks(scope, deps));

  // ---------- agent app ----------
  const webRoot = path.join(distDir, 'web');
  const hasWeb = fs.existsSync(path.join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, index: false, cacheControl: false, setHeaders: (res, file) => {
      // Hashed assets never change; index.html always revalidates.
      res.setHeader('cache-control', /[.-][A-Za-z0-9_-]{8,}\.(js|css|woff2?|png|svg)$/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
    } });
  }

  app.setNotFoundHandler(async (req, reply) => {
    const url = req.url.split('?')[0]!;
    const isApi = url.startsWith('/api/') || url.startsWith('/webhooks/');
    if (!isApi && (req.method === 'GET' || req.method === 'HEAD')) {
      if (hasWeb && !/\.[a-z0-9]+$/i.test(url)) {
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(fs.createReadStream(path.join(webRoot, 'index.html')));
      }
    }
    const otherMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => m !== req.method && known.find(m as 'GET', url));
    if (otherMethods.length) {
      reply.header('allow', otherMethods.join(', '));
      throw new AppError('method_not_allowed', 'method_not_allowed', `${req.method} is not allowed here; use ${otherMethods.join(' or ')}.`);
    }
    throw new AppError('not_found', 'not_found', `No route ${req.method} ${url}.`);
  });

  return app;
}

function sameOrigin(origin: string | undefined, host: string | undefined, publicUrl: string): boolean {
  if (!origin) return true; // non-browser clients send no Origin and cannot ride on a victim's cookie
  try {
    const o = new URL(origin);
    return o.host === host || o.origin === new URL(publicUrl).origin;
  } catch {
    return false;
  }
}
