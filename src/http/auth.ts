import type { FastifyInstance, FastifyRequest } from 'fastify';
import { compactVerify, decodeJwt, decodeProtectedHeader, errors as joseErrors } from 'jose';
import { ApiError, unauthorized } from '../core/errors.js';
import type { AuthFailures } from './auth-failures.js';
import type { RateLimiter } from './rate-limit.js';

/** Tokens live this long after `iat` (doc: authentication). */
export const TOKEN_LIFETIME_S = 300;
const CACHE_MAX = 10_000;

/** How auth finds credentials: injected by app.ts, so HTTP knows no resource stores. */
export interface CredentialLookups {
  /** The team of a legacy API key, or undefined. */
  apiKeyTeam(key: string): number | undefined;
  /** The API Secret with this Secret ID, or undefined. */
  secret(secretId: string): { teamId: number; secretId: string; secretKey: string } | undefined;
}

export interface AuthSettings {
  jwtSkewSeconds: number;
  lenientAuth: boolean;
  /** Real time in ms: token windows never follow a team's moved clock. */
  realNow: () => number;
}

interface Verified {
  teamId: number;
  iat: number;
  /** The token's own `exp` (Unix s), when it has one. */
  exp: number | undefined;
}

/**
 * Authenticates every request of the encapsulated API scope and sets request.teamId.
 * Verified JWTs are cached by token string, so a hot client pays one HMAC per token, not per
 * request; the time window (iat + 300 s, and `exp` when present) is still checked on every use.
 * `reset()` drops the cache when credentials change (POST /__mock/reset).
 */
export class Authenticator {
  private cache = new Map<string, Verified>();
  private encoder = new TextEncoder();

  constructor(
    private readonly lookups: CredentialLookups,
    private readonly settings: AuthSettings,
    /** Counts refused credentials per client address (429 past the limit); absent: no limit. */
    private readonly failures?: AuthFailures,
  ) {}

  reset() {
    this.cache.clear();
  }

  /** The team of the request's credentials; a 401 otherwise (a 429 once its address failed too often). */
  async authenticate(request: FastifyRequest): Promise<number> {
    try {
      return await this.check(request);
    } catch (e) {
      if (this.failures && e instanceof ApiError && e.statusCode === 401) throw this.failures.failed(request.ip, e);
      throw e;
    }
  }

  private async check(request: FastifyRequest): Promise<number> {
    const header = request.headers.authorization;
    if (!header) {
      throw unauthorized("missing Authorization header: send 'Authorization: Bearer <JWT>' (or the legacy team API key)", 'missing_credentials');
    }
    const [scheme, ...rest] = header.trim().split(/\s+/);
    const value = rest.join(' ');
    if (/^basic$/i.test(scheme ?? '')) return this.basic(value);
    if (!/^bearer$/i.test(scheme ?? '') || !value) {
      throw unauthorized("Authorization must be 'Bearer <JWT>', 'Bearer <team API key>' or Basic with the API key as user name", 'missing_credentials');
    }
    // Gap G5: a token with exactly two dots is a JWT, anything else a legacy team API key.
    if (value.split('.').length === 3) return this.jwt(value);
    const teamId = this.lookups.apiKeyTeam(value);
    if (teamId === undefined) throw unauthorized('unknown team API key', 'invalid_api_key');
    return teamId;
  }

  private basic(encoded: string): number {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon === -1 ? decoded : decoded.slice(0, colon);
    const teamId = user ? this.lookups.apiKeyTeam(user) : undefined;
    if (teamId === undefined) throw unauthorized(user ? 'Basic auth: unknown team API key (the user name is the team API key, the password empty)' : 'Basic auth: the user name must be the team API key (with an empty password)', 'invalid_api_key');
    return teamId;
  }

  /** Real time against the token's window: `exp` when present, and always iat + 300 s. */
  private checkWindow({ iat, exp }: Pick<Verified, 'iat' | 'exp'>) {
    const nowMs = this.settings.realNow();
    // RFC 7519 §4.1.4: not accepted on or after exp. exp may be fractional, so compare in ms.
    if (exp !== undefined && nowMs >= exp * 1000) {
      const ago = Math.floor((nowMs - exp * 1000) / 1000);
      throw unauthorized(`token expired ${ago} s ago: its exp (${new Date(exp * 1000).toISOString()}) has passed; mint a new one per request`, 'token_expired');
    }
    const nowS = Math.floor(nowMs / 1000);
    const age = nowS - iat;
    if (age > TOKEN_LIFETIME_S) {
      throw unauthorized(`token expired ${age - TOKEN_LIFETIME_S} s ago (tokens live ${TOKEN_LIFETIME_S} s after iat; mint a new one per request)`, 'token_expired');
    }
    if (-age > this.settings.jwtSkewSeconds) {
      throw unauthorized(`iat is ${-age} s in the future (allowed clock skew is ${this.settings.jwtSkewSeconds} s); iat must be Unix time in seconds`, 'invalid_token');
    }
  }

