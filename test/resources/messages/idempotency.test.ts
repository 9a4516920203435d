import { describe, expect, it } from 'vitest';
import {
  AUTH2, count, createList, delivered, expectRejected, N1, N2, N3, send, sendOk, sms, SMS_INBOX, snapshot, start, startTwo,
} from './support.js';

const KEY = 'a3c1b6a0-5a8e-4a52-9f0e-6c7b2d9e1f10';

describe('POST /v1/message/send: local_id idempotency (rule 11/12, gap G7)', () => {
  it('the same local_id returns the original response and creates nothing new, even with another body later', async () => {
    const { t, auth } = await start();
    const first = await sendOk(t, auth, sms(N1, { text: 'once', local_id: KEY }));
    const after = snapshot(t);
    t.clock.advance(60_000);
    const again = await send(t, auth, sms(N1, { text: 'once', local_id: KEY }));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first);
    const changed = await send(t, auth, sms(N2, { text: 'different', local_id: KEY, media_url: 'https://cdn.example.com/x.png' }));
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual(first);
    expect(snapshot(t)).toEqual(after);
    expect(delivered(t).map((d) => d.text)).toEqual(['once']);
  });

  it('20 concurrent identical sends → one message, one conversation, one outbox entry; every answer is the same', async () => {
    const { t, auth } = await start();
    const body = sms(N1, { text: 'exactly once', local_id: KEY });
    const results = await Promise.all(Array.from({ length: 20 }, () => send(t, auth, body)));
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const ids = new Set(results.map((r) => JSON.stringify(r.body)));
    expect(ids.size).toBe(1);
    expect(count(t, 'messages')).toBe(1);
    expect(count(t, 'conversations')).toBe(1);
    expect(count(t, 'contacts')).toBe(1);
    expect(count(t, 'send_keys')).toBe(1);
    expect(delivered(t)).toEqual([expect.objectContaining({ message_id: results[0]!.body.id, text: 'exactly once', to: [N1] })]);
  });

  it('20 concurrent sends to a new number without local_id → 20 messages but one contact and one conversation', async () => {
    const { t, auth } = await start();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => send(t, auth, sms(N1, { text: `m${i}` }))));
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(20);
    expect(count(t, 'messages')).toBe(20);
    expect(count(t, 'outbox')).toBe(20);
    expect(count(t, 'contacts')).toBe(1);
    expect(count(t, 'conversations')).toBe(1);
  });

  it('without local_id, repeating a send sends twice (G7: not idempotent)', async () => {
    const { t, auth } = await start();
    const a = await sendOk(t, auth, sms(N1));
    const b = await sendOk(t, auth, sms(N1));
    expect(b.id).not.toBe(a.id);
    expect(count(t, 'outbox')).toBe(2);
    expect(count(t, 'send_keys')).toBe(0);
  });

  it('a retried broadcast with the same local_id is not sent twice', async () => {
    const { t, auth } = await start();
    const list = await createList(t, auth, { phones: [N1, N2, N3] });
    const body = { inbox_id: SMS_INBOX, creator_id: 1, list_id: list, local_id: KEY, text: 'sale' };
    const first = await sendOk(t, auth, body);
    const after = snapshot(t);
    const again = await Promise.all(Array.from({ length: 5 }, () => send(t, auth, body)));
    for (const r of again) expect(r.body).toEqual(first);
    expect(snapshot(t)).toEqual(after);
    expect(count(t, 'messages')).toBe(3);
    expect(count(t, 'outbox')).toBe(3);
    expect(count(t, 'broadcasts')).toBe(1);
  });

  it('a rejected send does not use up its local_id', async () => {
    const { t, auth } = await start();
    await expectRejected(t, () => send(t, auth, sms(N1, { text: '', local_id: KEY })), 400, 'bad_data', 'text');
    await expectRejected(t, () => send(t, auth, sms(N1, { creator_id: 3, local_id: KEY })), 403, 'denied', 'creator_id');
    const ok = await sendOk(t, auth, sms(N1, { text: 'fixed', local_id: KEY }));
    expect(delivered(t)).toEqual([expect.objectContaining({ message_id: ok.id, text: 'fixed' })]);
  });

  it('different local_ids are different sends', async () => {
    const { t, auth } = await start();
    const a = await sendOk(t, auth, sms(N1, { local_id: 'one' }));
    const b = await sendOk(t, auth, sms(N1, { local_id: 'two' }));
    expect(a.id).not.toBe(b.id);
    expect(count(t, 'messages')).toBe(2);
  });

  it('another team may use the same local_id: its send is its own', async () => {
    const { t, auth } = await startTwo();
    const one = await sendOk(t, auth, sms(N1, { text: 'team one', local_id: KEY }));
    const two = await sendOk(t, AUTH2, { inbox_id: 20, creator_id: 21, phone_number: N1, text: 'team two', local_id: KEY });
    expect(two.id).not.toBe(one.id);
    expect(t.sql('SELECT team_id, text FROM messages ORDER BY id')).toEqual([
      { team_id: 1, text: 'team one' },
      { team_id: 2, text: 'team two' },
    ]);
    expect(t.sql('SELECT team_id, "from", text FROM outbox ORDER BY id')).toEqual([
      { team_id: 1, from: '14155550100', text: 'team one' },
      { team_id: 2, from: '14155550200', text: 'team two' },
    ]);
    // And each team's repeat still answers its own first response.
    expect((await send(t, auth, sms(N1, { text: 'team one', local_id: KEY }))).body).toEqual(one);
    expect((await send(t, AUTH2, { inbox_id: 20, creator_id: 21, phone_number: N1, text: 'team two', local_id: KEY })).body).toEqual(two);
    expect(count(t, 'messages')).toBe(2);
  });
});
