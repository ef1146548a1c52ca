/**
 * When the incidents page keeps asking the server for a broadcast's progress. Realtime events normally move the
 * bars; a missed event (a loaded server, a socket that reconnected mid-broadcast) must not leave a bar stuck at
 * "2 of 3", so while a broadcast still has pages to queue or notices without an outcome the page also refetches on
 * a timer. A broadcast that finished long ago and still has notices waiting (a provider retrying for hours) is
 * left to the realtime events and reloads, not polled forever.
 */
export const PROGRESS_POLL_MS = 3_000;
const POLL_AFTER_FINISH_MS = 15 * 60_000;

export interface BroadcastState {
  status: 'running' | 'done';
  queued: number;
  finishedAt: string | null;
}

export const deliveryCounts = (d: Record<string, number>) => ({ sent: (d.sent ?? 0) + (d.delivered ?? 0) + (d.read ?? 0), failed: d.failed ?? 0 });

export function broadcastPending(b: BroadcastState, delivery: Record<string, number> | undefined, now = Date.now()): boolean {
  if (b.status === 'running') return true;
  if (b.finishedAt && now - Date.parse(b.finishedAt) > POLL_AFTER_FINISH_MS) return false;
  if (!delivery) return b.queued > 0;
  const { sent, failed } = deliveryCounts(delivery);
  return sent + failed < b.queued;
}
