import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY } from '../../src/config.js';
import { hostAllowed, hostName } from '../../src/http/guards.js';
import { TEAM2, twoTeamSeed } from '../db/fixtures.js';
import { expectApiError, storeSnapshot, startApp, type TestApp } from '../support/app.js';
import { rawRequest, type RawRequest } from '../support/raw-http.js';

// Checks every request passes before any route: exactly one Authorization header (issue #11
// defect 7), a Host the mock answers to, and no foreign web page on the control plane (defect 9).

const port = (t: TestApp) => (t.app.server.address() as AddressInfo).port;
const KEY = `Bearer ${DEFAULT_API_KEY}`;

/** A raw request that must be refused: status, error, error_code, X-Request-Id, and the store unchanged. */
async function refusedRaw(t: TestApp, req: RawRequest, status: number, error: string, errorCode: string) {
  const before = storeSnapshot(t);
  const res = await rawRequest(port(t), req);
  expectApiError({ status: res.status, body: res.json, headers: res.headers }, status, error);
  expect((res.json as { error_code: string }).error_code).toBe(errorCode);
  expect(storeSnapshot(t)).toEqual(before);
  return res;
}

const contact = JSON.stringify({ phone: '14155550100', first: 'Dup' });

describe('more than one Authorization header', () => {
  it('(valid, bogus) and (bogus, valid) are refused with 400 duplicate_authorization before authentication', async () => {
    const t = await startApp();
    for (const pair of [[KEY, 'Bearer bogus'], ['Bearer bogus', KEY], [KEY, KEY]]) {
      const headers: Array<[string, string]> = [['Authorization', pair[0]!], ['authorization', pair[1]!], ['Content-Type', 'application/json']];
      const res = await refusedRaw(t, { method: 'POST', path: '/v1/contact', headers, body: contact }, 400, 'bad_data', 'duplicate_authorization');
      expect((res.json as { message: string }).message).toMatch(/more than one Authorization header/);
    }
    // One header still works over the same raw path.
    const one = await rawRequest(port(t), { method: 'POST', path: '/v1/contact', headers: [['Authorization', KEY], ['Content-Type', 'application/json']], body: contact });
    expect(one.status, one.body).toBe(200);
  });

  it("(team 1 key, team 2 key) acts as neither team; the control plane refuses it too", async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    const headers: Array<[string, string]> = [['Authorization', KEY], ['Authorization', `Bearer ${TEAM2.apiKey}`]];
    await refusedRaw(t, { path: '/v1/inboxes', headers }, 400, 'bad_data', 'duplicate_authorization');
    await refusedRaw(t, { method: 'POST', path: '/__mock/reset', headers }, 400, 'bad_data', 'duplicate_authorization');
    await refusedRaw(t, { path: '/__mock/outbox', headers }, 400, 'bad_data', 'duplicate_authorization');
  });
});

describe('Host check (DNS rebinding)', () => {
  it('answers loopback names, IP addresses, single-label names and the container-host names', async () => {
    const t = await startApp();
    for (const host of ['localhost', 'localhost:8080', 'app.localhost', '127.0.0.1', '[::1]:80', '10.1.2.3:8080', 'heymarket-mock:8080', 'host.docker.internal:8080', 'LOCALHOST']) {
      const res = await rawRequest(port(t), { path: '/v1/inboxes', headers: [['Host', host], ['Authorization', KEY]] });
      expect(res.status, `${host}: ${res.body}`).toBe(200);
    }
  });

  it('refuses a dotted name it was not told about with 403 host_not_allowed, on every route, before anything runs', async () => {
    const t = await startApp();
    for (const [method, path] of [['POST', '/__mock/reset'], ['GET', '/__mock/teams'], ['GET', '/v1/inboxes'], ['GET', '/__mock/health'], ['GET', '/openapi.json']] as const) {
      const res = await refusedRaw(t, { method, path, headers: [['Host', 'rebind.attacker.example:8080'], ['Authorization', KEY]] }, 403, 'denied', 'host_not_allowed');
      expect((res.json as { message: string }).message).toMatch(/HEYMARKET_MOCK_ALLOWED_HOSTS/);
    }
  });

  it('HEYMARKET_MOCK_ALLOWED_HOSTS adds exact names and .domain suffixes; * allows any; HOST is allowed', async () => {
    const t = await startApp({ allowedHosts: 'mock.ci.internal, .test.example', host: 'mock.lan.example' });
    for (const host of ['mock.ci.internal', 'test.example', 'a.b.test.example:9', 'mock.lan.example']) {
      const res = await rawRequest(port(t), { path: '/__mock/health', headers: [['Host', host]] });
      expect(res.status, host).toBe(200);
    }
    for (const host of ['other.ci.internal', 'nottest.example', 'mock.ci.internal.attacker.example']) {
      await refusedRaw(t, { path: '/__mock/health', headers: [['Host', host]] }, 403, 'denied', 'host_not_allowed');
    }
    const any = await startApp({ allowedHosts: '*' });
    expect((await rawRequest(port(any), { path: '/__mock/health', headers: [['Host', 'anything.example']] })).status).toBe(200);
  });

  it('hostName strips ports and IPv6 brackets', () => {
    expect(['a.example:80', '[::1]:8080', '[::1]', '::1', 'LocalHost'].map(hostName)).toEqual(['a.example', '::1', '::1', '::1', 'localhost']);
    expect(hostAllowed('evil.example', { host: '0.0.0.0', allowedHosts: [] })).toBe(false);
  });
});

