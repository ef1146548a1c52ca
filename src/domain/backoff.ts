/** Exponential backoff with full jitter on the upper half, so retries of many failures do not arrive together. */
export function backoffDelayMs(attempt: number, random: number, baseMs = 2_000, maxMs = 60 * 60_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
