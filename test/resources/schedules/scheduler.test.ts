import { describe, expect, it, vi } from 'vitest';
import { startApp, T0, type TestApp } from '../../support/app.js';
import {
  at,
  AUTH2,
  body,
  createContact,
  createList,
  createSchedule,
  createTemplate,
  expectRejected,
  getSchedule,
  history,
  messageRows,
  MIN,
  PHONE,
  PHONE2,
  scheduleRows,
  SLOT,
  setStatus,
  start,
  runSchedules,
  advanceSchedules,
} from './support.js';

// The schedule job of the due-work runner (src/core/runner.ts): a pending schedule is sent through
// sendMessage when its team's clock reaches it.

const outbox = (t: TestApp) => t.sql<Record<string, unknown>>('SELECT * FROM outbox ORDER BY id');

describe('the scheduler', () => {
  it('sends a due schedule through the send path: rendered text in history, schedule sent with its message', async () => {
    const { t, auth } = await start();
    await createContact(t, auth, PHONE, { first: 'Ann' });
    await createSchedule(t, auth, body({ content: { text: 'Hi {{first_name}}, your table is ready' } }));

    t.clock.advance(15 * MIN);
    expect((await runSchedules(t))).toEqual({ sent: [1], failed: [], errors: [] });

    // Tokens age by real time, not by the team's clock: the 15 minutes above did not expire `auth`.
    const fresh = auth;
    const msgs = await history(t, fresh, PHONE);
    expect(msgs).toHaveLength(1);
    // The same pass of due work delivers it (auto delivery, HEYMARKET_MOCK_DELIVERY).
    expect(msgs[0]).toEqual(
      expect.objectContaining({ text: 'Hi Ann, your table is ready', type: 'outbound', status: 'delivered', date: SLOT, local_id: 'schedule-1', user: 1, target: PHONE, phone: PHONE }),
    );
    const id = msgs[0]!.id as number;
    expect(messageRows(t)).toEqual([expect.objectContaining({ id, schedule_id: 1, inbox_id: 10, user_id: 1 })]);
    expect(outbox(t)).toEqual([expect.objectContaining({ message_id: id, from: '14155550100', to: JSON.stringify([PHONE]), text: 'Hi Ann, your table is ready' })]);

    const s = await getSchedule(t, fresh, 1);
    expect(s).toEqual(expect.objectContaining({ status: 'sent', message_id: id, error: null, rev: 2, op: 'update', execute: SLOT }));
    // True times: the message and the schedule's mark are written in the same millisecond.
    expect(s.updated).toBe(at(15 * MIN));
    expect(s.updated).toBe(msgs[0]!.date);

    // Like any other send, it is in the team's message list.
    const all = await t.http.post('/v1/messages/all').set('Authorization', fresh).send({});
    expect(all.status).toBe(200);
    expect(all.body.map((m: { id: number }) => m.id)).toEqual([id]);
  });

  it('does not send before its time, then sends at exactly execute_at', async () => {
    const { t, auth } = await start();
    await createSchedule(t, auth);
    t.clock.advance(15 * MIN - 1000);
    expect((await runSchedules(t)).sent).toEqual([]);
    expect(messageRows(t)).toEqual([]);
    expect(scheduleRows(t)).toEqual([expect.objectContaining({ state: 'pending', message_id: null, rev: 1 })]);
    t.clock.advance(1000);
    expect((await runSchedules(t)).sent).toEqual([1]);
    expect(messageRows(t)).toHaveLength(1);
  });

  it('sends once however often it runs, and a lost mark after a crash does not send again', async () => {
    const { t, auth } = await start();
    await createSchedule(t, auth);
    t.clock.advance(20 * MIN);
    expect((await runSchedules(t)).sent).toEqual([1]);
    expect((await runSchedules(t))).toEqual({ sent: [], failed: [], errors: [] });
    const first = scheduleRows(t)[0]!.message_id;
    // As if the process died between the send and the mark: the send key (scope schedule, id 1) answers the first send.
    t.app.mock.db.$client.prepare("UPDATE schedules SET state = 'pending', message_id = NULL WHERE id = 1").run();
    expect((await runSchedules(t)).sent).toEqual([1]);
    expect(messageRows(t)).toHaveLength(1);
    expect(outbox(t)).toHaveLength(1);
    expect(scheduleRows(t)[0]).toEqual(expect.objectContaining({ state: 'sent', message_id: first }));
  });

  it('a schedule whose bookkeeping fails does not hold up the others due in the same tick', async () => {
    const { t, auth } = await start();
    await createSchedule(t, auth);
    await createSchedule(t, auth, body({ phone_number: PHONE2 }));
    // Marking schedule 1 as ran fails (as a full disk or a lock would); its send rolls back with it.
    t.app.mock.db.$client.exec("CREATE TRIGGER fail_mark BEFORE UPDATE ON schedules WHEN OLD.id = 1 BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    t.clock.advance(20 * MIN);
    const report = (await runSchedules(t));
    expect(report.sent).toEqual([2]);
    expect(report.errors).toHaveLength(1);
    expect(scheduleRows(t).map((r) => r.state)).toEqual(['pending', 'sent']);
    expect(messageRows(t).map((m) => m.target)).toEqual([PHONE2]);
  });

  it('marks a schedule failed with the reason when the contact opted out before it ran; nothing is sent', async () => {
    const { t, auth } = await start();
    await createContact(t, auth, PHONE);
    await createSchedule(t, auth);
    await setStatus(t, auth, PHONE, 'unsubscribed');
    const before = t.sql('SELECT * FROM conversations');
    t.clock.advance(15 * MIN);
    expect((await runSchedules(t))).toEqual({ sent: [], failed: [1], errors: [] });
    const s = await getSchedule(t, await t.auth(), 1);
    expect(s.status).toBe('failed');
    expect(s.message_id).toBe(0);
    expect(s.error).toMatch(/^phone_number: contact \d+ \(14155551234\) has opted out/);
    expect(messageRows(t)).toEqual([]);
    expect(outbox(t)).toEqual([]);
    expect(t.sql('SELECT * FROM conversations')).toEqual(before);
    expect(t.sql('SELECT * FROM send_keys')).toEqual([]);
    // It ran: it is not retried.
    expect((await runSchedules(t)).failed).toEqual([]);
  });

  it('fails when the template was deleted meanwhile', async () => {
    const { t, auth } = await start();
    const tpl = await createTemplate(t, auth, 'Hi');
    await createSchedule(t, auth, body({ content: { template: tpl } }));
    expect((await t.http.delete(`/v1/template/${tpl}`).set('Authorization', auth)).status).toBe(200);
    t.clock.advance(15 * MIN);
    expect((await runSchedules(t)).failed).toEqual([1]);
    expect(scheduleRows(t)[0]!.error).toBe(`template_id: no template with id ${tpl} in this team`);
  });

  it('refuses to change or cancel a schedule that already ran (D4), sent or failed', async () => {
    const { t, auth } = await start();
    await createContact(t, auth, PHONE2);
    await createSchedule(t, auth);
    await createSchedule(t, auth, body({ phone_number: PHONE2 }));
    await setStatus(t, auth, PHONE2, 'blocked');
    t.clock.advance(15 * MIN);
    expect((await runSchedules(t))).toEqual({ sent: [1], failed: [2], errors: [] });
    const fresh = await t.auth();
    const next = body({ execute_at: at(45 * MIN) });
    const put = await expectRejected(t, () => t.http.put('/v1/schedule/1').set('Authorization', fresh).send(next), 400, 'bad_data', 'id');
    expect(put.body.message).toMatch(/^id: scheduled message 1 already ran at 2026-01-15T12:15:00.000Z \(sent as message \d+\); it can no longer be changed$/);
    const del = await expectRejected(t, () => t.http.delete('/v1/schedule/1').set('Authorization', fresh), 400, 'bad_data', 'id');
    expect(del.body.message).toMatch(/can no longer be cancelled/);
    const failed = await expectRejected(t, () => t.http.put('/v1/schedule/2').set('Authorization', fresh).send(next), 400, 'bad_data', 'id');
    expect(failed.body.message).toMatch(/failed: phone_number: contact \d+ .* is blocked/);
    await expectRejected(t, () => t.http.delete('/v1/schedule/2').set('Authorization', fresh), 400, 'bad_data', 'id');
  });

  it('sends the edited request, not the first one', async () => {
    const { t, auth } = await start();
    await createSchedule(t, auth);
    const put = await t.http.put('/v1/schedule/1').set('Authorization', auth).send(body({ phone_number: PHONE2, execute_at: at(30 * MIN), content: { text: 'Edited' } }));
    expect(put.status).toBe(200);
    t.clock.advance(15 * MIN);
    expect((await runSchedules(t)).sent).toEqual([]);
    t.clock.advance(15 * MIN);
    expect((await runSchedules(t)).sent).toEqual([1]);
    const fresh = await t.auth();
    expect(await history(t, fresh, PHONE)).toEqual([]);
    expect((await history(t, fresh, PHONE2)).map((m) => m.text)).toEqual(['Edited']);
  });

  it('a cancelled schedule never sends', async () => {
    const { t, auth } = await start();
    await createSchedule(t, auth);
    expect((await t.http.delete('/v1/schedule/1').set('Authorization', auth)).status).toBe(200);
    t.clock.advance(60 * MIN);
    expect((await runSchedules(t)).sent).toEqual([]);
    expect(messageRows(t)).toEqual([]);
  });

  it('maps template, media, list, group and conversation requests onto the send', async () => {
    const { t, auth } = await start();
    await createContact(t, auth, PHONE, { first: 'Ann' });
    await createContact(t, auth, PHONE2, { first: 'Bo' });
    const tpl = await createTemplate(t, auth, 'Deal for {{first_name}}');
    const listId = await createList(t, auth, [PHONE, PHONE2]);
    await createSchedule(t, auth, body({ content: { template: { id: tpl } } })); // 1
    await createSchedule(t, auth, body({ content: { text: 'Pic', attachments: [{ url: 'https://cdn.example.com/a.pdf' }], gallery: [{ url: 'https://cdn.example.com/g.png' }] } })); // 2
    await createSchedule(t, auth, body({ phone_number: undefined, list_id: listId, content: { text: 'Hey {{first_name}}' } })); // 3
    await createSchedule(t, auth, body({ phone_number: undefined, targets: [PHONE2, PHONE], content: { text: 'Group' } })); // 4
    t.clock.advance(15 * MIN);
    expect((await runSchedules(t))).toEqual({ sent: [1, 2, 3, 4], failed: [], errors: [] });
    const rows = messageRows(t).map((m) => ({ text: m.text, media: m.media_url, schedule: m.schedule_id, channel: m.channel, broadcast: m.broadcast_id !== null, template: m.template_id }));
    expect(rows).toEqual([
      { text: 'Deal for Ann', media: '', schedule: 1, channel: 'sms', broadcast: false, template: tpl },
      { text: 'Pic', media: 'https://cdn.example.com/g.png', schedule: 2, channel: 'mms', broadcast: false, template: null },
      { text: 'Hey Ann', media: '', schedule: 3, channel: 'sms', broadcast: true, template: null },
      { text: 'Hey Bo', media: '', schedule: 3, channel: 'sms', broadcast: true, template: null },
      { text: 'Group', media: '', schedule: 4, channel: 'mms', broadcast: false, template: null },
    ]);
    // The schedule records the first message of a broadcast.
    const ids = messageRows(t).map((m) => m.id);
    expect(scheduleRows(t).map((s) => s.message_id)).toEqual([ids[0], ids[1], ids[2], ids[4]]);

    // Into an existing conversation (the one the first send opened).
    const conv = t.sql<{ id: number }>("SELECT id FROM conversations WHERE target = ? AND channel = 'sms'", PHONE)[0]!.id;
    const fresh = await t.auth();
    await createSchedule(t, fresh, body({ phone_number: undefined, conversation_id: conv, execute_at: at(30 * MIN), content: { text: 'Follow-up' } }));
    t.clock.advance(15 * MIN);
    expect((await runSchedules(t)).sent).toEqual([5]);
    expect((await history(t, await t.auth(), PHONE)).map((m) => m.text)).toEqual(['Follow-up', 'Hey Ann', 'Pic', 'Deal for Ann']);
  });

  it('runs due schedules team by team (in id order), each by its own clock, by execute time then id', async () => {
    const { t, auth } = await start({ twoTeams: true });
    const team2 = async (b: Record<string, unknown>) => {
      const res = await t.http.post('/v1/schedule').set('Authorization', AUTH2).send(body({ inbox_id: 20, ...b }));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ team_id: 2, user_id: 21, inbox_id: 20 }));
    };
    await createSchedule(t, auth, body({ execute_at: at(30 * MIN) })); // 1, team 1, 12:30
    await team2({ execute_at: at(30 * MIN) }); // 2, team 2, 12:30
    await createSchedule(t, auth, body({ phone_number: PHONE2 })); // 3, team 1, 12:15
    await team2({ phone_number: PHONE2 }); // 4, team 2, 12:15
    await createSchedule(t, auth, body({ phone_number: '14155559877', execute_at: at(30 * MIN) })); // 5, team 1, 12:30

    // Team 1's clock alone reaches 12:15: only team 1's due schedule runs; team 2's (12:15 too) waits for team 2's clock.
    t.clock.advance(15 * MIN);
    expect(t.clockOf(2).now()).toBe(T0);
    expect(await runSchedules(t)).toEqual({ sent: [3], failed: [], errors: [] });
    expect(scheduleRows(t).map((r) => [r.id, r.team_id, r.state])).toEqual([
      [1, 1, 'pending'],
      [2, 2, 'pending'],
      [3, 1, 'sent'],
      [4, 2, 'pending'],
      [5, 1, 'pending'],
    ]);

    // Both clocks at 12:30: one run visits team 1 then team 2, each by execute time, then id.
    t.clock.advance(15 * MIN);
    t.clockOf(2).advance(30 * MIN);
    expect((await runSchedules(t)).sent).toEqual([1, 5, 4, 2]);
    // Each message is dated by its own team's clock.
    expect(messageRows(t).map((m) => [m.team_id, m.schedule_id, m.user_id, m.created])).toEqual([
      [1, 3, 1, T0 + 15 * MIN],
      [1, 1, 1, T0 + 30 * MIN],
      [1, 5, 1, T0 + 30 * MIN],
      [2, 4, 21, T0 + 30 * MIN],
      [2, 2, 21, T0 + 30 * MIN],
    ]);
  });

  it("moving one team's clock runs only that team's work, even far past the other team's due time", async () => {
    const { t, auth } = await start({ twoTeams: true });
    await createSchedule(t, auth); // 1, team 1, 12:15
    const two = await t.http.post('/v1/schedule').set('Authorization', AUTH2).send(body({ inbox_id: 20 })); // 2, team 2, 12:15
    expect(two.status, JSON.stringify(two.body)).toBe(200);
    expect(await advanceSchedules(t, 2 * 60 * MIN, 2)).toEqual({ sent: [2], failed: [], errors: [] });
    expect(t.clockOf(2).now()).toBe(T0 + 2 * 60 * MIN);
    expect(t.clock.now()).toBe(T0);
    expect(scheduleRows(t).map((r) => r.state)).toEqual(['pending', 'sent']);
    expect(await runSchedules(t)).toEqual({ sent: [], failed: [], errors: [] });
    expect(await advanceSchedules(t, 15 * MIN)).toEqual({ sent: [1], failed: [], errors: [] });
  });

  it('runner.advance stops at each execute time so every message is dated at its own time', async () => {
    const { t, auth } = await start();
    await createSchedule(t, auth, body({ execute_at: at(45 * MIN) }));
    await createSchedule(t, auth, body({ phone_number: PHONE2 }));
    await createSchedule(t, auth, body({ execute_at: at(120 * MIN) }));
    expect((await advanceSchedules(t, 60 * MIN))).toEqual({ sent: [2, 1], failed: [], errors: [] });
    expect(t.clock.now()).toBe(T0 + 60 * MIN);
    expect(messageRows(t).map((m) => [m.schedule_id, m.created])).toEqual([
      [2, T0 + 15 * MIN],
      [1, T0 + 45 * MIN],
    ]);
    expect(scheduleRows(t).map((s) => s.state)).toEqual(['sent', 'sent', 'pending']);
    expect((await advanceSchedules(t, 0)).sent).toEqual([]);
  });

  it('the app timer sends a due schedule without being called', async () => {
    // Only the runner's interval is faked (installed before the app starts it); HTTP keeps real timers.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const t = await startApp({}, { tickMs: 1000 });
      const auth = await t.auth();
      await createSchedule(t, auth);
      t.clock.advance(15 * MIN);
      // Nothing runs until the timer ticks.
      await t.app.mock.runner.idle();
      expect(scheduleRows(t)[0]).toEqual(expect.objectContaining({ state: 'pending' }));
      vi.advanceTimersByTime(999);
      await t.app.mock.runner.idle();
      expect(scheduleRows(t)[0]).toEqual(expect.objectContaining({ state: 'pending' }));
      vi.advanceTimersByTime(1);
      await t.app.mock.runner.idle();
      expect(scheduleRows(t)[0]).toEqual(expect.objectContaining({ state: 'sent' }));
      expect(messageRows(t)).toHaveLength(1);
      // Later ticks do not send it again.
      vi.advanceTimersByTime(3000);
      await t.app.mock.runner.idle();
      expect(messageRows(t)).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('scheduled sends and client local_ids', () => {
  it('client local_ids never replay or block a scheduled send', async () => {
    const { t, auth } = await start();
    for (const local_id of ['schedule-1', 'schedule:1', '1']) {
      const sent = await t.http
        .post('/v1/message/send')
        .set('Authorization', auth)
        .send({ inbox_id: 10, creator_id: 1, phone_number: PHONE2, text: 'client', local_id });
      expect(sent.status).toBe(200);
    }
    await createSchedule(t, auth);
    t.clock.advance(20 * MIN);
    expect((await runSchedules(t)).sent).toEqual([1]);
    expect(messageRows(t).map((m) => m.text)).toEqual(['client', 'client', 'client', 'Hello']);
  });
});
