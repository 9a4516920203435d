import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { ApiError, type ErrorBody } from '../core/errors.js';
import { RouteIndex } from './route-index.js';

function send(request: FastifyRequest, reply: FastifyReply, err: ApiError) {
  const body: ErrorBody = {
    error: err.code,
    error_code: err.errorCode,
    message: err.message,
    ...(err.field !== undefined ? { field: err.field } : {}),
    errors: err.problems,
  };
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  // A client that swallows response bodies still leaves its developer the reason, in the log.
  if (err.statusCode < 500) {
    request.log.info(
      { reqId: request.id, method: request.method, path: request.url.split('?')[0], team: request.teamId || null, status: err.statusCode, error_code: err.errorCode, reason: err.message },
      'request refused',
    );
  }
  return reply.code(err.statusCode).type('application/json').send(JSON.stringify(body));
}

/** Maps every failure to the one error shape. Only this file writes error bodies. */
export function toApiError(error: FastifyError | Error, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ResponseSerializationError) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
    return new ApiError(500, 'server_error', 'the mock built a response that does not match its own schema (a bug in heymarket-mock)');
  }
  const fe = error as FastifyError;
  // Another process on the same database file held the write lock past busy_timeout (decision S7):
  // the transaction rolled back, so nothing was written and the request can be retried.
  if (error.name === 'SqliteError' && typeof fe.code === 'string' && (fe.code.startsWith('SQLITE_BUSY') || fe.code.startsWith('SQLITE_LOCKED'))) {
    request.log.warn({ err: error }, 'database busy');
    return new ApiError(503, 'server_error', 'the database file is busy (another process holds its write lock); nothing was written, retry the request', undefined, { 'Retry-After': '1' }).coded('database_busy');
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'payload_too_large', `request body is larger than the limit of ${request.routeOptions.bodyLimit ?? 'the configured'} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'bad_data', 'Content-Type must be application/json').coded('unsupported_media_type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(400, 'bad_data', 'body is empty but Content-Type is application/json').coded('empty_body');
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new ApiError(fe.statusCode, fe.statusCode === 404 ? 'not_found' : 'bad_data', fe.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return new ApiError(500, 'server_error', 'internal error in heymarket-mock; quote the X-Request-Id when reporting it');
}

export function registerErrorHandling(app: FastifyInstance) {
  const routes = new RouteIndex();
  app.addHook('onRoute', (route) => routes.add(route.method, route.url));
  app.setErrorHandler((error, request, reply) => send(request, reply, toApiError(error as Error, request)));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const hint = routes.hint(request.method, path);
    send(request, reply, new ApiError(404, 'not_found', `no such endpoint: ${request.method} ${path}${hint ? `; ${hint}` : ''}`).coded('unknown_endpoint'));
  });
}
