import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../core/errors.js';

/**
 * The API speaks JSON only. An empty (or all-whitespace) body counts as no body (list endpoints
 * are often called without one), and a body sent with another Content-Type (curl -d sends form
 * encoding) is still read as JSON rather than refused.
 *
 * Parsing is Fastify's own (secure-json-parse): a body that sets `__proto__` or
 * `constructor.prototype` is refused like malformed JSON, so no body can pollute prototypes.
 */
export function registerJsonBody(app: FastifyInstance) {
  const secure = app.getDefaultJsonParser('error', 'error');
  const parse = (request: FastifyRequest, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    secure(request, text, (err, value) => (err ? done(badJson(text)) : done(null, value)));
  };
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parse);
  app.addContentTypeParser('*', { parseAs: 'string' }, parse);
}

/** Names what is wrong with a body the secure parser refused (only runs on that error path). */
function badJson(text: string): ApiError {
  try {
    JSON.parse(text);
  } catch (e) {
    return new ApiError(400, 'bad_data', `body is not valid JSON: ${(e as Error).message}`);
  }
  return new ApiError(
    400,
    'bad_data',
    'body must not contain a "__proto__" key or a "constructor" object with a "prototype" key (refused as prototype pollution)',
  );
}