  private async jwt(token: string): Promise<number> {
    const hit = this.cache.get(token);
    if (hit) {
      this.checkWindow(hit);
      return hit.teamId;
    }
    let alg: string | undefined;
    let claims: Record<string, unknown>;
    try {
      alg = decodeProtectedHeader(token).alg;
      claims = decodeJwt(token);
    } catch {
      throw unauthorized('Bearer token looks like a JWT but cannot be decoded (expected base64url header.payload.signature)', 'invalid_token');
    }
    if (alg !== 'HS256') throw unauthorized(`alg must be HS256 (got ${alg ?? 'none'})`, 'invalid_token');
    const { iss, iat, exp } = claims;
    if (typeof iss !== 'string' || !iss) throw unauthorized('JWT payload needs iss = your API Secret ID', 'invalid_token');
    if (typeof iat !== 'number' || !Number.isInteger(iat)) {
      throw unauthorized('JWT payload needs iat = current Unix time in whole seconds', 'invalid_token');
    }
    if (iat > 1e11) throw unauthorized('iat looks like milliseconds; it must be Unix time in seconds', 'invalid_token');
    if (exp !== undefined && (typeof exp !== 'number' || !Number.isFinite(exp))) {
      throw unauthorized('exp, when present, must be a number: Unix time in seconds', 'invalid_token');
    }
    if (exp !== undefined && exp > 1e11) throw unauthorized('exp looks like milliseconds; it must be Unix time in seconds', 'invalid_token');
    const secret = this.lookups.secret(iss);
    if (!secret) throw unauthorized(`unknown iss: no API Secret with ID ${iss}`, 'invalid_token');
    const proper = this.encoder.encode(`${secret.secretId}||${secret.secretKey}`);
    if (!(await this.signedWith(token, proper))) {
      const keyOnly = await this.signedWith(token, this.encoder.encode(secret.secretKey));
      if (!keyOnly) throw unauthorized('signature does not match: the signing key is SECRET_ID||SECRET_KEY (two pipe characters)', 'invalid_token');
      if (!this.settings.lenientAuth) {
        throw unauthorized(
          'signature does not match: this token was signed with the Secret Key alone, but the signing key is SECRET_ID||SECRET_KEY (set HEYMARKET_MOCK_LENIENT_AUTH=true to accept it)',
          'invalid_token',
        );
      }
    }
    const verified: Verified = { teamId: secret.teamId, iat, exp };
    this.checkWindow(verified);
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(token, verified);
    return secret.teamId;
  }

  private async signedWith(token: string, key: Uint8Array): Promise<boolean> {
    try {
      await compactVerify(token, key, { algorithms: ['HS256'] });
      return true;
    } catch (e) {
      if (e instanceof joseErrors.JWSSignatureVerificationFailed) return false;
      throw unauthorized(`JWT cannot be verified: ${(e as Error).message}`, 'invalid_token');
    }
  }
}

/** Adds the auth and rate-limit hook to one encapsulated scope (the public API routes, not /__mock). */
export function requireAuth(app: FastifyInstance, auth: Authenticator, limiter: RateLimiter, gate: Gate) {
  app.decorateRequest('teamId', 0);
  app.addHook('onRequest', async (request, reply) => {
    request.teamId = await authenticatePastGate(auth, gate, request);
    limiter.hit(request.teamId, reply);
  });
}

/**
 * Authenticates, waiting while the team is being written whole (src/db/team-gate.ts), then
 * authenticates again: the operation may have changed or removed the team's credentials. A request
 * refused while some team is written whole is retried once that has ended, as its credentials may
 * be those the operation was writing (a full reset).
 */
/** The team gate (src/db/team-gate.ts), as authentication needs it. */
export interface Gate {
  pass(teamId: number): Promise<void> | undefined;
  quiet(): Promise<void> | undefined;
}

export async function authenticatePastGate(auth: Authenticator, gate: Gate, request: FastifyRequest): Promise<number> {
  let teamId: number;
  try {
    teamId = await auth.authenticate(request);
  } catch (err) {
    const quiet = gate.quiet();
    if (!quiet) throw err;
    await quiet;
    return auth.authenticate(request);
  }
  const held = gate.pass(teamId);
  if (!held) return teamId;
  await held;
  return auth.authenticate(request);
}
