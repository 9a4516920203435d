import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badData, notFound } from '../../core/errors.js';
import { toIso } from '../../domain/time.js';
import { faultCreate, faultParams, faultRule } from './schemas.js';
import { MAX_RULES_PER_TEAM, type FaultRule, type FaultRules } from './store.js';

const tags = ['mock'];
const noContent = z.void().describe('No content');

export function presentRule(r: FaultRule): z.infer<typeof faultRule> {
  return {
    id: r.id,
    method: r.method,
    path: r.pattern.source,
    status: r.status,
    ...(r.hasBody ? { body: r.body } : {}),
    headers: r.headers,
    delay_ms: r.delayMs,
    drop: r.drop,
    times: r.times,
    remaining: r.remaining,
    probability: r.probability,
    seed: r.seed,
    hits: r.hits,
    created: r.created,
  };
}

/**
 * /__mock/faults (team scope): the team's fault rules, applied to its /v1 and /v2 requests by
 * the hook in ./hook.ts. Kept in memory per app (decision F1).
 */
export const faultRoutes: FastifyPluginAsyncZod<{ faults: FaultRules }> = async (app, { faults }) => {
  const ctx = app.mock;

  app.post('/__mock/faults', { schema: { tags, body: faultCreate, response: { 201: faultRule } } }, async (req, reply) => {
    if (faults.count(req.teamId) >= MAX_RULES_PER_TEAM) {
      throw badData(undefined, `a team holds at most ${MAX_RULES_PER_TEAM} fault rules: remove some first (DELETE /__mock/faults/{id}, or DELETE /__mock/faults for all)`, 'fault_limit');
    }
    const b = req.body;
    const rule = faults.add(req.teamId, { ...b, hasBody: Object.hasOwn(b, 'body') }, toIso(ctx.clock.now(req.teamId)));
    return reply.code(201).send(presentRule(rule));
  });

  app.get('/__mock/faults', { schema: { tags, response: { 200: z.array(faultRule) } } }, async (req) => faults.list(req.teamId).map(presentRule));

  app.delete('/__mock/faults', { schema: { tags, response: { 204: noContent } } }, async (req, reply) => {
    faults.clear(req.teamId);
    return reply.code(204).send();
  });

  app.delete('/__mock/faults/:id', { schema: { tags, params: faultParams, response: { 204: noContent } } }, async (req, reply) => {
    if (!faults.remove(req.teamId, req.params.id)) throw notFound(`no fault rule with id ${req.params.id} in this team`, 'id');
    return reply.code(204).send();
  });
};
