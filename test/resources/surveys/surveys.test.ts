import { describe, expect, it } from 'vitest';
import { team2, TEAM2, writeSeed } from '../../db/fixtures.js';
import { expectApiError, startApp, T0 } from '../../support/app.js';

// Surveys (surveys.md): read-only, defined by the seed. The default team has the two documented examples.

const NPS = {
  id: 10,
  name: 'Post-purchase NPS',
  type: 'nps',
  question: 'How likely are you to recommend us to a friend? Reply with a number from 0 to 10.',
  created: '2023-06-01T12:00:00.000Z',
  updated: '2024-01-20T09:15:00.000Z',
};
const CSAT = {
  id: 11,
  name: 'Support CSAT',
  type: 'csat',
  question: 'How satisfied were you with your support experience? Reply 1 (very unsatisfied) to 5 (very satisfied).',
  created: '2023-08-14T10:30:00.000Z',
  updated: '2024-02-05T11:00:00.000Z',
};

async function start(config: Parameters<typeof startApp>[0] = {}) {
  const t = await startApp(config);
  return { t, auth: await t.auth() };
}

/** A seed with team 2 holding `n` surveys with ids 20, 21, ... */
function seedWithSurveys(n: number, over: Record<string, unknown> = {}) {
  const surveys = Array.from({ length: n }, (_, i) => ({ id: 20 + i, name: `S${i}`, type: 'nps', question: `Q${i}?` }));
  return writeSeed({ teams: [team2({ surveys, ...over })] });
}

