import { isIP } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, badData } from '../core/errors.js';

// Checks every request goes through before routing: one Authorization header, a Host this mock
// answers to (DNS rebinding), and no foreign web page on the control plane (decisions S1–S3).

/** Names a browser on this machine or a container network can reach the mock by, without a DNS record an attacker controls. */
const CONTAINER_HOSTS = new Set(['host.docker.internal', 'host.containers.internal', 'gateway.docker.internal']);

export interface GuardSettings {
  /** The configured listen address (HOST). */
  host: string;
  /** HEYMARKET_MOCK_ALLOWED_HOSTS: exact names, `.suffix` for a domain and its subdomains, or `*`. */
  allowedHosts: readonly string[];
}

/** The host name of a Host header (or an Origin's host), lower case, without port or IPv6 brackets. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon === -1 || h.indexOf(':') !== colon ? h : h.slice(0, colon);
}

/**
 * Whether a request addressed to `name` can be answered. A DNS-rebinding page reaches the mock
 * under a name its owner's DNS resolves: loopback names, IP literals, single-label names (a
 * compose service such as `heymarket-mock`) and the container-host names cannot be such a name.
 */
export function hostAllowed(name: string, settings: GuardSettings): boolean {
  if (settings.allowedHosts.includes('*')) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) !== 0) return true;
  if (!name.includes('.')) return true;
  if (CONTAINER_HOSTS.has(name) || name === settings.host.toLowerCase()) return true;
  return settings.allowedHosts.some((a) => (a.startsWith('.') ? name === a.slice(1) || name.endsWith(a) : name === a));
}

/** How many times a header occurs in the request as sent (Node keeps only the first Authorization). */
function headerCount(request: FastifyRequest, name: string): number {
  const raw = request.raw.rawHeaders;
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) n++;
  return n;
}

/** The control plane, minus the health check (probes and load balancers may send any Origin). */
const isControlPlane = (url: string) => url.startsWith('/__mock') && !url.startsWith('/__mock/health');

/** Registers the checks on the root instance: they run on every route, before authentication. */
export function registerGuards(app: FastifyInstance, settings: GuardSettings) {
  app.addHook('onRequest', async (request) => {
    const host = request.headers.host;
    // HTTP/1.0 may omit Host: nothing names the mock then, so nothing can be rebound.
    if (host !== undefined && !hostAllowed(hostName(host), settings)) {
      throw new ApiError(
        403,
        'denied',
        `Host '${host}' is not a name this mock answers to (DNS rebinding protection); allowed: localhost, IP addresses, single-label names, HOST and HEYMARKET_MOCK_ALLOWED_HOSTS (add the name there, or '*' for any)`,
      ).coded('host_not_allowed');
    }
    if (headerCount(request, 'authorization') > 1) {
      throw badData(undefined, 'more than one Authorization header: send exactly one', 'duplicate_authorization');
    }
    const origin = request.headers.origin;
    if (origin !== undefined && isControlPlane(request.url) && !sameOrigin(origin, host)) {
      throw new ApiError(
        403,
        'denied',
        `the control plane refuses requests from web pages of another origin (Origin: ${origin}); call it from a test or a tool, which sends no Origin header`,
      ).coded('cross_origin_refused');
    }
  });
}

/** An Origin is the mock's own when it names the host the request was sent to (its /docs page). */
function sameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === new URL(`${url.protocol}//${host}`).host;
  } catch {
    return false; // "null" (sandboxed frames, file: pages) and anything unparsable
  }
}
