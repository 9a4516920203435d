import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ClockState } from '../../core/clock.js';
import { toIso } from '../../domain/time.js';
import { clockChange, clockState } from './schemas.js';

const tags = ['mock'];
const present = (s: ClockState) => ({ now: toIso(s.now), frozen: s.frozen, offset_ms: s.offsetMs });

/**
 * The team's own clock (team scope). POST applies freeze, then set, then advance, and answers once
 * everything that became due on the way has run (decision K5).
 */
export const clockRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.mock;

  app.get('/__mock/clock', { schema: { tags, response: { 200: clockState } } }, async (req) => present(ctx.clock.team(req.teamId).state()));

  app.post('/__mock/clock', { schema: { tags, body: clockChange, response: { 200: clockState } } }, async (req) => {
    const clock = ctx.clock.team(req.teamId);
    const b = req.body;
    if (b.freeze === true) clock.freeze();
    if (b.freeze === false) clock.unfreeze();
    if (b.set !== undefined) await ctx.runner.moveTo(req.teamId, () => Date.parse(b.set!));
    const ms = b.advance ?? b.advance_ms;
    if (ms !== undefined) await ctx.runner.advance(req.teamId, ms);
    else if (b.set === undefined) await ctx.runner.runDue(req.teamId);
    return present(clock.state());
  });

  app.delete('/__mock/clock', { schema: { tags, response: { 200: clockState } } }, async (req) => {
    ctx.clock.team(req.teamId).reset();
    await ctx.runner.runDue(req.teamId);
    return present(ctx.clock.team(req.teamId).state());
  });
};
