import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startApp } from './support/app.js';

/** Each "| METHOD | `/path` |" row of docs/coverage.md, with {param} turned into fastify's :param. */
function documented(): Array<{ method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string }> {
  const text = readFileSync(new URL('../docs/coverage.md', import.meta.url), 'utf8');
  return [...text.matchAll(/^\| (GET|POST|PUT|DELETE) \| `(\/v[12]\/[^`]+)` \|/gm)].map((m) => ({
    method: m[1] as 'GET',
    url: m[2]!.replace(/\{(\w+)\}/g, ':$1'),
  }));
}

describe('endpoint coverage', () => {
  it('lists all 66 documented endpoints', () => {
    expect(documented()).toHaveLength(66);
  });

  it('serves every documented endpoint', async () => {
    const t = await startApp();
    const missing = documented().filter((e) => !t.app.hasRoute(e));
    expect(missing).toEqual([]);
  });
});
