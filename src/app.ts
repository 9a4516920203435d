import Fastify, { LogController, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { randomUUID } from 'node:crypto';
import { Clocks, type ClockStart, type Wall } from './core/clock.js';
import { packageVersion } from './core/version.js';
import { RandomIds, SeededIds, type IdSource } from './core/ids.js';
import { DueRunner } from './core/runner.js';
import { openDb, setEffectErrorHandler, type Db } from './db/open.js';
import { slicesSettled } from './db/slices.js';
import { setRecording } from './db/recording.js';
import { readSeedFile } from './mock/seed/schemas.js';
import { applySeed, seedTeams, startupTeams, type StartupTeam } from './mock/seed/service.js';
import { Authenticator, requireAuth } from './http/auth.js';
import { AuthFailures } from './http/auth-failures.js';
import { clientErrorHandler } from './http/client-error.js';
import { Drain } from './http/drain.js';
import { registerGuards } from './http/guards.js';
import { registerErrorHandling } from './http/error-handler.js';
import { registerJsonBody } from './http/json-body.js';
import { safeSerializerCompiler, type SerializeFailure } from './http/serializer.js';
import { openApiTransforms } from './http/openapi.js';
import { RateLimiter } from './http/rate-limit.js';
import { validatorCompiler } from './http/validator.js';
import { registerFaultHook } from './mock/faults/hook.js';
import { FaultRules } from './mock/faults/store.js';
import { registerMock } from './mock/index.js';
import { WebhookEngine } from './mock/webhooks/engine.js';
import { registerResources } from './resources/index.js';
import { deliveryJob } from './resources/messages/delivery.js';
import { replyAsCustomer } from './resources/messages/inbound.service.js';
import { scheduleJob } from './resources/schedules/due.js';
import { findApiKey, findSecret } from './resources/team/store.js';
import { recoverRewrites } from './mock/rewrite/service.js';
import type { Rewrite } from './mock/rewrite/marker.js';
import { teamGate } from './db/team-gate.js';

export interface BuildOptions {
  /** Real time (credentials, rate limits, and every team clock that is not moved). */
  wall?: Wall;
  /** How each team's clock starts (tests freeze them at a fixed instant). */
  clockStart?: ClockStart;
  ids?: IdSource;
  /** Where log lines go (default stdout); tests read them. */
  logStream?: { write(line: string): void };
  /** false: planned work (auto delivery) waits for the runner's tick or runDue instead of running right after its commit. */
  wakeRunner?: boolean;
  /** How often the due-work runner ticks (ms); tests that drive the clock can set it high. */
  tickMs?: number;
  /** Called on the new instance before anything is registered on it (tests install response checks). */
  configure?: (app: FastifyInstance) => void;
  /** Told of every answer that failed its response schema (sent as built anyway); tests fail on it. */
  onSerializeFailure?: (failure: SerializeFailure) => void;
  /** An already open database (tests that restart the app on one file pass a path in config instead). */
  db?: Db;
}

/** What start-up found and did, for the banner (src/main.ts). */
export interface StartupReport {
  /** Every stored team once the seed is applied, by id. */
  teams: StartupTeam[];
  /** Whole-team operations a crash had cut short, undone before the seed was applied (decision R7). */
  recovered: Rewrite[];
}

declare module 'fastify' {
  interface FastifyInstance {
    startup: StartupReport;
    /**
     * Graceful stop, before close(): stops accepting, answers new requests 503, and waits at most
     * `ms` for the requests in flight. True when every one finished.
     */
    drain(ms: number): Promise<boolean>;
  }
}

/** How often Node looks for requests past their timeouts: a fraction of the shortest one, at most once a second. */
const checkEvery = (config: Config) => Math.max(10, Math.min(1000, Math.floor(config.headersTimeoutMs / 4)));

/** Builds the whole app without listening (tests use this; src/main.ts listens). */
export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const clock = new Clocks(opts.wall ?? Date.now, opts.clockStart);
  const ids = opts.ids ?? (config.idSeed !== undefined ? new SeededIds(config.idSeed) : new RandomIds());
  // Read and check the seed before opening the database, so a bad seed leaks no handle.
  const file = config.seed ? readSeedFile(config.seed) : undefined;
  const seed = seedTeams(config, file);
  const db = opts.db ?? openDb(config.db);
  let teams: StartupTeam[];
  let recovered: Rewrite[];
  try {
    // Whole-team operations a crash cut short are finished or undone before anything else (decision R7).
    recovered = recoverRewrites(db, seed, clock, ids);
    const outcomes = applySeed(db, seed, clock, ids);
    teams = startupTeams(db, seed, outcomes, new Set(file?.teams.map((t) => t.id)));
  } catch (e) {
    if (!opts.db) db.$client.close();
    throw e;
  }

  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, ...(opts.logStream ? { stream: opts.logStream } : {}) },
    bodyLimit: config.bodyLimit,
    // Request ids are not entity ids: they never consume the (seedable) id stream.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Slow or idle clients cannot hold connections (decision S6): the parts of a request must
    // arrive in time, an idle keep-alive connection closes, and connections are capped.
    http: { requestTimeout: config.requestTimeoutMs, headersTimeout: config.headersTimeoutMs, connectionsCheckingInterval: checkEvery(config) },
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    // Stopping is drain() (answers with the mock's own 503), then close() ends what is left.
    return503OnClosing: false,
    clientErrorHandler,
    forceCloseConnections: true,
    // Per-request log lines only at debug/trace: a busy test suite would drown the output.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
  }).withTypeProvider<ZodTypeProvider>();
  app.server.maxConnections = config.maxConnections;
  const drain = new Drain(app.server);

  opts.configure?.(app);
  const runner = new DueRunner(clock, (err, where) => app.log.error({ err, where }, 'due work failed'));
  runner.pauseWhile((teamId) => teamGate(db).holds(teamId));
  const closing = new AbortController();
  const ctx: AppContext = { config, db, clock, ids, runner, closing: closing.signal };
  setEffectErrorHandler(db, (err) => app.log.error({ err }, 'after-commit effect failed'));
  runner.add(scheduleJob(ctx, (err, where) => app.log.error({ err, where }, 'scheduled send failed')));
  runner.add(deliveryJob(ctx, (teamId, m, reply) => replyAsCustomer(ctx, teamId, m, reply)));
  // Webhook deliveries (src/mock/webhooks/engine.ts): attempts after the commit, off the request path.
  const webhooks = new WebhookEngine(db, clock, {
    timeoutMs: config.webhookTimeoutMs,
    concurrency: config.webhookConcurrency,
    userAgent: `heymarket-mock/${packageVersion()}`,
    autoStart: opts.wakeRunner !== false,
    onError: (err, where) => app.log.error({ err, where }, 'webhook delivery failed'),
  });
  runner.add(webhooks.job());
  setRecording(db, {
    logMax: config.logMax,
    delivery: config.delivery,
    // A running server takes planned steps (auto delivery, magic replies) right after the commit;
    // tests run due work themselves.
    ...(opts.wakeRunner === false ? {} : { wake: (teamId: number) => setImmediate(() => void runner.runDue(teamId).catch((err) => app.log.error({ err }, 'due work failed'))) }),
  });
  app.decorate('mock', ctx);
  app.decorate('webhooks', webhooks);
  app.decorate('startup', { teams, recovered });
  for (const r of recovered) {
    app.log.warn({ team: r.team, kind: r.kind }, r.kind === 'restore' ? 'a snapshot restore was cut short by a crash: the team is back to its starting state' : `a team ${r.kind} was cut short by a crash and has been completed or undone`);
  }
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(safeSerializerCompiler(app.log, opts.onSerializeFailure));
  registerJsonBody(app);
  registerErrorHandling(app);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  // Before any route's own hooks (authentication included): stopping, Host, Origin, duplicate credentials.
  drain.register(app);
  registerGuards(app, { host: config.host, allowedHosts: config.allowedHosts });
  app.decorate('drain', async (ms: number) => {
    closing.abort(); // held long-polls and fault delays answer now, not at the end of the drain
    return drain.drain(app.server, ms);
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
  // Runs due work (scheduled messages, ...) by each team's clock: started once the app is ready,
  // stopped (and its run in progress awaited) before the database closes.
  app.addHook('onReady', async () => runner.start(opts.tickMs ?? 1000));
  // Held long-polls answer before the server waits for in-flight requests to finish.
  app.addHook('preClose', async () => closing.abort());
  // No webhook attempt starts once shutdown begins; those in flight get a bounded time to end.
  app.addHook('preClose', async () => webhooks.stop());
  app.addHook('onClose', async () => {
    // A batch still being written (its client may have hung up, so the drain did not wait for it) ends first.
    await slicesSettled(db, config.drainMs);
    await webhooks.close(config.webhookTimeoutMs);
    await runner.stop();
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
    ...openApiTransforms(),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const auth = new Authenticator(
    {
      apiKeyTeam: (key) => findApiKey(db, key)?.teamId,
      secret: (secretId) => findSecret(db, secretId),
    },
    { jwtSkewSeconds: config.jwtSkewSeconds, lenientAuth: config.lenientAuth, realNow: () => clock.real() },
    new AuthFailures(config.authFailLimit, () => clock.real()),
  );
  // A team written whole (src/mock/rewrite) may have new credentials: cached JWTs are checked again.
  teamGate(db).onRelease(() => auth.reset());
  // Attempts a held team could not start begin once it is released (the next turn: it is still held here).
  if (opts.wakeRunner !== false) teamGate(db).onRelease(() => setImmediate(() => webhooks.pump()));
  const limiter = new RateLimiter(config.rateLimit, () => clock.real());
  const faults = new FaultRules();
  await registerMock(app, { seed, auth, limiter, faults, webhooks, started: clock.real() });
  await app.register(async (api) => {
    requireAuth(api, auth, limiter, teamGate(db));
    // After authentication and the rate limit, before the body is read or any handler runs.
    registerFaultHook(api, faults, closing.signal);
    await registerResources(api);
  });
  await app.ready();
  return app;
}
