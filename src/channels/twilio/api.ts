import type { HttpClient, SendResult } from '../channel';
import { callProvider, networkFailure, retryableStatus, type ProviderResponse } from '../provider-http';

/** The Twilio REST API (2010-04-01) with basic auth; shared by the SMS and voice channels. */
export interface TwilioAccount {
  accountSid: string;
  authToken: string;
  apiBaseUrl?: string;
}

export const TWILIO_API = 'https://api.twilio.com';
export const twilioBase = (a: Pick<TwilioAccount, 'apiBaseUrl'>) => (a.apiBaseUrl ?? TWILIO_API).replace(/\/+$/, '');

export function twilioAuth(a: TwilioAccount): string {
  return `Basic ${Buffer.from(`${a.accountSid}:${a.authToken}`).toString('base64')}`;
}

export function twilioCall(http: HttpClient, a: TwilioAccount, method: string, path: string, form?: Record<string, string | string[]>): Promise<ProviderResponse> {
  return callProvider(http, `${twilioBase(a)}/2010-04-01/Accounts/${encodeURIComponent(a.accountSid)}${path}`, {
    method,
    headers: { authorization: twilioAuth(a) },
    form,
  });
}

/** Twilio error codes that are final for this message (bad number, opted out, unreachable, not permitted). */
const PERMANENT = new Map<number, string>([
  [21211, 'invalid_number'],
  [21408, 'region_not_permitted'],
  [21610, 'recipient_opted_out'],
  [21612, 'unreachable_route'],
  [21614, 'not_a_mobile_number'],
  [20003, 'authentication_failed'],
]);

export function twilioError(res: ProviderResponse): Extract<SendResult, { ok: false }> {
  const err = (res.json ?? {}) as { code?: number; message?: string };
  const code = typeof err.code === 'number' ? err.code : null;
  const message = (err.message ?? `HTTP ${res.status}`).slice(0, 400);
  const named = code !== null ? PERMANENT.get(code) : undefined;
  if (named) return { ok: false, code: named, message: `${message} (Twilio ${code})`, retryable: false };
  const retryable = retryableStatus(res.status) || code === 20429;
  return { ok: false, code: code !== null ? `twilio_${code}` : `http_${res.status}`, message: code !== null ? `${message} (Twilio ${code})` : message, retryable };
}

export async function twilioSafe(fn: () => Promise<SendResult>): Promise<SendResult> {
  try {
    return await fn();
  } catch (err) {
    return networkFailure(err);
  }
}
