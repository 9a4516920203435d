import { describe, expect, it } from 'vitest';
import { T0 } from '../../support/app.js';
import {
  at,
  body,
  createList,
  createSchedule,
  createTemplate,
  expectRejected,
  getSchedule,
  MIN,
  PHONE,
  PHONE2,
  scheduledJson,
  scheduleRows,
  SLOT,
  start,
} from './support.js';
import { insertConversation } from '../../../src/resources/conversations/store.js';

// POST/GET/PUT/DELETE /v1/schedule (scheduled-messages.md, rule 29, gaps D1-D4).

describe('POST /v1/schedule', () => {
  it('creates a schedule to a phone, answers the Scheduled object (D1) and stores the request', async () => {
    const { t, auth } = await start();
    const res = await t.http.post('/v1/schedule').set('Authorization', auth).send(body({ local_id: 'promo-1' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual(scheduledJson({ local_id: 'promo-1' }));
    expect(scheduleRows(t)).toEqual([
      {
        id: 1,
        team_id: 1,
        inbox_id: 10,
        user_id: 1,
        local_id: 'promo-1',
        execute_at: T0 + 15 * MIN,
        request: JSON.stringify({ phone_number: PHONE, content: { text: 'Hello' } }),
        state: 'pending',
        message_id: null,
        error: null,
        op: 'create',
        rev: 1,
        created: T0,
        updated: T0,
      },
    ]);
    expect(await getSchedule(t, auth, 1)).toEqual(res.body);
  });

  it('accepts exactly 15 minutes ahead, later quarter hours, and an offset time on a quarter hour', async () => {
    const { t, auth } = await start();
    expect((await createSchedule(t, auth, body({ execute_at: '2026-01-15T12:15:00Z' }))).execute).toBe(SLOT);
    expect((await createSchedule(t, auth, body({ execute_at: '2026-01-16T09:45:00.000Z' }))).execute).toBe('2026-01-16T09:45:00.000Z');
    // 18:00+05:30 is 12:30Z.
    expect((await createSchedule(t, auth, body({ execute_at: '2026-01-15T18:00:00+05:30' }))).execute).toBe(at(30 * MIN));
  });

  it('defaults user_id to the team owner (the first admin) and accepts another member of the inbox', async () => {
    const { t, auth } = await start();
    expect((await createSchedule(t, auth)).user_id).toBe(1);
    expect((await createSchedule(t, auth, body({ user_id: 2 }))).user_id).toBe(2);
  });

  it('refuses a user_id that is not a member of the inbox, or not of the team, with 403 denied', async () => {
    const { t, auth } = await start();
    // Member 3 (Carol) is only in the email inbox.
    const res = await expectRejected(t, () => t.http.post('/v1/schedule').set('Authorization', auth).send(body({ user_id: 3 })), 403, 'denied', 'user_id');
    expect(res.body.message).toContain('inbox 10');
    await expectRejected(t, () => t.http.post('/v1/schedule').set('Authorization', auth).send(body({ user_id: 99 })), 403, 'denied', 'user_id');
  });

  it('takes a template by id or as {id}, and echoes attachments and gallery with every field', async () => {
    const { t, auth } = await start();
    const tpl = await createTemplate(t, auth, 'Hi {{first_name}}');
    const a = await createSchedule(t, auth, body({ content: { template: tpl } }));
    // The template and the schedule are both written at T0 (true times on the frozen clock).
    expect(a).toEqual(scheduledJson({ id: 1 }, { text: '', template: tpl }));
    const b = await createSchedule(t, auth, body({ content: { template: { id: tpl }, text: '' } }));
    expect((b.meta as { content: unknown }).content).toEqual(expect.objectContaining({ text: '', template: tpl }));
    const c = await createSchedule(
      t,
      auth,
      body({
        content: {
          text: 'See attached',
          to: PHONE,
          attachments: [{ url: 'https://cdn.example.com/a.pdf', name: 'a.pdf', type: 'application/pdf' }, { url: 'https://cdn.example.com/b.png' }],
          gallery: [{ url: 'https://cdn.example.com/g.png', annotation_text: 'New' }],
        },
      }),
    );
    expect(c.meta).toEqual(
      scheduledJson({}, {
        text: 'See attached',
        attachments: [
          { name: 'a.pdf', type: 'application/pdf', url: 'https://cdn.example.com/a.pdf' },
          { name: '', type: '', url: 'https://cdn.example.com/b.png' },
        ],
        gallery: [{ url: 'https://cdn.example.com/g.png', original_url: '', annotation_text: 'New', annotation_position: '' }],
      }).meta,
    );
  });

  it('schedules into a conversation, to a list, and to a group (targets as E.164 strings, D3)', async () => {
    const { t, auth } = await start();
    const now = t.clock.now();
    const conv = insertConversation(t.app.mock.db, 1, {
      inboxId: 10, contactId: null, channel: 'sms', target: PHONE, targets: [PHONE], op: 'create', created: now, updated: now,
    });
    const listId = await createList(t, auth, [PHONE, PHONE2]);
    const c = await createSchedule(t, auth, body({ phone_number: undefined, conversation_id: conv.id }));
    expect(c.meta).toEqual(scheduledJson({}, { to: '' }, { conversation_id: conv.id }).meta);
    const l = await createSchedule(t, auth, body({ phone_number: undefined, list_id: listId }));
    expect(l.meta).toEqual(scheduledJson({}, { to: '' }, { list_id: listId }).meta);
    const g = await createSchedule(t, auth, body({ phone_number: undefined, targets: [PHONE2, PHONE] }));
    expect(g.meta).toEqual(scheduledJson({}, { to: `${PHONE},${PHONE2}` }).meta);
    expect(scheduleRows(t).map((r) => JSON.parse(r.request as string))).toEqual([
      { conversation_id: conv.id, content: { text: 'Hello' } },
      { list_id: listId, content: { text: 'Hello' } },
      { targets: [PHONE2, PHONE], content: { text: 'Hello' } },
    ]);
  });

  it('treats "key": null like an absent key', async () => {
    const { t, auth } = await start();
    const s = await createSchedule(t, auth, { ...body(), list_id: null, local_id: null, content: { text: 'Hello', template: null } });
    expect(s).toEqual(scheduledJson());
  });
});

describe('GET /v1/schedule/{id}', () => {
  it('answers 404 for an unknown id', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => t.http.get('/v1/schedule/7').set('Authorization', auth), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.get('/v1/schedule/abc').set('Authorization', auth), 400, 'bad_data', 'id');
  });
});

describe('PUT /v1/schedule/{id}', () => {
  it('replaces the whole request, bumps rev and marks an update', async () => {
    const { t, auth } = await start();
    await createSchedule(t, auth, body({ local_id: 'x', user_id: 2 }));
    t.clock.advance(1_000);
    const res = await t.http
      .put('/v1/schedule/1')
      .set('Authorization', auth)
      .send({ inbox_id: 11, execute_at: '2026-01-15T13:00:00Z', phone_number: PHONE2, content: { text: 'Moved' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const expected = scheduledJson({ execute: at(60 * MIN), inbox_id: 11, op: 'update', rev: 2, updated: at(1_000) }, { text: 'Moved', to: PHONE2 });
    expect(res.body).toEqual(expected);
    expect(await getSchedule(t, auth, 1)).toEqual(expected);
    expect(scheduleRows(t)).toEqual([
      expect.objectContaining({ inbox_id: 11, user_id: 1, local_id: '', execute_at: T0 + 60 * MIN, request: JSON.stringify({ phone_number: PHONE2, content: { text: 'Moved' } }), rev: 2, op: 'update', created: T0, updated: T0 + 1_000 }),
    ]);
  });

  it('applies the create rules, and answers 404 for an unknown id', async () => {
    const { t, auth } = await start();
    await createSchedule(t, auth);
    await expectRejected(t, () => t.http.put('/v1/schedule/1').set('Authorization', auth).send(body({ execute_at: '2026-01-15T12:10:00Z' })), 400, 'bad_data', 'execute_at');
    await expectRejected(t, () => t.http.put('/v1/schedule/1').set('Authorization', auth).send(body({ list_id: 5 })), 400, 'bad_data', 'list_id');
    await expectRejected(t, () => t.http.put('/v1/schedule/1').set('Authorization', auth).send(body({ user_id: 3 })), 403, 'denied', 'user_id');
    await expectRejected(t, () => t.http.put('/v1/schedule/1').set('Authorization', auth).send({ inbox_id: 10 }), 400, 'bad_data', 'execute_at');
    await expectRejected(t, () => t.http.put('/v1/schedule/2').set('Authorization', auth).send(body()), 404, 'not_found', 'id');
  });
});

describe('DELETE /v1/schedule/{id}', () => {
  it('cancels a pending schedule: answers "ok" and removes it', async () => {
    const { t, auth } = await start();
    await createSchedule(t, auth);
    await createSchedule(t, auth, body({ execute_at: at(30 * MIN) }));
    const res = await t.http.delete('/v1/schedule/1').set('Authorization', auth);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toBe('ok');
    expect(scheduleRows(t).map((r) => r.id)).toEqual([2]);
    await expectRejected(t, () => t.http.get('/v1/schedule/1').set('Authorization', auth), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.delete('/v1/schedule/1').set('Authorization', auth), 404, 'not_found', 'id');
  });
});
