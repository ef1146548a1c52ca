/**
 * The pace of a broadcast: at most `perSecond` messages a second, averaged over the whole broadcast. Providers
 * throttle (WhatsApp's Cloud API starts at 80 messages a second per number, an SMS long code at a few), and a
 * burst of 10,000 sends would mostly come back as "rate limit hit" and retries. A virtual clock (`nextAt`, carried
 * from page to page) says when the next message may go; each page's batches are scheduled on it, each batch at
 * most one second's worth of messages. A batch due within a second goes at once: the job queue polls once a
 * second anyway, and the clock still holds the average.
 */
export const DEFAULT_BROADCAST_PER_SECOND = 100;

export interface PacedBatch {
  /** Index range [from, to) into the page's messages. */
  from: number;
  to: number;
  /** Wait this long before sending (0: now). */
  delayMs: number;
}

export function paceBatches(input: { count: number; perSecond: number; maxBatch: number; now: number; nextAt?: number | undefined }): { batches: PacedBatch[]; nextAt: number } {
  const perSecond = Math.max(1, input.perSecond);
  const size = Math.max(1, Math.min(input.maxBatch, Math.floor(perSecond)));
  let at = Math.max(input.now, input.nextAt ?? input.now);
  const batches: PacedBatch[] = [];
  for (let from = 0; from < input.count; from += size) {
    const to = Math.min(input.count, from + size);
    const wait = at - input.now;
    batches.push({ from, to, delayMs: wait < 1000 ? 0 : Math.round(wait) });
    at += ((to - from) * 1000) / perSecond;
  }
  return { batches, nextAt: at };
}

/** When to read the next page: just before its first message is due, so no page waits hours in the queue. */
export function nextPageDelay(nextAt: number, now: number): number {
  const wait = nextAt - now - 1000;
  return wait < 1000 ? 0 : Math.round(wait);
}
