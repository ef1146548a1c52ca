import type { SendResult } from '../channel';
import type { ProviderResponse } from '../provider-http';
import { retryableStatus } from '../provider-http';

/**
 * Graph API errors: {"error":{"message","type","code","error_subcode","error_data":{"details"},"fbtrace_id"}}.
 * Throttling and transient codes are retried; everything else is the provider's final word, shown to the agent.
 */
const RETRYABLE_CODES = new Set([1, 2, 4, 17, 32, 341, 613, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);

export function graphError(res: ProviderResponse): Extract<SendResult, { ok: false }> {
  const err = ((res.json as { error?: Record<string, unknown> } | null)?.error ?? {}) as {
    message?: string;
    code?: number;
    error_subcode?: number;
    error_data?: { details?: string };
  };
  const code = typeof err.code === 'number' ? err.code : null;
  const detail = err.error_data?.details;
  const message = [err.message ?? `HTTP ${res.status}`, detail].filter(Boolean).join(' — ').slice(0, 400);
  const retryable = code !== null ? RETRYABLE_CODES.has(code) || (retryableStatus(res.status) && code !== 190) : retryableStatus(res.status);
  return { ok: false, code: code !== null ? `meta_${code}${err.error_subcode ? `_${err.error_subcode}` : ''}` : `http_${res.status}`, message, retryable };
}
