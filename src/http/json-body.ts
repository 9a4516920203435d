import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { ApiError } from '../core/errors.js';

/**
 * The API speaks JSON only. An empty (or all-whitespace) body counts as no body (list endpoints
 * are often called without one), and a body sent with another Content-Type (curl -d sends form
 * encoding) is still read as JSON rather than refused.
 *
 * Parsing is Fastify's own (secure-json-parse): a body that sets `__proto__` or
 * `constructor.prototype` is refused like malformed JSON, so no body can pollute prototypes.
 *
 * GET (and so HEAD) may carry a body where a route declares one in its schema: GET /v1/users/get
 * is documented with a JSON body. Call before any route is added.
 */
export function registerJsonBody(app: FastifyInstance) {
  for (const method of ['GET', 'HEAD']) app.addHttpMethod(method, { hasBody: true, overrideExisting: true });
  app.addHook('onRequest', getBodyOnlyWhereDeclared);

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

/**
 * With GET and HEAD "with body", Fastify would read the body of every GET (413 past bodyLimit)
 * and answer 415 to a GET whose Content-Type it cannot parse (an empty one, say). A GET whose
 * route declares no body ignores its body unread, as before: the framing headers are hidden from
 * Fastify's body step. A declared GET body is JSON whatever its Content-Type (the '*' parser).
 */
function getBodyOnlyWhereDeclared(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) {
  if (request.method !== 'GET' && request.method !== 'HEAD') return done();
  const h = request.raw.headers;
  if (h['content-type'] === undefined && h['content-length'] === undefined && h['transfer-encoding'] === undefined) return done();
  delete h['content-type'];
  if (request.routeOptions.schema?.body === undefined) {
    delete h['content-length'];
    delete h['transfer-encoding'];
  }
  done();
}

/** Names what is wrong with a body the secure parser refused (only runs on that error path). */
function badJson(text: string): ApiError {
  try {
    JSON.parse(text);
  } catch (e) {
    return new ApiError(400, 'bad_data', `body is not valid JSON: ${(e as Error).message}`).coded('invalid_json');
  }
  return new ApiError(
    400,
    'bad_data',
    'body must not contain a "__proto__" key or a "constructor" object with a "prototype" key (refused as prototype pollution)',
  ).coded('invalid_json');
}
