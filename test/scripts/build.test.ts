import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildReason } from '../../scripts/build.mjs';

// When `npm start` rebuilds dist/: only when an input is newer than the last build's stamp.

let root: string;
const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000);
const touch = (rel: string, s: number) => utimesSync(join(root, rel), at(s), at(s));

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hm-build-'));
  mkdirSync(join(root, 'src', 'http'), { recursive: true });
  for (const f of ['src/main.ts', 'src/http/auth.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json']) writeFileSync(join(root, f), '');
  for (const f of ['src/main.ts', 'src/http/auth.ts', 'src/http', 'src', 'tsconfig.json', 'tsconfig.build.json', 'package.json']) touch(f, 0);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function stamp(s: number) {
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'dist', '.build-stamp'), '');
  touch('dist/.build-stamp', s);
}

describe('buildReason (scripts/build.mjs)', () => {
  it('builds when dist/ was never built, and not when the stamp is newer than every input', () => {
    expect(buildReason(root)).toBe('dist/ has not been built yet');
    stamp(10);
    expect(buildReason(root)).toBeUndefined();
  });

  it('rebuilds when a source, a folder (a file deleted or added) or a config file is newer', () => {
    stamp(10);
    touch('src/http/auth.ts', 11);
    expect(buildReason(root)).toBe('src/http/auth.ts changed since the last build');
    touch('src/http/auth.ts', 0);
    touch('src/http', 12);
    expect(buildReason(root)).toBe('src/http changed since the last build');
    touch('src/http', 0);
    touch('tsconfig.build.json', 12);
    expect(buildReason(root)).toBe('tsconfig.build.json changed since the last build');
  });

  it('never builds a copy without src/ (the Docker image runs the dist/ it was given)', () => {
    rmSync(join(root, 'src'), { recursive: true });
    expect(buildReason(root)).toBeUndefined();
  });
});