describe('Origin check on the control plane', () => {
  it('refuses a reset from another web origin (a CORS simple request) with 403 cross_origin_refused; nothing is reset', async () => {
    const t = await startApp();
    const api = await t.http.post('/v1/contact').set('Authorization', KEY).send({ phone: '14155550101' });
    expect(api.status).toBe(200);
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${port(t) + 1}`, 'http://localhost:' + port(t)]) {
      const res = await refusedRaw(
        t,
        { method: 'POST', path: '/__mock/reset', headers: [['Origin', origin], ['Content-Type', 'text/plain']], body: 'x' },
        403,
        'denied',
        'cross_origin_refused',
      );
      expect((res.json as { message: string }).message).toContain(origin);
    }
    for (const path of ['/__mock/teams', '/__mock/info']) {
      await refusedRaw(t, { path, headers: [['Origin', 'https://evil.example']] }, 403, 'denied', 'cross_origin_refused');
    }
    expect(t.sql('SELECT count(*) AS n FROM contacts')).toEqual([{ n: 1 }]);
  });

  it("accepts the mock's own origin (its /docs page), no Origin at all, and any Origin on the health check and the API", async () => {
    const t = await startApp();
    const own = await rawRequest(port(t), { method: 'POST', path: '/__mock/reset', headers: [['Origin', `http://127.0.0.1:${port(t)}`]] });
    expect(own.status, own.body).toBe(200);
    expect((await rawRequest(port(t), { method: 'POST', path: '/__mock/reset' })).status).toBe(200);
    expect((await rawRequest(port(t), { path: '/__mock/health', headers: [['Origin', 'https://status.example']] })).status).toBe(200);
    // The public API needs credentials a page cannot send without a CORS preflight the mock never grants.
    expect((await rawRequest(port(t), { path: '/v1/inboxes', headers: [['Origin', 'https://evil.example'], ['Authorization', KEY]] })).status).toBe(200);
  });

  it('with HEYMARKET_MOCK_ADMIN_TOKEN, an admin reset needs the token even from its own origin', async () => {
    const t = await startApp({ adminToken: 'tok-123' });
    const origin: [string, string] = ['Origin', `http://127.0.0.1:${port(t)}`];
    await refusedRaw(t, { method: 'POST', path: '/__mock/reset', headers: [origin] }, 401, 'unauthorized', 'missing_credentials');
    await refusedRaw(t, { method: 'POST', path: '/__mock/reset', headers: [origin, ['X-Mock-Admin-Token', 'wrong']] }, 401, 'unauthorized', 'unauthorized');
    await refusedRaw(t, { path: '/__mock/teams', headers: [] }, 401, 'unauthorized', 'missing_credentials');
    const ok = await rawRequest(port(t), { method: 'POST', path: '/__mock/reset', headers: [origin, ['X-Mock-Admin-Token', 'tok-123']] });
    expect(ok.status, ok.body).toBe(200);
  });
});
