import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { envNames } from '../../src/config.js';

// The real server (src/main.ts under tsx) as a child process, for the CLI, drain, crash,
// two-process and event-loop tests: one way to start it, with the parent's heymarket-mock
// settings removed so a developer's environment cannot change what a test sees.

/** The default team's legacy API key, as an Authorization header value. */
export const API_KEY = 'Bearer heymarket-mock-api-key';

const ROOT = resolve(import.meta.dirname, '../..');
/** Generous: a cold tsx start takes ~1 s idle but several seconds on a loaded 2-core CI machine. */
export const START_MS = 60_000;

export interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The environment of the parent without any heymarket-mock setting, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.values(envNames)) delete env[name];
  return { ...env, ...extra };
}

/** Runs `node --import tsx src/main.ts ...args` from the project root, collecting its output. */
export function spawnMain(args: string[], env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => proc.once('close', (code, signal) => res({ code, signal })));
  return { proc, stdout: () => out, stderr: () => err, exited };
}

const BANNER = /^heymarket-mock listening on (http:\/\/127\.0\.0\.1:[1-9]\d*) /m;

/**
 * The URL of the child's start-up banner, once printed (it is printed once the server listens).
 * Driven by the child's stdout and exit events, no polling; fails when the child exits first or
 * after `ms`.
 */
export function listeningUrl(c: Child, ms = START_MS): Promise<string> {
  return new Promise<string>((res, rej) => {
    const found = () => BANNER.exec(c.stdout())?.[1];
    const done = (err?: Error, value?: string) => {
      clearTimeout(timer);
      c.proc.stdout!.off('data', onData);
      c.proc.off('exit', onExit);
      if (err) rej(err);
      else res(value!);
    };
    // Listeners run after spawnMain's own 'data' listener, so stdout() already holds the new chunk.
    const onData = () => {
      const u = found();
      if (u) done(undefined, u);
    };
    const onExit = (code: number | null) => done(new Error(`server exited with ${code} before its banner\nstdout: ${c.stdout()}\nstderr: ${c.stderr()}`));
    const timer = setTimeout(() => done(new Error(`no banner within ${ms} ms\nstdout: ${c.stdout()}\nstderr: ${c.stderr()}`)), ms);
    c.proc.stdout!.on('data', onData);
    c.proc.once('exit', onExit);
    if (c.proc.exitCode !== null) onExit(c.proc.exitCode);
    else onData();
  });
}

/** SIGKILLs every child still running and waits for it (an afterEach of the tests that spawn). */
export async function killAll(children: Child[]) {
  for (const c of children.splice(0)) {
    if (c.proc.exitCode === null && c.proc.signalCode === null) {
      c.proc.kill('SIGKILL');
      await c.exited;
    }
  }
}

export interface Server extends Child {
  url: string;
}

/** Starts the real CLI on `db` (a file path), listening on 127.0.0.1 port 0; resolves once it listens. */
export async function startServer(db: string, extraEnv: Record<string, string> = {}): Promise<Server> {
  const child = spawnMain([], { PORT: '0', HOST: '127.0.0.1', HEYMARKET_MOCK_DB: db, HEYMARKET_MOCK_RATE_LIMIT: '0', LOG_LEVEL: 'warn', ...extraEnv });
  try {
    return { ...child, url: await listeningUrl(child) };
  } catch (e) {
    child.proc.kill('SIGKILL');
    throw e;
  }
}
