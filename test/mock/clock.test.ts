import { describe, expect, it } from 'vitest';
import { TEAM2, twoTeamSeed } from '../db/fixtures.js';
import { expectRejected, mintToken, startApp, T0, type TestApp } from '../support/app.js';

const MIN = 60_000;
const AUTH2 = `Bearer ${TEAM2.apiKey}`;
const iso = (ms: number) => new Date(ms).toISOString();

async function schedule(t: TestApp, auth: string, inbox: number, phone: string, at: number) {
  const res = await t.http.post('/v1/schedule').set('Authorization', auth).send({ inbox_id: inbox, execute_at: iso(at), phone_number: phone, content: { text: 'due' } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id as number;
}
const states = (t: TestApp) => t.sql<{ team_id: number; state: string }>('SELECT team_id, state FROM schedules ORDER BY id');

describe('GET/POST/DELETE /__mock/clock', () => {
  it("answers the team's clock; advancing runs that team's due schedule before answering, and only that team's", async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    const auth = await t.auth();
    expect((await t.http.get('/__mock/clock').set('Authorization', auth)).body).toEqual({ now: iso(T0), frozen: true, offset_ms: T0 - t.wall.now() });
    await schedule(t, auth, 10, '14155551234', T0 + 15 * MIN);
    await schedule(t, AUTH2, 20, '14155551234', T0 + 15 * MIN);

    const res = await t.http.post('/__mock/clock').set('Authorization', auth).send({ advance: '15m' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ now: iso(T0 + 15 * MIN), frozen: true, offset_ms: T0 + 15 * MIN - t.wall.now() });
    // When the answer arrives, team 1's message is already in history and the outbox.
    expect(states(t)).toEqual([
      { team_id: 1, state: 'sent' },
      { team_id: 2, state: 'pending' },
    ]);
    expect(t.sql('SELECT team_id FROM outbox')).toEqual([{ team_id: 1 }]);
    // Team 2's clock did not move.
    expect((await t.http.get('/__mock/clock').set('Authorization', AUTH2)).body.now).toBe(iso(T0));
  });

  it('advance_ms, set and freeze; a JWT minted from real time keeps working after the team clock moves a day', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const post = (b: object) => t.http.post('/__mock/clock').set('Authorization', auth).send(b);
    expect((await post({ advance_ms: 86_400_000 })).body.now).toBe(iso(T0 + 86_400_000));
    expect((await t.http.get('/v1/inboxes').set('Authorization', auth)).status).toBe(200);
    expect((await post({ set: '2030-05-01T08:00:00Z' })).body).toMatchObject({ now: '2030-05-01T08:00:00.000Z', frozen: true });
    const running = (await post({ freeze: false })).body;
    expect(running.frozen).toBe(false);
    expect((await post({ freeze: true, advance: '1h30m' })).body).toMatchObject({ frozen: true });
  });

  it('DELETE puts the team back on real time', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const res = await t.http.delete('/__mock/clock').set('Authorization', auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ now: iso(t.wall.now()), frozen: false, offset_ms: 0 });
  });

  it('refuses bad input naming the field, changing nothing', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const post = (b: unknown) => () => t.http.post('/__mock/clock').set('Authorization', auth).send(b as object);
    await expectRejected(t, post({ advance: '15 minutes' }), 400, 'bad_data', 'advance');
    await expectRejected(t, post({ advance: '15m', advance_ms: 5 }), 400, 'bad_data', 'advance_ms');
    await expectRejected(t, post({ advance_ms: -1 }), 400, 'bad_data', 'advance_ms');
    await expectRejected(t, post({ set: 'tomorrow' }), 400, 'bad_data', 'set');
    await expectRejected(t, post({ freeze: 'yes' }), 400, 'bad_data', 'freeze');
    await expectRejected(t, post({ speed: 2 }), 400, 'bad_data');
    await expectRejected(t, post({}), 400, 'bad_data');
    expect(t.clock.state().now).toBe(T0);
  });

  it('needs team credentials (401 without), and never rate-limits', async () => {
    const t = await startApp({ rateLimit: 2 });
    await expectRejected(t, () => t.http.get('/__mock/clock'), 401, 'unauthorized');
    const auth = `Bearer ${await mintToken({ iat: Math.floor(t.wall.now() / 1000) })}`;
    for (let i = 0; i < 5; i++) expect((await t.http.get('/__mock/clock').set('Authorization', auth)).status).toBe(200);
  });
});
