import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorKind } from '../shared/errors';

/** The one mapping from error kinds to HTTP statuses. */
export const statusOf: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  validation: 422,
  rate_limited: 429,
  unavailable: 503,
};

export interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; message: string }[] };
}

/** Fastify's own client errors (body parsing, limits, content types) in our shape. */
function fromFastify(err: FastifyError): AppError | null {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('bad_request', 'invalid_json', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'payload_too_large', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('bad_request', 'unsupported_media_type', 'Send the body as application/json.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('bad_request', 'invalid_content_length', 'Content-Length does not match the body.');
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return new AppError('bad_request', 'bad_url', 'The URL is malformed.');
  }
  if (err instanceof SyntaxError || /JSON/.test(err.message) && err.statusCode === 400) {
    return new AppError('bad_request', 'invalid_json', 'The request body is not valid JSON.');
  }
  if (err.statusCode === 413) return new AppError('payload_too_large', 'payload_too_large', 'The request body is too large.');
  if (err.statusCode === 415) return new AppError('bad_request', 'unsupported_media_type', 'Send the body as application/json.');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return new AppError('bad_request', 'bad_request', err.message);
  return null;
}

export function toErrorResponse(err: unknown): { status: number; body: ErrorBody; retryAfter?: number } {
  const app = err instanceof AppError ? err : fromFastify(err as FastifyError);
  if (!app) return { status: 500, body: { error: { code: 'internal_error', message: 'Something went wrong on our side. It has been logged; please try again.' } } };
  const status = app.kind === 'bad_request' && app.code === 'unsupported_media_type' ? 415 : statusOf[app.kind];
  return {
    status,
    body: { error: { code: app.code, message: app.message, ...(app.details?.fields ? { fields: app.details.fields } : {}) } },
    retryAfter: app.details?.retryAfterSeconds,
  };
}

export function errorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  const { status, body, retryAfter } = toErrorResponse(err);
  if (status >= 500) req.log.error({ err }, 'request failed');
  else req.log.info({ code: body.error.code, status }, 'request rejected');
  if (retryAfter) void reply.header('retry-after', String(retryAfter));
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}
