/**
 * The per-conversation state channels keep (the customer's last message time for the 24-hour window, a
 * Telegram chat id, an SMS opt-out…), updated by each inbound message. Webhooks arrive late and out of order,
 * so an update is merged key by key, and a time that opens a window only ever moves forward: an old message
 * delivered late must not shorten the window a newer one opened.
 */
const MONOTONIC_TIMES = ['lastCustomerMessageAt'] as const;

export function mergeChannelState(current: Record<string, unknown>, update: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...current, ...update };
  for (const key of MONOTONIC_TIMES) {
    const before = Date.parse(String(current[key]));
    const after = Date.parse(String(update[key]));
    if (Number.isFinite(before) && (!Number.isFinite(after) || before > after)) merged[key] = current[key];
  }
  return merged;
}
