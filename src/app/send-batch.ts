import type { Deps } from './context';
import { sendOutbound } from './send-outbound';
import { withOutbox } from './outbox';

/**
 * Sends a batch of queued outbound messages (a broadcast page) through the normal send path, a few at a time.
 * A message whose channel asks for a retry is handed to its own `send-outbound` job, so the queue's backoff
 * applies to it alone and the rest of the batch is not repeated.
 */
const CONCURRENCY = 16;

export async function sendBatch(deps: Deps, input: { workspaceId: string; messageIds: string[] }) {
  const retry: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < input.messageIds.length) {
      const id = input.messageIds[next++]!;
      try {
        // retryLimit 1 marks this as a first attempt that may still be retried by its own job.
        await sendOutbound(deps, { workspaceId: input.workspaceId, messageId: id }, { retryCount: 0, retryLimit: 1 });
      } catch {
        retry.push(id);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, input.messageIds.length) }, worker));
  if (retry.length) {
    const later = new Date(deps.runtime.now().getTime() + 5_000);
    await withOutbox(deps, input.workspaceId, async (_tx, out) => {
      for (const messageId of retry) out.job('send-outbound', { workspaceId: input.workspaceId, messageId }, { singletonKey: `send:${messageId}`, startAfter: later });
    });
  }
  return { sent: input.messageIds.length - retry.length, retried: retry.length };
}
