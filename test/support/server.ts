import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { envNames } from '../../src/config.js';

// The real server (src/main.ts under tsx) as a child process, for the crash and event-loop tests.

/** The default team's legacy API key, as an Authorization header value. */
export const API_KEY = 'Bearer heymarket-mock-api-key';

const ROOT = resolve(import.meta.dirname, '../..');
const START_MS = 60_000;

export interface Server {
  proc: ChildProcess;
  url: string;
  exited: Promise<void>;
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.values(envNames)) delete env[name];
  return { ...env, ...extra };
}

/** Starts the real CLI on `db` (a file path), listening on 127.0.0.1 port 0; resolves once it listens. */
export async function startServer(db: string, extraEnv: Record<string, string> = {}): Promise<Server> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: cleanEnv({ PORT: '0', HOST: '127.0.0.1', HEYMARKET_MOCK_DB: db, HEYMARKET_MOCK_RATE_LIMIT: '0', LOG_LEVEL: 'warn', ...extraEnv }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<void>((res) => proc.once('close', () => res()));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start within ${START_MS} ms\n${out}\n${err}`)), START_MS);
    proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]!);
      }
    });
    void exited.then(() => rej(new Error(`server exited before listening\n${out}\n${err}`)));
  });
  return { proc, url, exited };
}

