import type { FastifyInstance } from 'fastify';
import { ApiError } from '../core/errors.js';

/**
 * The API speaks JSON only. An empty body counts as no body (list endpoints are often called
 * without one), and a body sent with another Content-Type (curl -d sends form encoding) is still
 * read as JSON rather than refused.
 */
export function registerJsonBody(app: FastifyInstance) {
  app.removeAllContentTypeParsers();
  const parse = (_req: unknown, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(new ApiError(400, 'bad_data', `body is not valid JSON: ${(e as Error).message}`));
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parse);
  app.addContentTypeParser('*', { parseAs: 'string' }, parse);
}
