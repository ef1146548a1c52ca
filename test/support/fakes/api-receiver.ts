import type { FakeProviderHandle } from '../../../src/channels/contract';
import { createHttpSink } from '../http-sink';

/** The "provider" of the API channel is the customer's own system receiving signed reply webhooks. */
export async function startApiReceiver(): Promise<FakeProviderHandle<{ webhookUrl?: string }, { webhookSecret?: string }>> {
  let fail: 'retryable' | 'permanent' | null = null;
  const accepted: { text: string; attachments: number[] }[] = [];
  const sink = await createHttpSink((req) => {
    const f = fail;
    fail = null;
    if (f === 'retryable') return { status: 503, body: '{"error":"maintenance"}' };
    if (f === 'permanent') return { status: 400, body: '{"error":"unknown conversation"}' };
    const body = JSON.parse(req.body) as { message: { content: string; attachments: { size: number }[] } };
    accepted.push({ text: body.message.content, attachments: body.message.attachments.map((a) => a.size) });
    return { status: 200, body: JSON.stringify({ id: `rcv-${accepted.length}` }) };
  });
  return {
    settings: { webhookUrl: `${sink.url}/balie` },
    secrets: { webhookSecret: 'an-api-webhook-secret-0123456789' },
    recipient: { name: 'Jan', identities: [{ kind: 'external', value: 'crm-42' }] },
    channelState: {},
    failNextSend: (kind) => {
      fail = kind;
    },
    sent: () => accepted,
    stop: () => sink.close(),
  };
}
