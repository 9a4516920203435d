import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { storeSnapshot, type TestApp } from '../../support/app.js';
import { count, createList, delivered, expectRejected, num, send, sendOk, SMS_INBOX, snapshot, start } from './support.js';

// A list broadcast is written in slices with other requests served in between (issue #7, bug 4;
// docs/decisions.md "broadcast writes"), and stays all or nothing and idempotent by local_id.

const broadcast = (listId: number, extra: Record<string, unknown> = {}) => ({
  inbox_id: SMS_INBOX, creator_id: 1, list_id: listId, local_id: 'big-1', text: 'Sale today', ...extra,
});
const phones = (n: number) => Array.from({ length: n }, (_, i) => String(14155560000 + i));
const exec = (t: TestApp, sql: string) => t.app.mock.db.$client.exec(sql);

describe('a large list broadcast', () => {
  it('a reset between two slices: 409 store_replaced, and nothing of the new store is undone', async () => {
    const { t, auth } = await start();
    const list = await createList(t, auth, { phones: phones(2000) });
    const sending = send(t, auth, broadcast(list));
    let done = false;
    void sending.finally(() => (done = true));
    let made: { id: number; uuid: string } | undefined;
    let afterReset: ReturnType<typeof storeSnapshot> | undefined;
    while (!done && !made) {
      await t.http.get('/__mock/health');
      const n = count(t, 'messages');
      if (n > 0 && n < 2000) {
        expect((await t.http.post('/__mock/reset')).status).toBe(200);
        // A contact of the new store, with an id the old one's broadcast also used (a full reset restarts ids).
        const created = await t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155559999', first: 'After' });
        expect(created.status, JSON.stringify(created.body)).toBe(200);
        made = created.body as { id: number; uuid: string };
        afterReset = storeSnapshot(t);
      }
    }
    const res = await sending;
    expect(made, 'no request was served mid-broadcast').toBeDefined();
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body).toMatchObject({ error: 'bad_data', error_code: 'store_replaced' });
    expect(count(t, 'messages')).toBe(0);
    expect(count(t, 'broadcasts')).toBe(0);
    expect(t.sql('SELECT uuid, first FROM contacts WHERE id = ?', made!.id)).toEqual([{ uuid: made!.uuid, first: 'After' }]);
    // Not a row of the new store changed after the reset: the broadcast neither went on nor undid.
    expect(storeSnapshot(t)).toEqual(afterReset);
  });

  it('2 000 members: one message, conversation and outbox entry each, while health requests are served', async () => {
    const { t, auth } = await start();
    const numbers = phones(2000);
    const list = await createList(t, auth, { phones: numbers });

    // GET /__mock/health in a loop for as long as the broadcast runs.
    let answered = false;
    const latencies: number[] = [];
    let servedMidway = 0;
    const health = (async () => {
      while (!answered) {
        const t0 = performance.now();
        const res = await t.http.get('/__mock/health');
        latencies.push(performance.now() - t0);
        expect(res.status).toBe(200);
        // The broadcast is part-written: this request was served between two of its slices.
        const n = count(t, 'messages');
        if (n > 0 && n < 2000) servedMidway++;
      }
    })();
    const started = performance.now();
    const res = await send(t, auth, broadcast(list));
    const took = performance.now() - started;
    answered = true;
    await health;
    console.log(
      `2000-member broadcast: ${took.toFixed(0)} ms; ${latencies.length} GET /__mock/health meanwhile, worst ${Math.max(...latencies).toFixed(1)} ms, ${servedMidway} served mid-broadcast`,
    );

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(servedMidway).toBeGreaterThan(0);
    expect(count(t, 'messages')).toBe(2000);
    expect(count(t, 'conversations')).toBe(2000);
    expect(count(t, 'contacts')).toBe(2000);
    expect(count(t, 'broadcasts')).toBe(1);
    const rows = t.sql<{ id: number; conversation_id: number; target: string; broadcast_id: number }>('SELECT id, conversation_id, target, broadcast_id FROM messages ORDER BY id');
    expect(rows.map((r) => r.target)).toEqual(numbers);
    expect(new Set(rows.map((r) => r.conversation_id)).size).toBe(2000);
    expect(new Set(rows.map((r) => r.broadcast_id)).size).toBe(1);
    expect(res.body.id).toBe(rows[0]!.id);
    expect(delivered(t).map((d) => d.to)).toEqual(numbers.map((n) => [n]));
    // Every lightweight entry now points at its new contact.
    expect(t.sql('SELECT count(*) AS n FROM list_members WHERE contact_id IS NULL')).toEqual([{ n: 0 }]);
    // The send key holds the final answer (no in-progress marker left).
    expect(t.sql<{ response: string }>('SELECT response FROM send_keys').map((r) => JSON.parse(r.response))).toEqual([res.body]);

    // The same local_id again: the same answer, nothing written.
    const after = snapshot(t);
    const again = await send(t, auth, broadcast(list, { text: 'different' }));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    expect(snapshot(t)).toEqual(after);
  });

  it('a repeat that arrives while the broadcast is being written waits for it and answers the same', async () => {
    const { t, auth } = await start();
    const list = await createList(t, auth, { phones: phones(400) });
    const [a, b, c] = await Promise.all([send(t, auth, broadcast(list)), send(t, auth, broadcast(list)), send(t, auth, broadcast(list))]);
    for (const r of [a, b, c]) expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(b.body).toEqual(a.body);
    expect(c.body).toEqual(a.body);
    expect(count(t, 'messages')).toBe(400);
    expect(count(t, 'outbox')).toBe(400);
    expect(count(t, 'broadcasts')).toBe(1);
    expect(count(t, 'send_keys')).toBe(1);
  });

  it('a failure mid-way undoes the slices already written: the store is as before, and the local_id is free again', async () => {
    const { t, auth } = await start();
    const numbers = phones(300);
    // Member 0 has a closed conversation already: the broadcast reopens it, the undo closes it again.
    const earlier = await sendOk(t, auth, { inbox_id: SMS_INBOX, creator_id: 1, phone_number: numbers[0], text: 'earlier' });
    const close = await t.http.post('/v1/conversations/close').set('Authorization', auth).send({ inbox_id: SMS_INBOX, user_id: 1, target: numbers[0] });
    expect(close.status, JSON.stringify(close.body)).toBe(200);
    const list = await createList(t, auth, { phones: numbers });
    // The delivery to member 280 fails (as a full disk would), long after the first slices committed.
    exec(t, `CREATE TRIGGER fail_late BEFORE INSERT ON outbox WHEN NEW."to" = '["${numbers[280]}"]' BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const before = storeSnapshot(t);
    const res = await send(t, auth, broadcast(list));
    expect(res.status, JSON.stringify(res.body)).toBe(500);
    expect(res.body.error).toBe('server_error');
    expect(storeSnapshot(t)).toEqual(before);

    exec(t, 'DROP TRIGGER fail_late');
    const ok = await sendOk(t, auth, broadcast(list));
    expect(count(t, 'messages')).toBe(301);
    expect(t.sql<{ id: number }>('SELECT min(id) AS id FROM messages WHERE broadcast_id IS NOT NULL')[0]!.id).toBe(ok.id);
    expect(t.sql('SELECT status FROM conversations WHERE target = ?', numbers[0])).toEqual([{ status: 'open' }]);
    expect(earlier.id).toBeLessThan(ok.id);
  });

  it('a broadcast whose run died mid-way is resumed by a repeat: the rest is sent, nobody twice', async () => {
    const { t, auth } = await start();
    const numbers = phones(300);
    const list = await createList(t, auth, { phones: numbers });
    // The run fails at member 200, and so does its undo: what it wrote stays, as after a crash.
    exec(t, `CREATE TRIGGER fail_late BEFORE INSERT ON outbox WHEN NEW."to" = '["${numbers[200]}"]' BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    exec(t, `CREATE TRIGGER fail_undo BEFORE DELETE ON messages BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    expect((await send(t, auth, broadcast(list))).status).toBe(500);
    const partial = count(t, 'messages');
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(300);
    expect(JSON.parse(t.sql<{ response: string }>('SELECT response FROM send_keys')[0]!.response)).toMatchObject({ in_progress: true });

    exec(t, 'DROP TRIGGER fail_late; DROP TRIGGER fail_undo;');
    // The repeat resumes with the request the broadcast was started with, not its own text.
    const ok = await sendOk(t, auth, broadcast(list, { text: 'another text' }));
    const rows = t.sql<{ id: number; target: string; text: string }>('SELECT id, target, text FROM messages ORDER BY id');
    expect(rows.map((r) => r.target)).toEqual(numbers);
    expect(new Set(rows.map((r) => r.text))).toEqual(new Set(['Sale today']));
    expect(ok.id).toBe(rows[0]!.id);
    expect(count(t, 'outbox')).toBe(300);
    expect(count(t, 'broadcasts')).toBe(1);
    expect(t.sql<{ response: string }>('SELECT response FROM send_keys').map((r) => JSON.parse(r.response))).toEqual([ok]);
  });

  it('a member who opts out while the broadcast runs is skipped by the later slice', async () => {
    const { t, auth } = await start();
    const numbers = phones(300);
    const batch = await t.http.post('/v1/batch/contacts').set('Authorization', auth).send(numbers.map((phone) => ({ phone })));
    expect(batch.status, JSON.stringify(batch.body)).toBe(200);
    const list = await createList(t, auth, { phones: numbers });
    // Member 299 opts out as soon as member 100 has its message (a later slice: at most 50 members each).
    exec(t, `CREATE TRIGGER opt_out AFTER INSERT ON messages WHEN NEW.target = '${numbers[100]}' BEGIN UPDATE contacts SET unsubscribed = 1 WHERE phone = '${numbers[299]}'; END`);
    await sendOk(t, auth, broadcast(list));
    expect(t.sql<{ target: string }>('SELECT target FROM messages ORDER BY id').map((r) => r.target)).toEqual(numbers.slice(0, 299));
  });

  it('a list nobody on it can receive fails before anything is written', async () => {
    const { t, auth } = await start();
    const list = await createList(t, auth, { phones: [num(1)] });
    await sendOk(t, auth, broadcast(list));
    const contact = t.sql<{ id: number }>('SELECT id FROM contacts')[0]!.id;
    const status = await t.http.post('/v1/contact/set_status').set('Authorization', auth).send({ id: contact, status: 'unsubscribed' });
    expect(status.status).toBe(200);
    await expectRejected(t, () => send(t, auth, broadcast(list, { local_id: 'big-2' })), 400, 'bad_data', 'list_id');
  });
});
