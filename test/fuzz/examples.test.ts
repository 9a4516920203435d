import { describe, expect, it } from 'vitest';
import { EXAMPLES } from './examples.js';
import { fixtureForExamples, routes } from './suite.js';

// Every example the fuzzer varies (examples.ts) is accepted as given, on a fresh fixture store:
// an example that rots into a refusal would quietly turn its route's fuzzing back into
// validation-only fuzzing.

describe('fuzz examples', () => {
  it('name registered routes', async () => {
    const known = new Set((await routes()).map((r) => `${r.method} ${r.url}`));
    expect(Object.keys(EXAMPLES).filter((k) => !known.has(k))).toEqual([]);
  });

  it.each(Object.keys(EXAMPLES))('%s: every example is accepted as given', async (key) => {
    const [method, url] = key.split(' ') as [string, string];
    const { t, auth, known } = await fixtureForExamples();
    for (const ex of EXAMPLES[key]!(known)) {
      const path = url.replace(/:(\w+)/g, (_, name: string) => String(ex.params?.[name] ?? ''));
      const query = ex.query ? `?${new URLSearchParams(ex.query as Record<string, string>).toString()}` : '';
      const res = await t.app.inject({ method: method as 'GET', url: path + query, headers: { authorization: auth, 'content-type': 'application/json' }, ...(ex.body === undefined ? {} : { payload: JSON.stringify(ex.body) }) });
      expect(res.statusCode, `${method} ${path + query} ${JSON.stringify(ex.body)} → ${res.body.slice(0, 300)}`).toBeLessThan(300);
    }
  });
});
