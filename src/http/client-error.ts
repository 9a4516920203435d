import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { ErrorBody } from '../core/errors.js';
import type { KnownErrorCode } from '../core/error-codes.js';

// Answers what Node refuses before any route sees a request (a request too slow, headers too
// large, bytes that are not HTTP) in the mock's one error shape, then closes the connection.

interface Refusal {
  status: number;
  reason: string;
  errorCode: KnownErrorCode;
  message: string;
}

function refusalOf(err: NodeJS.ErrnoException): Refusal {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        reason: 'Request Timeout',
        errorCode: 'request_timeout',
        message: 'the request did not arrive in time (headers within HEYMARKET_MOCK_HEADERS_TIMEOUT_MS, the whole request within HEYMARKET_MOCK_REQUEST_TIMEOUT_MS); the connection is closed',
      };
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, reason: 'Request Header Fields Too Large', errorCode: 'headers_too_large', message: 'the request headers are larger than 16 KiB' };
    default:
      return { status: 400, reason: 'Bad Request', errorCode: 'malformed_request', message: `the request is not valid HTTP/1.1 (${err.code ?? err.message})` };
  }
}

/** Fastify's clientErrorHandler: one JSON answer with an X-Request-Id, then the socket is destroyed. */
export function clientErrorHandler(this: { log: FastifyBaseLogger }, err: NodeJS.ErrnoException, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const r = refusalOf(err);
  const body: ErrorBody = { error: 'bad_data', error_code: r.errorCode, message: r.message, errors: [{ message: r.message, error_code: r.errorCode }] };
  const json = JSON.stringify(body);
  this.log.debug({ err, status: r.status }, 'client error');
  // Like Node's own answer: only when nothing of a response was written on this connection yet.
  if (socket.writable && !(socket as Socket & { _httpMessage?: { _headerSent?: boolean } })._httpMessage?._headerSent) {
    socket.write(
      `HTTP/1.1 ${r.status} ${r.reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nX-Request-Id: ${randomUUID()}\r\nConnection: close\r\n\r\n${json}`,
    );
  }
  socket.destroy(err);
}
