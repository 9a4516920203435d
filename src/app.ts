import Fastify, { LogController, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { openDb, type Db } from './db/open.js';
import { readSeedFile } from './db/seed-file.js';
import { applySeed, seedTeams } from './db/seed.js';
import { Authenticator, requireAuth } from './http/auth.js';
import { registerErrorHandling } from './http/error-handler.js';
import { registerJsonBody } from './http/json-body.js';
import { RateLimiter } from './http/rate-limit.js';
import { validatorCompiler } from './http/validator.js';
import { randomIds, systemClock, type Clock, type IdSource } from './mock/clock.js';
import { mockRoutes } from './mock/routes.js';
import { startScheduler } from './mock/scheduler.js';
import { registerResources } from './resources/index.js';

export interface BuildOptions {
  clock?: Clock;
  ids?: IdSource;
  /** An already open database (tests that restart the app on one file pass a path in config instead). */
  db?: Db;
}

/** Builds the whole app without listening (tests use this; src/main.ts listens). */
export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const clock = opts.clock ?? systemClock();
  const ids = opts.ids ?? randomIds;
  // Read and check the seed before opening the database, so a bad seed leaks no handle.
  const seed = seedTeams(config, config.seed ? readSeedFile(config.seed) : undefined);
  const db = opts.db ?? openDb(config.db);
  try {
    applySeed(db, seed, clock, ids);
  } catch (e) {
    if (!opts.db) db.$client.close();
    throw e;
  }

  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    genReqId: () => ids.uuid(),
    requestIdHeader: false,
    // Per-request log lines only at debug/trace: a busy test suite would drown the output.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
  }).withTypeProvider<ZodTypeProvider>();

  const ctx: AppContext = { config, db, clock, ids };
  app.decorate('mock', ctx);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerJsonBody(app);
  registerErrorHandling(app);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  // Fastify sends a returned string as-is with text/plain; the API answers bare JSON strings
  // such as "ok" (doc), so a handler's string becomes a JSON string here, in one place.
  app.addHook('onSend', async (request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof payload === 'string' && typeof type === 'string' && type.startsWith('text/plain') && !request.url.startsWith('/docs')) {
      reply.type('application/json; charset=utf-8');
      return JSON.stringify(payload);
    }
    return payload;
  });
  // Sends scheduled messages when the clock reaches them: started once the app is ready, stopped
  // before the database closes.
  let scheduler: { stop(): void } | undefined;
  app.addHook('onReady', async () => {
    scheduler = startScheduler(ctx, (err) => app.log.error({ err }, 'scheduler'));
  });
  app.addHook('onClose', async () => {
    scheduler?.stop();
    if (!opts.db) db.$client.close();
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'heymarket-mock',
        version: '0.1.0',
        description: 'Self-hosted mock of the Heymarket REST API. /__mock/* is the mock control plane.',
      },
      components: {
        securitySchemes: {
          jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'HS256 JWT {iss: SECRET_ID, iat}, key SECRET_ID||SECRET_KEY; or the legacy team API key' },
          basic: { type: 'http', scheme: 'basic', description: 'Legacy: team API key as user name, empty password' },
        },
      },
      security: [{ jwt: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const auth = new Authenticator(ctx);
  const limiter = new RateLimiter(config.rateLimit, clock);
  await app.register(mockRoutes, { seed, auth, limiter });
  await app.register(async (api) => {
    requireAuth(api, auth, limiter);
    await registerResources(api);
  });
  await app.ready();
  return app;
}
