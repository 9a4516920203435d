import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app.js';
import { fuzzSeed } from './suite.js';

// An accepted request round-trips exactly, unicode included: what a create stores is what its
// read-back answers (the documented trim of names and titles aside). Strings are full unicode
// (emoji, combining marks, RTL, astral planes); fast-check's 'binary' unit never produces lone
// surrogates, which are stored as U+FFFD today (issue #11 defect 11, owned by the json-body change).
// FUZZ_SEED replays; FUZZ_RUNS scales (runs per property = FUZZ_RUNS / 100).

const RUNS = Math.max(20, Math.ceil(Number(process.env.FUZZ_RUNS ?? 10_000) / 100));

/** Any unicode text the field takes: 1..max UTF-16 units once trimmed. */
const text = (max: number) =>
  fc
    .oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 30 }))
    .filter((s) => s.trim().length > 0 && s.trim().length <= max);

async function property<T>(arb: fc.Arbitrary<T>, check: (t: TestApp, auth: string, value: T, n: number) => Promise<void>) {
  const t = await startApp({ rateLimit: 0 });
  const auth = await t.auth();
  let n = 0;
  try {
    await fc.assert(
      fc.asyncProperty(arb, async (v) => check(t, auth, v, n++)),
      { numRuns: RUNS, seed: fuzzSeed, endOnFailure: true },
    );
  } catch (e) {
    const cause = (e as Error).cause instanceof Error ? `\n${((e as Error).cause as Error).message}` : '';
    throw new Error(`round trip failed; reproduce with FUZZ_SEED=${fuzzSeed}${cause}\n${(e as Error).message}`);
  }
}

const send = async (t: TestApp, auth: string, method: 'GET' | 'POST', url: string, payload?: unknown) => {
  const res = await t.app.inject({ method, url, payload: payload === undefined ? undefined : JSON.stringify(payload), headers: { authorization: auth, 'content-type': 'application/json' } });
  expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)} → ${res.body.slice(0, 300)}`).toBe(200);
  return JSON.parse(res.body) as Record<string, unknown> & Array<Record<string, unknown>>;
};

describe('an accepted request round-trips exactly (unicode included)', () => {
  it('v1 contact create → GET /v1/contact/{id}: names, email, phone', async () => {
    await property(fc.record({ first: text(255), last: text(255), display_name: text(255) }), async (t, auth, names, n) => {
      const phone = `1415${2_000_000 + n}`;
      const email = `user${n}@example.com`;
      const created = await send(t, auth, 'POST', '/v1/contact', { phone, email, ...names });
      const got = await send(t, auth, 'GET', `/v1/contact/${created.id}`);
      // Contact names are stored as sent (not trimmed).
      expect(got).toMatchObject({ phone, email, ...names });
    });
  }, 120_000);

  it('template create → GET /v1/template/{id}: title and text', async () => {
    await property(fc.record({ title: text(255), body: text(1000) }), async (t, auth, { title, body }) => {
      const created = await send(t, auth, 'POST', '/v1/template', { title, content: { text: body } });
      const got = await send(t, auth, 'GET', `/v1/template/${created.id}`);
      expect(got.name).toBe(title.trim());
      expect((got.content as { text: string }).text).toBe(body);
    });
  }, 120_000);

  it('tag create → GET /v1/tag/{id}: the tag', async () => {
    await property(text(255), async (t, auth, tag, n) => {
      const created = await send(t, auth, 'POST', '/v1/tag', { tag: `${n} ${tag}` });
      const got = await send(t, auth, 'GET', `/v1/tag/${created.id}`);
      expect(got.tag).toBe(`${n} ${tag}`.trim());
    });
  }, 120_000);

  it('contact field create → POST /v1/contact-fields: the title', async () => {
    await property(text(255), async (t, auth, title, n) => {
      const [created] = await send(t, auth, 'POST', '/v1/contacts/fields', [{ title: `${n} ${title}` }]);
      const all = await send(t, auth, 'POST', '/v1/contact-fields');
      expect(all.find((f) => f.id === created!.id)?.title).toBe(`${n} ${title}`.trim());
    });
  }, 120_000);
});
