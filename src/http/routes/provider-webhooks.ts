import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../app/context';
import { receiveWebhook } from '../../app/receive-webhook';
import type { RawRequest } from '../../channels/channel';
import { handleVoiceWebhook } from '../../app/voice-webhook';

/**
 * /webhooks/{kind}/{inboxId}: where providers (Meta, Twilio, Telegram) call Balie. These routes get the raw
 * bytes (signatures are over exact bytes), in their own scope so the JSON API's parsing is untouched.
 */
export async function providerWebhooks(app: FastifyInstance, deps: Services) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 5 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  const toRaw = (req: FastifyRequest): RawRequest => ({
    method: req.method,
    url: `${deps.config.publicUrl}${req.url}`,
    headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])),
    rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    query: Object.fromEntries(Object.entries((req.query ?? {}) as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : undefined])),
  });

  // Phone lines answer synchronously with TwiML (the static "voice" segment wins over :kind).
  for (const url of ['/webhooks/voice/:inboxId', '/webhooks/voice/:inboxId/:step']) {
    app.route({
      method: 'POST',
      url,
      config: { webhook: true },
      handler: async (req, reply) => {
        const { inboxId, step } = req.params as { inboxId: string; step?: string };
        const res = await handleVoiceWebhook(deps, inboxId, step ?? 'inbound', toRaw(req));
        return reply.status(res.status).type(res.contentType).send(res.body);
      },
    });
  }

  for (const method of ['GET', 'POST'] as const) {
    app.route({
      method,
      url: '/webhooks/:kind/:inboxId',
      config: { webhook: true },
      handler: async (req, reply) => {
        const { kind, inboxId } = req.params as { kind: string; inboxId: string };
        const res = await receiveWebhook(deps, kind, inboxId, toRaw(req));
        return reply.status(res.status).type(res.contentType).send(res.body);
      },
    });
  }
}
