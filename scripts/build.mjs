// `npm run build` (always) and `npm start` (only when needed): compiles src/ into dist/ with tsc.
//
// Plain JavaScript, not TypeScript, so `npm start` can decide in a few milliseconds whether a
// build is needed, without loading tsc or tsx. The migrations are not part of dist/: the server
// reads them from migrations/ at start-up, so a changed migration needs no build.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Everything the contents of dist/ depend on (package.json: its "type" decides the module format). */
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
/** Written after a successful build, with the time the build started. */
const STAMP = join('dist', '.build-stamp');

/** The newest modification under `path` (a folder counts too: deleting or renaming a file changes it). */
function newest(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return undefined;
  let best = { path, mtimeMs: st.mtimeMs };
  if (st.isDirectory()) {
    for (const name of readdirSync(path)) {
      const inner = newest(join(path, name));
      if (inner && inner.mtimeMs > best.mtimeMs) best = inner;
    }
  }
  return best;
}

/**
 * Why dist/ must be (re)built, or undefined when it is up to date. A copy without src/ (such as
 * the Docker image) never builds: it runs the dist/ it was given.
 */
export function buildReason(root = ROOT) {
  if (!existsSync(join(root, 'src'))) return undefined;
  const stamp = statSync(join(root, STAMP), { throwIfNoEntry: false });
  if (!stamp) return 'dist/ has not been built yet';
  for (const input of INPUTS) {
    const n = newest(join(root, input));
    if (n && n.mtimeMs > stamp.mtimeMs) return `${relative(root, n.path) || input} changed since the last build`;
  }
  return undefined;
}

/**
 * Builds dist/ from scratch (so files of deleted sources do not linger) and stamps it.
 * SIGINT and SIGTERM received meanwhile are passed to tsc. Resolves true when tsc succeeded.
 */
export async function build(root = ROOT) {
  let tsc;
  try {
    tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    process.stderr.write('heymarket-mock: cannot build dist/: typescript is not installed (run `npm ci` with dev dependencies)\n');
    return false;
  }
  const started = new Date();
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const { code, signal } = await new Promise((resolve) => child.once('close', (c, s) => resolve({ code: c, signal: s })));
  process.off('SIGINT', forward);
  process.off('SIGTERM', forward);
  if (code !== 0) {
    process.stderr.write(`heymarket-mock: build failed (tsc ${signal ? `stopped by ${signal}` : `exited with ${code}`})\n`);
    return false;
  }
  const stamp = join(root, STAMP);
  writeFileSync(stamp, `built from sources as of ${started.toISOString()}\n`);
  // The stamp carries the start time: a source saved while tsc ran still counts as newer.
  utimesSync(stamp, started, started);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exit((await build()) ? 0 : 1);
}