describe('surveys', () => {
  it('GET /v1/survey/{id} answers the documented examples', async () => {
    const { t, auth } = await start();
    const nps = await t.http.get('/v1/survey/10').set('Authorization', auth);
    expect(nps.status).toBe(200);
    expect(nps.body).toEqual(NPS);
    expect((await t.http.get('/v1/survey/11').set('Authorization', auth)).body).toEqual(CSAT);
  });

  it('POST /v1/surveys answers an array in id order, limit 30 and page 1 by default (gap S1)', async () => {
    const { t, auth } = await start();
    for (const body of [undefined, {}, { limit: 20, page: 1 }]) {
      const req = t.http.post('/v1/surveys').set('Authorization', auth);
      const res = await (body === undefined ? req : req.send(body));
      expect(res.status).toBe(200);
      expect(res.body).toEqual([NPS, CSAT]);
    }
    expect((await t.http.post('/v1/surveys').set('Authorization', auth).send({ limit: 1 })).body).toEqual([NPS]);
    expect((await t.http.post('/v1/surveys').set('Authorization', auth).send({ limit: 1, page: 2 })).body).toEqual([CSAT]);
    expect((await t.http.post('/v1/surveys').set('Authorization', auth).send({ limit: 1, page: 3 })).body).toEqual([]);
  });

  it('pages 30 by default, at most 100', async () => {
    const { t } = await start({ seed: seedWithSurveys(105) });
    const auth2 = `Bearer ${TEAM2.apiKey}`;
    const ids = async (body: object) => (await t.http.post('/v1/surveys').set('Authorization', auth2).send(body)).body.map((s: { id: number }) => s.id);
    const first = await ids({});
    expect(first).toHaveLength(30);
    expect(first[0]).toBe(20);
    expect(first[29]).toBe(49);
    expect((await ids({ page: 2 }))[0]).toBe(50);
    expect(await ids({ limit: 100 })).toHaveLength(100);
    expect(await ids({ limit: 100, page: 2 })).toEqual([120, 121, 122, 123, 124]);
    // Seeded surveys without dates take the seed time.
    const one = await t.http.get('/v1/survey/20').set('Authorization', auth2);
    expect(one.body).toEqual({ id: 20, name: 'S0', type: 'nps', question: 'Q0?', created: new Date(T0).toISOString(), updated: new Date(T0).toISOString() });
  });

  const bad: Array<[string, object, string]> = [
    ['page 0 (pages start at 1)', { page: 0 }, 'page'],
    ['a negative page', { page: -1 }, 'page'],
    ['a page that is not an integer', { page: 1.5 }, 'page'],
    ['limit 0', { limit: 0 }, 'limit'],
    ['a negative limit', { limit: -1 }, 'limit'],
    ['a limit that is a string', { limit: '10' }, 'limit'],
  ];
  for (const [name, body, field] of bad) {
    it(`POST /v1/surveys refuses ${name}`, async () => {
      const { t, auth } = await start();
      expectApiError(await t.http.post('/v1/surveys').set('Authorization', auth).send(body), 400, 'bad_data', field);
    });
  }

  it('answers 404 for unknown ids and 400 for ids that are not integers; surveys cannot be written', async () => {
    const { t, auth } = await start();
    expectApiError(await t.http.get('/v1/survey/12').set('Authorization', auth), 404, 'not_found', 'id');
    expectApiError(await t.http.get('/v1/survey/x').set('Authorization', auth), 400, 'bad_data', 'id');
    expectApiError(await t.http.post('/v1/survey').set('Authorization', auth).send({ name: 'x' }), 404, 'not_found');
    expectApiError(await t.http.delete('/v1/survey/10').set('Authorization', auth), 404, 'not_found');
    expect(t.sql('SELECT id FROM surveys ORDER BY id')).toEqual([{ id: 10 }, { id: 11 }]);
  });

  it('keeps teams apart: each team sees only its own surveys', async () => {
    const { t, auth } = await start({ seed: seedWithSurveys(1) });
    const auth2 = `Bearer ${TEAM2.apiKey}`;
    expectApiError(await t.http.get('/v1/survey/20').set('Authorization', auth), 404, 'not_found', 'id');
    expectApiError(await t.http.get('/v1/survey/10').set('Authorization', auth2), 404, 'not_found', 'id');
    expect((await t.http.post('/v1/surveys').set('Authorization', auth).send({})).body.map((s: { id: number }) => s.id)).toEqual([10, 11]);
    expect((await t.http.post('/v1/surveys').set('Authorization', auth2).send({})).body.map((s: { id: number }) => s.id)).toEqual([20]);
  });

  it('seeds surveys from a file, dates optional, and refuses ids used twice', async () => {
    const path = writeSeed({
      teams: [team2({ surveys: [{ id: 30, name: 'Dated', type: 'csat', question: 'Q?', created: '2024-01-01T00:00:00Z', updated: '2024-02-01T00:00:00+01:00' }] })],
    });
    const { t } = await start({ seed: path });
    const res = await t.http.get('/v1/survey/30').set('Authorization', `Bearer ${TEAM2.apiKey}`);
    expect(res.body).toEqual({ id: 30, name: 'Dated', type: 'csat', question: 'Q?', created: '2024-01-01T00:00:00.000Z', updated: '2024-01-31T23:00:00.000Z' });

    await expect(startApp({ seed: writeSeed({ teams: [team2({ surveys: [{ id: 10, name: 'Dup', type: 'nps', question: 'Q?' }] })] }) })).rejects.toThrow(
      /survey id 10 is used by team 1 and team 2/,
    );
    await expect(startApp({ seed: writeSeed({ teams: [team2({ surveys: [{ id: 40, name: 'No question', type: 'nps' }] })] }) })).rejects.toThrow(
      /teams\.0\.surveys\.0\.question/,
    );
    await expect(startApp({ seed: writeSeed({ teams: [team2({ surveys: [{ id: 40, name: 'X', type: 'nps', question: 'Q?', colour: 'red' }] })] }) })).rejects.toThrow(
      /teams\.0\.surveys\.0: has unknown field "colour"/,
    );
  });

  it('a reset restores its seeded surveys', async () => {
    const { t } = await start();
    t.app.mock.db.$client.prepare('DELETE FROM surveys').run();
    const res = await t.http.post('/__mock/reset').send({});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(t.sql('SELECT id, team_id FROM surveys ORDER BY id')).toEqual([{ id: 10, team_id: 1 }, { id: 11, team_id: 1 }]);
  });
});
