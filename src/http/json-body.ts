import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { AppError } from '../shared/errors';
import { cleanDeep } from '../shared/text';

/**
 * JSON bodies are parsed safely (no prototype pollution through __proto__/constructor), and strings PostgreSQL
 * cannot store (NUL, lone surrogates — only possible as \u escapes in the JSON text) are repaired.
 */
const NEEDS_CLEANING = /\\u(0000|[dD][89a-fA-F])/;

export function registerJsonParser(app: FastifyInstance) {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json(;.*)?$/i, { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch {
      return done(new AppError('bad_request', 'invalid_json', 'The request body is not valid JSON.'), undefined);
    }
    done(null, NEEDS_CLEANING.test(text) ? cleanDeep(parsed) : parsed);
  });
}
