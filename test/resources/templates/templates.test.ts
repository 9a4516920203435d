import { describe, expect, it } from 'vitest';
import { team2, TEAM2, writeSeed } from '../../db/fixtures.js';
import { expectApiError, expectRejected, startApp, T0, type TestApp } from '../../support/app.js';
import { expectEachOnce, pageByDate } from '../../support/paging.js';

// Templates (templates.md): create, fetch, update (gap T1), delete, date-cursor pages.

/** RFC 3339 of T0 + ms: writes keep true times (at() on the frozen clock, at(ms) after advancing it by ms). */
const at = (ms = 0) => new Date(T0 + ms).toISOString();
const LOCAL = '88ae517b-ff42-4ef2-958d-86b27db6b21c';
const TEXT = 'Hey {{first_name}} {{last_name}}, welcome to our service!';

async function start(config: Parameters<typeof startApp>[0] = {}) {
  const t = await startApp(config);
  return { t, auth: await t.auth() };
}

const rows = (t: TestApp) => t.sql('SELECT * FROM templates ORDER BY id');

describe('templates', () => {
  it('creates with the documented example, answers {id, rev, uuid} with uuid = local_id, and fetches it', async () => {
    const { t, auth } = await start();
    const created = await t.http.post('/v1/template').set('Authorization', auth).send({ title: 'Welcome message', local_id: LOCAL, content: { text: TEXT }, archived: false });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toEqual({ id: 1, rev: 1, uuid: LOCAL });

    const got = await t.http.get('/v1/template/1').set('Authorization', auth);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      id: 1,
      name: 'Welcome message',
      local_id: LOCAL,
      content: { text: TEXT, gallery: [] },
      team_id: 1,
      creator_id: 1,
      shared: true,
      archived: false,
      created: at(),
      updated: at(),
      rev: 1,
      op: 'create',
    });
    expect(rows(t)).toEqual([
      expect.objectContaining({ id: 1, team_id: 1, uuid: LOCAL, name: 'Welcome message', local_id: LOCAL, text: TEXT, gallery: '[]', creator_id: 1, shared: 1, archived: 0, op: 'create', rev: 1 }),
    ]);
  });

  it('generates the uuid when local_id is not a UUID or is absent (gap L4)', async () => {
    const { t, auth } = await start();
    const keyed = await t.http.post('/v1/template').set('Authorization', auth).send({ title: 'A', local_id: 'welcome-v1', content: { text: 'a' } });
    expect(keyed.status).toBe(200);
    expect(keyed.body.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const bare = await t.http.post('/v1/template').set('Authorization', auth).send({ title: 'B', content: { text: 'b' } });
    expect(bare.body.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(bare.body.uuid).not.toBe(keyed.body.uuid);
    expect((await t.http.get(`/v1/template/${keyed.body.id}`).set('Authorization', auth)).body.local_id).toBe('welcome-v1');
    expect((await t.http.get(`/v1/template/${bare.body.id}`).set('Authorization', auth)).body.local_id).toBe('');
  });

  it('stores gallery images and answers every GalleryEntry field', async () => {
    const { t, auth } = await start();
    const res = await t.http
      .post('/v1/template')
      .set('Authorization', auth)
      .send({
        title: 'Promo',
        archived: true,
        content: {
          text: 'See our new range',
          gallery: [
            { url: 'https://cdn.example.com/a.png', original_url: 'https://example.com/a-full.png', annotation_text: 'New!', annotation_position: 'bottom' },
            { url: 'http://cdn.example.com/b.jpg' },
          ],
        },
      });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const got = await t.http.get(`/v1/template/${res.body.id}`).set('Authorization', auth);
    expect(got.body.archived).toBe(true);
    expect(got.body.content).toEqual({
      text: 'See our new range',
      gallery: [
        { url: 'https://cdn.example.com/a.png', original_url: 'https://example.com/a-full.png', annotation_text: 'New!', annotation_position: 'bottom' },
        { url: 'http://cdn.example.com/b.jpg', original_url: '', annotation_text: '', annotation_position: '' },
      ],
    });
    // Only what was sent is stored.
    expect(JSON.parse(t.sql<{ gallery: string }>('SELECT gallery FROM templates')[0]!.gallery)[1]).toEqual({ url: 'http://cdn.example.com/b.jpg' });
  });

  it('updates: answers {id, rev} with rev + 1 (gap T1); omitted gallery, local_id and archived are kept', async () => {
    const { t, auth } = await start();
    const gallery = [{ url: 'https://cdn.example.com/a.png' }];
    await t.http.post('/v1/template').set('Authorization', auth).send({ title: 'Old', local_id: LOCAL, archived: true, content: { text: 'old', gallery } });

    t.clock.advance(1);
    const put = await t.http.put('/v1/template/1').set('Authorization', auth).send({ title: 'New name', content: { text: 'new {{first_name}}' } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toEqual({ id: 1, rev: 2 });
    const got = await t.http.get('/v1/template/1').set('Authorization', auth);
    expect(got.body).toEqual({
      id: 1,
      name: 'New name',
      local_id: LOCAL,
      content: { text: 'new {{first_name}}', gallery: [{ url: 'https://cdn.example.com/a.png', original_url: '', annotation_text: '', annotation_position: '' }] },
      team_id: 1,
      creator_id: 1,
      shared: true,
      archived: true,
      created: at(),
      updated: at(1),
      rev: 2,
      op: 'update',
    });
    // The uuid never changes.
    expect(t.sql('SELECT uuid FROM templates')).toEqual([{ uuid: LOCAL }]);

    t.clock.advance(1);
    const again = await t.http.put('/v1/template/1').set('Authorization', auth).send({ title: 'New name', local_id: 'k2', archived: false, content: { text: 'x', gallery: [] } });
    expect(again.body).toEqual({ id: 1, rev: 3 });
    const after = await t.http.get('/v1/template/1').set('Authorization', auth);
    expect(after.body).toMatchObject({ local_id: 'k2', archived: false, content: { text: 'x', gallery: [] }, rev: 3, updated: at(2) });
  });

  it('deletes: answers the JSON string "ok", then 404', async () => {
    const { t, auth } = await start();
    await t.http.post('/v1/template').set('Authorization', auth).send({ title: 'A', content: { text: 'a' } });
    const del = await t.http.delete('/v1/template/1').set('Authorization', auth);
    expect(del.status).toBe(200);
    expect(del.headers['content-type']).toMatch(/application\/json/);
    expect(del.text).toBe('"ok"');
    expect(rows(t)).toEqual([]);
    expectApiError(await t.http.get('/v1/template/1').set('Authorization', auth), 404, 'not_found', 'id');
    expectApiError(await t.http.delete('/v1/template/1').set('Authorization', auth), 404, 'not_found', 'id');
  });

  it('answers 404 not_found for unknown ids and 400 for ids that are not integers', async () => {
    const { t, auth } = await start();
    await t.http.post('/v1/template').set('Authorization', auth).send({ title: 'A', content: { text: 'a' } });
    await expectRejected(t, () => t.http.get('/v1/template/99').set('Authorization', auth), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.put('/v1/template/99').set('Authorization', auth).send({ title: 'B', content: { text: 'b' } }), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.delete('/v1/template/99').set('Authorization', auth), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.get('/v1/template/abc').set('Authorization', auth), 400, 'bad_data', 'id');
  });

  const badBodies: Array<[string, unknown, string]> = [
    ['no title', { content: { text: 'a' } }, 'title'],
    ['a blank title', { title: '  ', content: { text: 'a' } }, 'title'],
    ['a title that is not a string', { title: 5, content: { text: 'a' } }, 'title'],
    ['no content', { title: 'A' }, 'content'],
    ['content that is a string', { title: 'A', content: 'hello' }, 'content'],
    ['content without text', { title: 'A', content: { gallery: [] } }, 'content.text'],
    ['content.text that is not a string', { title: 'A', content: { text: 42 } }, 'content.text'],
    ['a gallery that is not an array', { title: 'A', content: { text: 'a', gallery: 'x' } }, 'content.gallery'],
    ['a gallery entry without url', { title: 'A', content: { text: 'a', gallery: [{ annotation_text: 'x' }] } }, 'content.gallery[0].url'],
    ['a gallery url that is not http(s)', { title: 'A', content: { text: 'a', gallery: [{ url: 'https://ok.example/a.png' }, { url: 'ftp://x.example/a.png' }] } }, 'content.gallery[1].url'],
    ['archived that is not a boolean', { title: 'A', content: { text: 'a' }, archived: 'yes' }, 'archived'],
    ['local_id that is not a string', { title: 'A', content: { text: 'a' }, local_id: 7 }, 'local_id'],
  ];
  for (const [name, body, field] of badBodies) {
    it(`refuses create and update with ${name} (400 naming ${field}), changing nothing`, async () => {
      const { t, auth } = await start();
      await t.http.post('/v1/template').set('Authorization', auth).send({ title: 'Keep', content: { text: 'keep' } });
      await expectRejected(t, () => t.http.post('/v1/template').set('Authorization', auth).send(body as object), 400, 'bad_data', field);
      await expectRejected(t, () => t.http.put('/v1/template/1').set('Authorization', auth).send(body as object), 400, 'bad_data', field);
    });
  }

  it('refuses a body that is not JSON or absent', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => t.http.post('/v1/template').set('Authorization', auth).set('Content-Type', 'application/json').send('{"title":'), 400, 'bad_data');
    await expectRejected(t, () => t.http.post('/v1/template').set('Authorization', auth), 400, 'bad_data');
  });

  it('pages by the updated-before cursor, 30 at a time, most recent first', async () => {
    const { t, auth } = await start();
    // The clock moves 1 ms between writes, so each template has its own time.
    for (let i = 0; i < 35; i++) {
      if (i > 0) t.clock.advance(1);
      await t.http.post('/v1/template').set('Authorization', auth).send({ title: `t${i}`, content: { text: `body ${i}` } });
    }
    // Updating t2 makes it the most recent.
    t.clock.advance(1);
    await t.http.put('/v1/template/3').set('Authorization', auth).send({ title: 't2*', content: { text: 'edited' } });

    const first = await t.http.post('/v1/templates').set('Authorization', auth).send({});
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(30);
    expect(first.body[0]).toMatchObject({ id: 3, name: 't2*', rev: 2, op: 'update', updated: at(35) });
    expect(first.body.slice(1, 3).map((x: { name: string }) => x.name)).toEqual(['t34', 't33']);
    const next = await t.http.post('/v1/templates').set('Authorization', auth).send({ date: first.body[29].updated });
    expect(next.body.map((x: { name: string }) => x.name)).toEqual(['t5', 't4', 't3', 't1', 't0']);
    const end = await t.http.post('/v1/templates').set('Authorization', auth).send({ date: next.body[4].updated });
    expect(end.body).toEqual([]);
    // No body at all is the first page too; limit is accepted like on POST /v1/tags.
    expect((await t.http.post('/v1/templates').set('Authorization', auth)).body).toHaveLength(30);
    expect((await t.http.post('/v1/templates').set('Authorization', auth).send({ limit: 2 })).body.map((x: { id: number }) => x.id)).toEqual([3, 35]);
    // The page holds full Template objects.
    expect(next.body[4]).toEqual((await t.http.get('/v1/template/1').set('Authorization', auth)).body);
  });

  it('pages templates sharing a millisecond in whole runs, never skipping or repeating one', async () => {
    const { t, auth } = await start();
    // 33 templates at T0, then 4 at T0+1 ms.
    for (let i = 0; i < 37; i++) {
      if (i === 33) t.clock.advance(1);
      await t.http.post('/v1/template').set('Authorization', auth).send({ title: `t${i}`, content: { text: `body ${i}` } }).expect(200);
    }
    const ids = Array.from({ length: 37 }, (_, i) => i + 1);
    const list = async (date: string | undefined) => (await t.http.post('/v1/templates').set('Authorization', auth).send(date ? { date } : {}).expect(200)).body as Array<{ id: number; updated: string }>;
    const pages = await pageByDate(list, (x) => x.updated, { limit: 30 });
    // 4 at T0+1 and 26 of the T0 run, extended by its other 7.
    expect(pages.map((p) => p.length)).toEqual([37, 0]);
    expect(expectEachOnce(pages, ids)).toEqual([...ids].reverse());
  });

  it('refuses a bad page cursor', async () => {
    const { t, auth } = await start();
    expectApiError(await t.http.post('/v1/templates').set('Authorization', auth).send({ date: 'yesterday' }), 400, 'bad_data', 'date');
    expectApiError(await t.http.post('/v1/templates').set('Authorization', auth).send({ limit: 0 }), 400, 'bad_data', 'limit');
  });

  it('keeps teams apart: another team\'s template is 404 and never listed', async () => {
    const { t, auth } = await start({ seed: writeSeed({ teams: [team2()] }) });
    const auth2 = `Bearer ${TEAM2.apiKey}`;
    const theirs = await t.http.post('/v1/template').set('Authorization', auth2).send({ title: 'Team 2', content: { text: 'two' } });
    expect(theirs.status).toBe(200);
    const got2 = await t.http.get(`/v1/template/${theirs.body.id}`).set('Authorization', auth2);
    expect(got2.body).toMatchObject({ team_id: 2, creator_id: 21 });

    const id = theirs.body.id as number;
    await expectRejected(t, () => t.http.get(`/v1/template/${id}`).set('Authorization', auth), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.put(`/v1/template/${id}`).set('Authorization', auth).send({ title: 'Hijack', content: { text: 'x' } }), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.delete(`/v1/template/${id}`).set('Authorization', auth), 404, 'not_found', 'id');
    expect((await t.http.post('/v1/templates').set('Authorization', auth)).body).toEqual([]);
    expect((await t.http.post('/v1/templates').set('Authorization', auth2)).body).toHaveLength(1);
  });
});
