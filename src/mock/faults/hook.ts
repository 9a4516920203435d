import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, type ErrorCode } from '../../core/errors.js';
import type { FaultRule, FaultRules } from './store.js';

/** The broad error class of a status, for the default fault body (the mock's one error shape). */
function errorClass(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'denied';
    case 404:
      return 'not_found';
    case 413:
      return 'payload_too_large';
    case 429:
      return 'rate_limited';
    case 501:
      return 'not_implemented';
  }
  return status >= 500 ? 'server_error' : 'bad_data';
}

/**
 * Set on a request (to the rule id) that a fault rule answered with its own body: that body is the
 * tester's choice, not the mock's, so checks of the mock's answers skip it.
 */
export const FAULT_ANSWER = Symbol('heymarket-mock.faultAnswer');

const headerOf = (headers: Record<string, string>, name: string) => Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];

/** Waits without blocking the event loop; a server shutting down cuts the wait short. */
async function wait(ms: number, signal: AbortSignal) {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // Aborted: the server is closing, answer now.
  }
}

function answer(rule: FaultRule & { status: number }, reply: FastifyReply): FastifyReply {
  const headers = { ...rule.headers };
  if (rule.status === 429 && headerOf(headers, 'retry-after') === undefined) headers['Retry-After'] = '1';
  if (!rule.hasBody) {
    // The default body goes through the error handler, which writes every error body.
    throw new ApiError(rule.status, errorClass(rule.status), `injected fault: fault rule ${rule.id} of this team (GET /__mock/faults) answered ${rule.status}; the request was not handled and changed nothing`, undefined, headers).coded(
      'injected_fault',
    );
  }
  (reply.request as unknown as Record<symbol, number>)[FAULT_ANSWER] = rule.id;
  reply.code(rule.status).headers(headers);
  const type = headerOf(headers, 'content-type');
  // A string with its own Content-Type is sent as-is (an HTML page from a gateway, say); a Buffer
  // passes the JSON-string hook in app.ts untouched. Everything else is sent as JSON.
  if (typeof rule.body === 'string' && type !== undefined) return reply.send(Buffer.from(rule.body, 'utf8'));
  return reply.type(type ?? 'application/json; charset=utf-8').send(Buffer.from(JSON.stringify(rule.body), 'utf8'));
}

/**
 * Applies the team's fault rules (POST /__mock/faults) to every request of the authenticated API
 * scope: registered by app.ts right after requireAuth, so it runs after authentication and the
 * rate limit and before the body is read or any handler runs. A request answered by a fault
 * status or dropped never reaches its handler, so it changes nothing. /__mock/* is never faulted
 * (its routes are outside this scope, and the path is checked again here).
 */
export function registerFaultHook(api: FastifyInstance, faults: FaultRules, closing: AbortSignal) {
  api.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const q = request.url.indexOf('?');
    const path = q === -1 ? request.url : request.url.slice(0, q);
    if (path === '/__mock' || path.startsWith('/__mock/')) return;
    const rule = faults.decide(request.teamId, request.method, path);
    if (!rule) return;
    request.log.info({ reqId: request.id, team: request.teamId, method: request.method, path, fault: rule.id }, 'fault rule fired');
    if (rule.delayMs) await wait(rule.delayMs, closing);
    if (rule.drop) {
      // No answer at all: the client sees the connection close (socket hang up / ECONNRESET).
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    if (rule.status === null) return; // delay only: answer as usual
    // Returning the reply tells Fastify the hook answered: the handler never runs.
    return answer(rule as FaultRule & { status: number }, reply);
  });
}
