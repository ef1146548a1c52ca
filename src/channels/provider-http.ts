import crypto from 'node:crypto';
import type { HttpClient, SendResult } from './channel';

/** One provider API call, answered as status + parsed JSON (null when the body is not JSON). */
export interface ProviderResponse {
  status: number;
  json: unknown;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export async function callProvider(
  http: HttpClient,
  url: string,
  init: { method: string; headers?: Record<string, string>; json?: unknown; form?: Record<string, string | string[]>; body?: Buffer; timeoutMs?: number },
): Promise<ProviderResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...(init.headers ?? {}) };
  let body: string | Buffer | undefined = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(init.form)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
    body = params.toString();
  }
  const res = await http.request(url, { method: init.method, headers, body, timeoutMs: init.timeoutMs ?? 15_000 });
  let json: unknown = null;
  try {
    json = JSON.parse(res.body.toString('utf8'));
  } catch {
    /* not JSON: media downloads, HTML error pages */
  }
  return { status: res.status, json, body: res.body, headers: res.headers };
}

/** A transport failure before the provider answered: it may be retried (the request never reached it, or did not finish). */
export function networkFailure(err: unknown): SendResult {
  const blocked = (err as { code?: string }).code === 'blocked_address';
  return { ok: false, code: blocked ? 'blocked_address' : 'network_error', message: (err as Error).message, retryable: !blocked };
}

/** HTTP statuses that mean "try again later" for every provider we speak to. */
export const retryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/** multipart/form-data, for providers that take uploads (WhatsApp media, Telegram files, Messenger attachments). */
export function multipart(parts: ({ name: string; value: string } | { name: string; fileName: string; contentType: string; data: Buffer })[]) {
  const boundary = `----balie${crypto.randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const safeName = (s: string) => s.replace(/["\r\n]/g, '_');
    if ('data' in p) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${safeName(p.name)}"; filename="${safeName(p.fileName)}"\r\nContent-Type: ${p.contentType}\r\n\r\n`,
        ),
        p.data,
        Buffer.from('\r\n'),
      );
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${safeName(p.name)}"\r\n\r\n${p.value}\r\n`));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

/** Constant-time comparison of two signature strings. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** A stable event id from the ids of everything a webhook reports, so a redelivery with other bytes is still a no-op. */
export function eventIdOf(prefix: string, keys: string[], rawBody: Buffer): string {
  if (keys.length === 0) return `${prefix}:body:${crypto.createHash('sha256').update(rawBody).digest('hex')}`;
  const joined = [...keys].sort().join('|');
  return joined.length <= 200 ? `${prefix}:${joined}` : `${prefix}:h:${crypto.createHash('sha256').update(joined).digest('hex')}`;
}

/** Hours since the customer last wrote, from the channel state ingest keeps on the conversation. */
export function hoursSinceCustomer(channelState: Record<string, unknown>, now: Date): number {
  const at = typeof channelState.lastCustomerMessageAt === 'string' ? Date.parse(channelState.lastCustomerMessageAt) : NaN;
  return Number.isFinite(at) ? (now.getTime() - at) / 3_600_000 : Infinity;
}
