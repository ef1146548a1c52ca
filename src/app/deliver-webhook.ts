import { and, eq } from 'drizzle-orm';
import { webhookDeliveries, webhooks } from '../store/schema';
import type { Deps } from './context';
import { createHttpClient } from './safe-http';
import { signBody } from './signature';

/**
 * One attempt at delivering an event to a subscriber. The target is resolved and checked at send time; the
 * outcome of every attempt is recorded on the delivery so admins can see what happened. Throwing asks the
 * queue for another attempt (exponential backoff with jitter); the last attempt marks the delivery failed.
 */
export async function deliverWebhook(deps: Deps, input: { workspaceId: string; deliveryId: string }, attempt: { retryCount: number; retryLimit: number }) {
  const [row] = await deps.store.db
    .select({ delivery: webhookDeliveries, webhook: webhooks })
    .from(webhookDeliveries)
    .innerJoin(webhooks, and(eq(webhooks.workspaceId, webhookDeliveries.workspaceId), eq(webhooks.id, webhookDeliveries.webhookId)))
    .where(and(eq(webhookDeliveries.workspaceId, input.workspaceId), eq(webhookDeliveries.id, input.deliveryId)));
  if (!row || row.delivery.status === 'delivered' || !row.webhook.active) return;
  const body = JSON.stringify(row.delivery.payload);
  const secret = deps.secrets.open(row.webhook.secret);
  const http = createHttpClient({ allowPrivate: deps.config.WEBHOOK_ALLOW_PRIVATE, userAgent: 'Balie-Webhooks/1' });
  const started = Date.now();
  let status: number | null = null;
  let snippet: string | null = null;
  let error: string | null = null;
  try {
    const res = await http.request(row.webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-balie-event': row.delivery.eventType,
        'x-balie-delivery': row.delivery.id,
        'x-balie-signature': signBody(secret, body),
      },
      body,
      timeoutMs: 10_000,
    });
    status = res.status;
    snippet = res.body.toString('utf8').slice(0, 500);
    if (status < 200 || status >= 300) error = `HTTP ${status}`;
  } catch (err) {
    error = (err as Error).message.slice(0, 500);
  }
  const ok = error === null;
  const last = attempt.retryCount >= attempt.retryLimit || (!ok && /blocked_address|private or loopback/.test(error ?? ''));
  await deps.store.db
    .update(webhookDeliveries)
    .set({
      status: ok ? 'delivered' : last ? 'failed' : 'retrying',
      attempts: attempt.retryCount + 1,
      responseStatus: status,
      responseSnippet: snippet,
      error,
      durationMs: Date.now() - started,
      lastAttemptAt: deps.runtime.now(),
      ...(ok ? { deliveredAt: deps.runtime.now() } : {}),
    })
    .where(and(eq(webhookDeliveries.workspaceId, input.workspaceId), eq(webhookDeliveries.id, input.deliveryId)));
  if (!ok && !last) throw new Error(`webhook delivery failed: ${error}`);
}
