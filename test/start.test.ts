import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envNames } from '../src/config.js';

// `npm start` as a developer runs it: builds dist/ only when sources changed (scripts/start.mjs),
// prints the banner, and a SIGTERM to the npm process stops the server itself, not only npm.

const ROOT = resolve(import.meta.dirname, '..');
/** A start that has to build dist/ first runs tsc: seconds when idle, up to a minute on a loaded CI machine. */
const BANNER_MS = 150_000;
const EXIT_MS = 20_000;

interface Run {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let dir: string;
const runs: Run[] = [];
const stray: number[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hm-start-'));
});
afterEach(async () => {
  for (const r of runs.splice(0)) if (r.proc.exitCode === null && r.proc.signalCode === null) r.proc.kill('SIGKILL');
  // A server that outlived npm (the bug this file guards against) is ended by its own pid.
  for (const pid of stray.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function npmStart(): Run {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.values(envNames)) delete env[name];
  Object.assign(env, { PORT: '0', HOST: '127.0.0.1', HEYMARKET_MOCK_DB: join(dir, 'mock.sqlite'), LOG_LEVEL: 'warn' });
  const proc = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => proc.once('exit', (code, signal) => res({ code, signal })));
  const run = { proc, stdout: () => out, stderr: () => err, exited };
  runs.push(run);
  return run;
}

/** Polls `check` every 50 ms until it returns a value, or fails after `ms` with `what`. */
async function until<T>(ms: number, what: () => string, check: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const describeRun = (r: Run) => `\nstdout: ${r.stdout()}\nstderr: ${r.stderr()}`;

function bannerUrl(r: Run): Promise<string> {
  return until(BANNER_MS, () => `no banner${describeRun(r)}`, () => {
    if (r.proc.exitCode !== null) throw new Error(`npm start exited with ${r.proc.exitCode}${describeRun(r)}`);
    return r.stdout().match(/heymarket-mock listening on (http:\/\/127\.0\.0\.1:\d+)/)?.[1];
  });
}

/** Direct children of `pid`, read from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((res) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), res(true)));
    socket.once('error', () => res(false));
    socket.once('timeout', () => (socket.destroy(), res(false)));
  });
}

describe.skipIf(process.platform !== 'linux')('npm start (real process)', () => {
  it('serves, and SIGTERM to npm stops the server and closes the port; a second start does not rebuild', async () => {
    const first = npmStart();
    const url = await bannerUrl(first);
    const port = Number(new URL(url).port);

    // `exec` in the start script: npm's only child is the server itself, with no shell between.
    const [server, ...others] = childrenOf(first.proc.pid!);
    expect(others).toEqual([]);
    stray.push(server!);
    expect(readFileSync(`/proc/${server}/cmdline`, 'utf8').split('\0')).toContain('scripts/start.mjs');

    const health = await fetch(`${url}/__mock/health`, { signal: AbortSignal.timeout(5000) });
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    first.proc.kill('SIGTERM');
    const exit = await until(EXIT_MS, () => `npm did not exit${describeRun(first)}`, async () => (first.proc.exitCode !== null || first.proc.signalCode !== null ? first.exited : undefined));
    expect(exit).toEqual({ code: 0, signal: null });
    await until(EXIT_MS, () => `server ${server} still running after npm exited`, () => (alive(server!) ? undefined : true));
    expect(await portOpen(port)).toBe(false);
    expect(first.stderr()).not.toMatch(/second SIGTERM|error while closing/);

    // dist/ is now up to date: the next start goes straight to the server.
    const second = npmStart();
    const url2 = await bannerUrl(second);
    expect(second.stderr()).not.toContain('building dist/');
    const [server2] = childrenOf(second.proc.pid!);
    stray.push(server2!);
    expect((await fetch(`${url2}/__mock/health`, { signal: AbortSignal.timeout(5000) })).status).toBe(200);
    second.proc.kill('SIGTERM');
    expect(await until(EXIT_MS, () => `npm did not exit${describeRun(second)}`, async () => (second.proc.exitCode !== null || second.proc.signalCode !== null ? second.exited : undefined))).toEqual({ code: 0, signal: null });
    await until(EXIT_MS, () => `server ${server2} still running after npm exited`, () => (alive(server2!) ? undefined : true));
  }, BANNER_MS * 2 + EXIT_MS * 4);
});
