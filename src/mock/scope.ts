import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unauthorized } from '../core/errors.js';
import { teamGate } from '../db/team-gate.js';
import { authenticatePastGate, type Authenticator } from '../http/auth.js';

// Who may use a control route (spec: control-plane.md, Common rules). "team" routes authenticate
// exactly like /v1 and act on that team only; "admin" routes are open until
// HEYMARKET_MOCK_ADMIN_TOKEN is set, then need `X-Mock-Admin-Token`. Never rate-limited.

export const ADMIN_HEADER = 'x-mock-admin-token';

/** Sets request.teamId from the request's credentials (401 without valid ones) on every route of `app`. */
export function teamScope(app: FastifyInstance, auth: Authenticator) {
  if (!app.hasRequestDecorator('teamId')) app.decorateRequest('teamId', 0);
  app.addHook('onRequest', async (request) => {
    request.teamId = await authenticatePastGate(auth, teamGate(app.mock.db), request);
  });
}

/** Refuses a request without the admin token, when one is configured. */
export function checkAdmin(request: FastifyRequest, token: string | undefined) {
  if (!token) return;
  const given = request.headers[ADMIN_HEADER];
  const a = Buffer.from(typeof given === 'string' ? given : '');
  const b = Buffer.from(token);
  if (!given) throw unauthorized(`this control route needs the admin token: send the header 'X-Mock-Admin-Token: <HEYMARKET_MOCK_ADMIN_TOKEN>'`, 'missing_credentials');
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw unauthorized('X-Mock-Admin-Token does not match HEYMARKET_MOCK_ADMIN_TOKEN', 'unauthorized');
}

/** Every route of `app` is admin-scoped. */
export function adminScope(app: FastifyInstance, token: string | undefined) {
  app.addHook('onRequest', async (request) => checkAdmin(request, token));
}
