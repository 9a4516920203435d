import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killAll, listeningUrl, spawnMain, type Child } from './support/server.js';

// Drives the real CLI (src/main.ts under tsx) as a child process: flags, banner, signals, and
// persistence of acknowledged writes across a restart on the same database file.

const API_KEY = 'heymarket-mock-api-key';
// Generous: a cold tsx start takes ~1 s idle but several seconds on a loaded 2-core CI machine.
const WAIT_MS = 30_000;

const children: Child[] = [];
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hm-main-'));
});

afterEach(async () => {
  await killAll(children);
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string> = {}): Child {
  const child = spawnMain(args, env);
  children.push(child);
  return child;
}

/** Resolves with the exit status, or fails after `ms` instead of hanging the suite. */
async function exitOf(c: Child, ms = WAIT_MS) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(new Error(`process did not exit within ${ms} ms\nstdout: ${c.stdout()}\nstderr: ${c.stderr()}`)), ms);
  });
  try {
    return await Promise.race([c.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const bannerLine = (c: Child) => c.stdout().split('\n').find((l) => l.startsWith('heymarket-mock listening on '));

/** Waits (at most WAIT_MS) for the start-up banner, then checks that GET /__mock/health at the URL it names answers 200; returns that URL. */
async function ready(c: Child): Promise<string> {
  const url = await listeningUrl(c, WAIT_MS);
  // The banner is printed once the server listens, so the first request must be answered.
  const res = await fetch(`${url}/__mock/health`, { signal: AbortSignal.timeout(5000) });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
  return url;
}

const b64url = (s: string) => Buffer.from(s).toString('base64url');

/** The README recipe: HS256 over header.payload with the key SECRET_ID||SECRET_KEY. */
function mintJwt(secretId: string, secretKey: string): string {
  const input = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify({ iss: secretId, iat: Math.floor(Date.now() / 1000) }))}`;
  return `${input}.${createHmac('sha256', `${secretId}||${secretKey}`).update(input).digest('base64url')}`;
}

async function post(url: string, auth: string, body: unknown) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

describe('CLI (src/main.ts)', () => {
  it('serves on the port its banner names, stops cleanly on SIGTERM, and keeps acknowledged writes across a restart', async () => {
    const db = join(dir, 'nested', 'mock.sqlite');
    // The flag wins over the (invalid) environment variable. --port 0: the server picks a free
    // port and the banner reports the real one (no port picked here that another process could take).
    const first = run(['--port', '0', '--host', '127.0.0.1', '--db', db], { PORT: 'not-a-port', LOG_LEVEL: 'warn' });
    const url = await ready(first);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);

    const line = bannerLine(first)!;
    expect(line).toContain('API Secret ID 74f80a77-9b3f-44ac-b3ad-ab68cfb548fa');
    expect(line).toContain('API Secret Key cPQku7lnSLbnK88UFOBg1a6Q3t1w1RgK');
    expect(line).toContain(`API key ${API_KEY}`);
    expect(line).toContain('signed with "74f80a77-9b3f-44ac-b3ad-ab68cfb548fa||cPQku7lnSLbnK88UFOBg1a6Q3t1w1RgK"');
    expect(first.stdout().split('\n').filter((l) => l.startsWith('heymarket-mock'))).toHaveLength(1);
    expect(first.stdout()).toContain('\n  team 1 "Heymarket Mock Team" (default team, created now): inboxes 10 "Support" (sms 14155550100), ');

    const created = await post(`${url}/v1/tag`, `Bearer ${API_KEY}`, { tag: 'VIP' });
    expect(created.status, JSON.stringify(created.body)).toBe(200);

    first.proc.kill('SIGTERM');
    expect(await exitOf(first)).toEqual({ code: 0, signal: null });

    // Restart on the same file, again on any free port.
    const second = run(['--port', '0', '--host', '127.0.0.1', '--db', db, '--log-level', 'warn']);
    const url2 = await ready(second);
    expect(second.stdout()).toContain('\n  team 1 "Heymarket Mock Team" (default team): inboxes 10 "Support"');
    expect(url2).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    const jwt = mintJwt('74f80a77-9b3f-44ac-b3ad-ab68cfb548fa', 'cPQku7lnSLbnK88UFOBg1a6Q3t1w1RgK');
    const list = await post(`${url2}/v1/tags`, `Bearer ${jwt}`, {});
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect((list.body as Array<{ tag: string }>).map((t) => t.tag)).toEqual(['VIP']);

    second.proc.kill('SIGINT');
    expect(await exitOf(second)).toEqual({ code: 0, signal: null });
  }, 120_000);

  it('keeps an acknowledged write when the process is killed without a chance to close', async () => {
    const db = join(dir, 'mock.sqlite');
    const first = run(['--port', '0', '--host', '127.0.0.1', '--db', db, '--log-level', 'warn']);
    const url = await ready(first);
    expect((await post(`${url}/v1/tag`, `Bearer ${API_KEY}`, { tag: 'Gold' })).status).toBe(200);
    first.proc.kill('SIGKILL');
    expect(await exitOf(first)).toEqual({ code: null, signal: 'SIGKILL' });

    const second = run(['--port', '0', '--host', '127.0.0.1', '--db', db, '--log-level', 'warn']);
    const list = await post(`${await ready(second)}/v1/tags`, `Bearer ${API_KEY}`, {});
    expect((list.body as Array<{ tag: string }>).map((t) => t.tag)).toEqual(['Gold']);
  }, 120_000);

  it('uses credentials given by flags', async () => {
    const c = run(['--port', '0', '--host', '127.0.0.1', '--db', ':memory:', '--log-level', 'silent', '--secret-id', 'my-id', '--secret-key', 'my-key', '--api-key', 'my-api-key']);
    const url = await ready(c);
    expect(bannerLine(c)).toContain('signed with "my-id||my-key"');
    expect((await post(`${url}/v1/tags`, 'Bearer my-api-key', {})).status).toBe(200);
    expect((await post(`${url}/v1/tags`, `Bearer ${mintJwt('my-id', 'my-key')}`, {})).status).toBe(200);
    expect((await post(`${url}/v1/tags`, `Bearer ${API_KEY}`, {})).status).toBe(401);
  }, 60_000);

  it('--help prints every flag and exits 0', async () => {
    const c = run(['--help']);
    expect(await exitOf(c)).toEqual({ code: 0, signal: null });
    for (const flag of ['--port', '--host', '--db', '--secret-id', '--secret-key', '--api-key', '--seed', '--log-level', '--help']) {
      expect(c.stdout()).toContain(flag);
    }
    expect(c.stdout()).toContain('HEYMARKET_MOCK_DB');
  }, 45_000);

  it('an invalid --port exits 2 naming PORT', async () => {
    const c = run(['--port', 'abc']);
    expect(await exitOf(c)).toEqual({ code: 2, signal: null });
    expect(c.stderr()).toMatch(/invalid configuration[\s\S]*PORT/);
    expect(c.stdout()).not.toContain('listening');
  }, 45_000);

  it('an unknown flag exits 2', async () => {
    const c = run(['--bogus']);
    expect(await exitOf(c)).toEqual({ code: 2, signal: null });
    expect(c.stderr()).toContain("unknown option '--bogus'");
  }, 45_000);

  it('an invalid seed file exits 2 naming the problem', async () => {
    const seed = join(dir, 'seed.json');
    writeFileSync(seed, JSON.stringify({ teams: [{ id: 2, name: 'Two', members: [] }] }));
    const c = run(['--seed', seed, '--db', ':memory:'], { HOST: '127.0.0.1', PORT: '0' });
    expect(await exitOf(c)).toEqual({ code: 2, signal: null });
    expect(c.stderr()).toContain('teams.0.members');
  }, 45_000);
});
