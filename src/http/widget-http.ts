import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../app/context';
import { checkOrigin, loadWidgetInbox, readVisitorToken } from '../app/widget-visitor';
import { escapeHtml } from '../shared/markdown';
import { distDir } from '../paths';
import { toErrorResponse } from './errors';
import type { WidgetHub } from '../realtime/widget-hub';
import { ownOrigins } from './routes/widget';

/**
 * The parts of the widget that are not JSON routes: the loader script (`/widget.js`), the frame page and its
 * assets, and the visitor's WebSocket. The frame page carries its own strict CSP; `frame-ancestors` lists
 * exactly the inbox's allowed origins, so no other site can embed it.
 */
export async function widgetHttp(app: FastifyInstance, deps: Services, hub: WidgetHub) {
  const dir = path.join(distDir, 'widget');
  const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f)) : null);
  const assets = { loader: read('loader.js'), app: read('app.js'), css: read('app.css') };
  const version = assets.app ? String(assets.app.length) + String(fs.statSync(path.join(dir, 'app.js')).mtimeMs | 0) : '0';

  app.get('/widget.js', async (_req, reply) => {
    if (!assets.loader) return reply.status(503).type('text/plain').send('The widget is not built; run npm run build.');
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(assets.loader);
  });
  app.get('/widget/app.js', async (_req, reply) => {
    if (!assets.app) return reply.status(404).send();
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(assets.app);
  });
  app.get('/widget/app.css', async (_req, reply) => {
    if (!assets.css) return reply.status(404).send();
    return reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(assets.css);
  });

  app.get('/widget/frame/:inboxId', async (req, reply) => {
    const { inboxId } = req.params as { inboxId: string };
    const q = req.query as { origin?: string; lang?: string };
    const page = (status: number, body: string, csp: string) =>
      reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').header('content-security-policy', csp).send(body);
    try {
      const w = await loadWidgetInbox(deps, inboxId);
      const host = (q.origin ?? '').toLowerCase().replace(/\/+$/, '');
      const self = ownOrigins(req, deps.config.publicUrl)[1]!;
      checkOrigin(w, self, [self], host);
      const ws = self.replace(/^http/, 'ws');
      const csp = [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        `connect-src 'self' ${ws}`,
        "img-src 'self' data: blob:",
        "base-uri 'none'",
        "form-action 'none'",
        `frame-ancestors ${w.settings.allowedOrigins.join(' ')}`,
      ].join('; ');
      const lang = q.lang === 'en' ? 'en' : 'nl';
      const boot = escapeHtml(JSON.stringify({ inboxId: w.inbox.id, hostOrigin: host, lang, base: self }));
      return page(
        200,
        `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Chat</title>` +
          `<link rel="stylesheet" href="/widget/app.css?v=${version}"></head><body><div id="balie-widget" data-boot="${boot}"></div>` +
          `<script src="/widget/app.js?v=${version}" defer></script></body></html>`,
        csp,
      );
    } catch (err) {
      const r = toErrorResponse(err);
      return page(r.status, `<!doctype html><meta charset="utf-8"><p>${escapeHtml(r.body.error.message)}</p>`, "default-src 'none'; frame-ancestors *");
    }
  });

  app.get('/api/widget/v1/live', { websocket: true }, (socket, req) => {
    void (async () => {
      try {
        const q = req.query as { token?: string };
        const visitor = readVisitorToken(deps, q.token);
        const w = await loadWidgetInbox(deps, visitor.inboxId);
        checkOrigin(w, req.headers.origin, ownOrigins(req, deps.config.publicUrl));
        await hub.attach(socket, visitor);
      } catch (err) {
        const r = toErrorResponse(err);
        socket.close(r.status === 401 ? 4401 : r.status === 403 ? 4403 : 4404, r.body.error.code);
      }
    })();
  });
}
