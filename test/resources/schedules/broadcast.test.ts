import { describe, expect, it } from 'vitest';
import { body, createList, createSchedule, expectRejected, getSchedule, messageRows, MIN, runSchedules, scheduleRows, start } from './support.js';

// A scheduled list broadcast goes through the sliced broadcast path (messages/broadcast.ts): it is
// sent first, keyed by its schedule, then marked; once its send key exists the schedule can no
// longer be changed or cancelled (issue #7, bug 4).

const phones = (n: number) => Array.from({ length: n }, (_, i) => String(14155570000 + i));

describe('scheduled list broadcasts', () => {
  it('a 300-member scheduled broadcast is sent in slices and marked sent with its first message', async () => {
    const { t, auth } = await start();
    const numbers = phones(300);
    const list = await createList(t, auth, numbers);
    await createSchedule(t, auth, body({ phone_number: undefined, list_id: list, content: { text: 'Weekly news' } }));
    t.clock.advance(15 * MIN);
    expect(await runSchedules(t)).toEqual({ sent: [1], failed: [], errors: [] });
    const rows = messageRows(t);
    expect(rows.map((m) => m.target)).toEqual(numbers);
    expect(new Set(rows.map((m) => m.schedule_id))).toEqual(new Set([1]));
    expect(scheduleRows(t)).toEqual([expect.objectContaining({ state: 'sent', message_id: rows[0]!.id })]);
    expect(t.sql<{ scope: string; local_id: string; response: string }>('SELECT scope, local_id, response FROM send_keys').map((k) => [k.scope, k.local_id, JSON.parse(k.response).id])).toEqual([
      ['schedule', '1', rows[0]!.id],
    ]);
    // It ran: nothing runs again.
    expect((await runSchedules(t)).sent).toEqual([]);
  });

  it('a schedule whose send has started (its send key exists) can no longer be changed or cancelled', async () => {
    const { t, auth } = await start();
    const list = await createList(t, auth, phones(3));
    await createSchedule(t, auth, body({ phone_number: undefined, list_id: list }));
    // What a broadcast in progress leaves while it is being written.
    t.app.mock.db.$client
      .prepare("INSERT INTO send_keys (team_id, scope, local_id, response, created) VALUES (1, 'schedule', '1', ?, 0)")
      .run(JSON.stringify({ in_progress: true, broadcast_id: 1, request: {} }));
    const del = await expectRejected(t, () => t.http.delete('/v1/schedule/1').set('Authorization', auth), 400, 'bad_data', 'id');
    expect(del.body.message).toBe('id: scheduled message 1 is being sent right now; it can no longer be cancelled');
    const put = await expectRejected(t, () => t.http.put('/v1/schedule/1').set('Authorization', auth).send(body()), 400, 'bad_data', 'id');
    expect(put.body.message).toMatch(/being sent right now; it can no longer be changed$/);
    expect((await getSchedule(t, auth, 1)).status).toBe('pending');
  });

  it('a scheduled broadcast that fails mid-way is undone and marked failed', async () => {
    const { t, auth } = await start();
    const numbers = phones(200);
    const list = await createList(t, auth, numbers);
    // The list's numbers are contacts already (issue #8.4); the failed run leaves them as they were.
    const contacts = t.sql('SELECT * FROM contacts ORDER BY id');
    expect(contacts).toHaveLength(200);
    await createSchedule(t, auth, body({ phone_number: undefined, list_id: list }));
    t.app.mock.db.$client.exec(`CREATE TRIGGER fail_late BEFORE INSERT ON outbox WHEN NEW."to" = '["${numbers[150]}"]' BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    t.clock.advance(15 * MIN);
    const report = await runSchedules(t);
    expect(report.failed).toEqual([1]);
    expect(messageRows(t)).toEqual([]);
    expect(t.sql('SELECT * FROM outbox')).toEqual([]);
    expect(t.sql('SELECT * FROM send_keys')).toEqual([]);
    expect(t.sql('SELECT * FROM broadcasts')).toEqual([]);
    expect(t.sql('SELECT * FROM contacts ORDER BY id')).toEqual(contacts);
    const s = await getSchedule(t, await t.auth(), 1);
    expect(s.status).toBe('failed');
    expect(s.error).toMatch(/^internal error in heymarket-mock: disk full/);
  });
});
