import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { packageVersion } from '../../core/version.js';
import { toIso } from '../../domain/time.js';
import { countTeams } from '../../resources/team/store.js';

export const infoResponse = z.object({
  version: z.string(),
  started: z.string().describe('When this process started serving (real time)'),
  db: z.string().describe('"memory" or the database file path'),
  teams: z.number().int().describe('How many teams the store holds'),
  settings: z.record(z.string(), z.unknown()).describe('The settings in force, without secrets'),
});

/** Settings never shown: credentials and the admin token. */
const SECRET = new Set(['secretId', 'secretKey', 'apiKey', 'adminToken']);

/** GET /__mock/info (admin). */
export const infoRoutes: FastifyPluginAsyncZod<{ started: number }> = async (app, opts) => {
  const ctx = app.mock;
  const version = packageVersion();
  app.get('/__mock/info', { schema: { tags: ['mock'], security: [], response: { 200: infoResponse } } }, async () => ({
    version,
    started: toIso(opts.started),
    db: ctx.config.db === ':memory:' ? 'memory' : ctx.config.db,
    teams: countTeams(ctx.db),
    settings: Object.fromEntries(Object.entries(ctx.config).filter(([k]) => !SECRET.has(k))),
  }));
};
