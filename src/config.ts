import { z } from 'zod';
import { wireParse } from './wire/primitives.js';

/** Documented defaults: the doc example API Secret, so the mock works with zero configuration. */
export const DEFAULT_SECRET_ID = '74f80a77-9b3f-44ac-b3ad-ab68cfb548fa';
export const DEFAULT_SECRET_KEY = 'cPQku7lnSLbnK88UFOBg1a6Q3t1w1RgK';
export const DEFAULT_API_KEY = 'heymarket-mock-api-key';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Loopback by default: the mock takes well-known credentials, so it is not for the network unless asked (the image sets 0.0.0.0). */
  host: z.string().min(1).default('127.0.0.1'),
  db: z.string().min(1).default('./data/heymarket-mock.sqlite'),
  secretId: z.string().min(1).default(DEFAULT_SECRET_ID),
  secretKey: z.string().min(1).default(DEFAULT_SECRET_KEY),
  apiKey: z.string().min(1).default(DEFAULT_API_KEY),
  seed: z.string().min(1).optional(),
  logLevel: z.enum(logLevels).default('info'),
  /** Largest accepted request body in bytes; larger bodies get 413. */
  bodyLimit: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  /** Requests per team per minute before 429 (doc: 500); 0 turns the limit off. */
  rateLimit: z.coerce.number().int().min(0).default(500),
  /** Accept JWTs whose `iat` is at most this many seconds in the future (clock skew). */
  jwtSkewSeconds: z.coerce.number().int().min(0).default(60),
  /** auto: each outbound message moves to delivered on its own; manual: it stays sent until a test moves it. */
  delivery: z.enum(['auto', 'manual']).default('auto'),
  /** Most entries per team kept in each control-plane log (outbox, events, webhook deliveries); oldest dropped first. */
  logMax: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Also fire message_sent for messages sent through the public API (Heymarket does not: spec, Webhooks). */
  apiSendEvents: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .transform((v) => v === true || v === 'true' || v === '1')
    .default(false),
  /** How long a webhook receiver has to answer an attempt (ms) before it counts as failed. */
  webhookTimeoutMs: z.coerce.number().int().min(1).max(300_000).default(5000),
  /** Most webhook attempts in flight at once, over all teams and webhooks. */
  webhookConcurrency: z.coerce.number().int().min(1).max(1000).default(16),
  /** When set, admin control routes need `X-Mock-Admin-Token: <token>`. */
  adminToken: z.string().min(1).optional(),
  /** Seed of the entity id source: the same seed gives the same UUIDs for the same writes. */
  idSeed: z.string().min(1).optional(),
  /** Also accept JWTs signed with the Secret Key alone (a common client mistake). Off by default. */
  lenientAuth: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .transform((v) => v === true || v === 'true' || v === '1')
    .default(false),
  /** Longest a client may take to send a whole request (headers and body), ms; then 408 and the connection closes. */
  requestTimeoutMs: z.coerce.number().int().min(1).max(3_600_000).default(30_000),
  /** Longest a connection may take to send a request's headers (also an idle new connection), ms. */
  headersTimeoutMs: z.coerce.number().int().min(1).max(3_600_000).default(10_000),
  /** An idle keep-alive connection is closed after this many ms without a new request. */
  keepAliveTimeoutMs: z.coerce.number().int().min(1).max(3_600_000).default(5_000),
  /** Most open client connections; a connection beyond it is closed at once. */
  maxConnections: z.coerce.number().int().min(1).default(10_000),
  /** On SIGTERM/SIGINT, how long the requests in flight may take to finish before the process closes anyway, ms. */
  drainMs: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Host names (besides loopback names, IP addresses, single-label names and HOST) requests may address; `*` allows any. */
  allowedHosts: z
    .union([z.array(z.string().min(1)), z.string()])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((h) => h.trim().toLowerCase()).filter((h) => h !== ''))
    .default([]),
  /** Failed authentications per client address per minute before 429; 0 turns the limit off. */
  authFailLimit: z.coerce.number().int().min(0).default(100),
}).refine((c) => c.headersTimeoutMs <= c.requestTimeoutMs, {
  path: ['headersTimeoutMs'],
  message: 'must not be larger than HEYMARKET_MOCK_REQUEST_TIMEOUT_MS',
});

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Environment variable for each setting; README documents the same table. */
export const envNames: Record<keyof Config, string> = {
  port: 'PORT',
  host: 'HOST',
  db: 'HEYMARKET_MOCK_DB',
  secretId: 'HEYMARKET_SECRET_ID',
  secretKey: 'HEYMARKET_SECRET_KEY',
  apiKey: 'HEYMARKET_API_KEY',
  seed: 'HEYMARKET_MOCK_SEED',
  logLevel: 'LOG_LEVEL',
  bodyLimit: 'HEYMARKET_MOCK_BODY_LIMIT',
  jwtSkewSeconds: 'HEYMARKET_MOCK_JWT_SKEW_SECONDS',
  rateLimit: 'HEYMARKET_MOCK_RATE_LIMIT',
  lenientAuth: 'HEYMARKET_MOCK_LENIENT_AUTH',
  idSeed: 'HEYMARKET_MOCK_ID_SEED',
  adminToken: 'HEYMARKET_MOCK_ADMIN_TOKEN',
  delivery: 'HEYMARKET_MOCK_DELIVERY',
  logMax: 'HEYMARKET_MOCK_LOG_MAX',
  apiSendEvents: 'HEYMARKET_MOCK_API_SEND_EVENTS',
  webhookTimeoutMs: 'HEYMARKET_MOCK_WEBHOOK_TIMEOUT_MS',
  webhookConcurrency: 'HEYMARKET_MOCK_WEBHOOK_CONCURRENCY',
  requestTimeoutMs: 'HEYMARKET_MOCK_REQUEST_TIMEOUT_MS',
  headersTimeoutMs: 'HEYMARKET_MOCK_HEADERS_TIMEOUT_MS',
  keepAliveTimeoutMs: 'HEYMARKET_MOCK_KEEP_ALIVE_TIMEOUT_MS',
  maxConnections: 'HEYMARKET_MOCK_MAX_CONNECTIONS',
  drainMs: 'HEYMARKET_MOCK_DRAIN_MS',
  allowedHosts: 'HEYMARKET_MOCK_ALLOWED_HOSTS',
  authFailLimit: 'HEYMARKET_MOCK_AUTH_FAIL_LIMIT',
};

/** Reads settings from the environment; `overrides` (CLI flags) win. Throws a readable error. */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(envNames)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) raw[key] = value;
  const parsed = configSchema.safeParse(raw, wireParse);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0]) as keyof Config;
      return `${envNames[key] ?? key}: ${i.message}`;
    });
    throw new Error('invalid configuration:\n  ' + lines.join('\n  '));
  }
  return parsed.data;
}

/** Config for tests and embedding: in-memory database, quiet logs. */
export function testConfig(overrides: ConfigInput = {}): Config {
  return configSchema.parse({ db: ':memory:', logLevel: 'silent', ...overrides }, wireParse);
}
