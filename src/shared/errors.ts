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
  message: string;
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
