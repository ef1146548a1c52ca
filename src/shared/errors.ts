/**
 * Every failure Balie reports carries a stable snake_case `code`. The kind decides the HTTP status, and that
 * mapping lives in one place (http/errors.ts); use cases never think in status codes.
 */
export type ErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'gone'
  | 'payload_too_large'
  | 'validation'
  | 'rate_limited'
  | 'unavailable';

export interface FieldIssue {
  path: string;
  /** English, for API users and logs; the agent app shows its own text for `code` when it knows it. */
  message: string;
  /** What is wrong, stable (too_small, too_big, invalid_type, invalid_format, end_before_start, …). */
  code?: string;
  /** The limit the value broke, for the translated text (minimum, maximum, origin: number/string/array). */
  params?: Record<string, string | number>;
}

interface ZodIssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  origin?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  params?: Record<string, unknown>;
}

/** Zod issues as field issues, with a stable code and the limit, so a client can say it in the user's language. */
export function fieldIssuesOf(issues: readonly ZodIssueLike[], prefix?: string): FieldIssue[] {
  return issues.map((i) => {
    const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)';
    const own = typeof i.params?.code === 'string' ? i.params.code : undefined;
    const code = i.code === 'custom' ? (own ?? 'invalid') : i.code;
    const params: Record<string, string | number> = {};
    // Only a limit needs its values said; other codes read the same for every field.
    if (code !== 'too_small' && code !== 'too_big') return { path, message: i.message, code };
    if (typeof i.origin === 'string') params.origin = i.origin;
    if (typeof i.minimum === 'number' || typeof i.minimum === 'bigint') params.minimum = Number(i.minimum);
    if (typeof i.maximum === 'number' || typeof i.maximum === 'bigint') params.maximum = Number(i.maximum);
    return { path, message: i.message, code, ...(Object.keys(params).length ? { params } : {}) };
  });
}

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: { fields?: FieldIssue[]; retryAfterSeconds?: number; [k: string]: unknown },
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what = 'resource') => new AppError('not_found', 'not_found', `The ${what} does not exist.`);
export const forbidden = (message = 'You are not allowed to do this.') => new AppError('forbidden', 'forbidden', message);
export const conflict = (code: string, message: string) => new AppError('conflict', code, message);
export const invalid = (path: string, message: string, code = 'validation_failed') =>
  new AppError('validation', code, `${path}: ${message}`, { fields: [{ path, message }] });
