import { describe, expect, it } from 'vitest';
import { expectApiError, mintToken, startApp, type TestApp } from '../support/app.js';

// A JWT's own `exp`, when present, is enforced against real time (the app's wall clock, which
// tests move by hand with t.wall), beside the 300 s rule from iat.

const wallS = (t: TestApp) => Math.floor(t.wall.now() / 1000);
const get = (t: TestApp, token: string) => t.http.get('/v1/inboxes').set('Authorization', `Bearer ${token}`);

async function rejected(t: TestApp, token: string, why: RegExp) {
  const res = await get(t, token);
  expectApiError(res, 401, 'unauthorized');
  expect(res.body.message).toMatch(why);
  return res;
}

describe('JWT exp', () => {
  it('refuses a token whose exp has passed, saying how long ago', async () => {
    const t = await startApp();
    const now = wallS(t);
    const res = await rejected(t, await mintToken({ iat: now - 10, extra: { exp: now - 7 } }), /^token expired 7 s ago: its exp \(.+Z\) has passed/);
    expect(res.body.message).toContain(new Date((now - 7) * 1000).toISOString());
  });

  it('refuses a token exactly at exp and accepts it one second before', async () => {
    const t = await startApp();
    const now = wallS(t);
    await rejected(t, await mintToken({ iat: now, extra: { exp: now } }), /expired 0 s ago/);
    expect((await get(t, await mintToken({ iat: now, extra: { exp: now + 1 } }))).status).toBe(200);
  });

  it('re-checks exp of a cached token as real time moves', async () => {
    const t = await startApp();
    const token = await mintToken({ iat: wallS(t), extra: { exp: wallS(t) + 30 } });
    expect((await get(t, token)).status).toBe(200);
    t.wall.advance(29_000);
    expect((await get(t, token)).status).toBe(200);
    t.wall.advance(1_000);
    await rejected(t, token, /expired 0 s ago: its exp/);
    t.wall.advance(12_000);
    await rejected(t, token, /expired 12 s ago: its exp/);
  });

  it('keeps the 300 s rule from iat when exp is later', async () => {
    const t = await startApp();
    const token = await mintToken({ iat: wallS(t), extra: { exp: wallS(t) + 3600 } });
    expect((await get(t, token)).status).toBe(200);
    t.wall.advance(301_000);
    await rejected(t, token, /expired 1 s ago \(tokens live 300 s after iat/);
  });

  it('follows real time, not a team clock moved by the control plane', async () => {
    const t = await startApp();
    const token = await mintToken({ iat: wallS(t), extra: { exp: wallS(t) + 60 } });
    t.clock.advance(3_600_000);
    expect((await get(t, token)).status).toBe(200);
  });

  it('refuses an exp that is not a number, or is in milliseconds', async () => {
    const t = await startApp();
    await rejected(t, await mintToken({ iat: wallS(t), extra: { exp: String(wallS(t) + 60) } }), /exp, when present, must be a number/);
    await rejected(t, await mintToken({ iat: wallS(t), extra: { exp: t.wall.now() + 60_000 } }), /exp looks like milliseconds/);
  });

  it('compares a fractional exp to the millisecond', async () => {
    const t = await startApp();
    const exp = t.wall.now() / 1000 + 0.5;
    const token = await mintToken({ iat: wallS(t), extra: { exp } });
    expect((await get(t, token)).status).toBe(200);
    t.wall.advance(501);
    await rejected(t, token, /expired 0 s ago/);
  });
});
