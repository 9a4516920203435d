import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { TEAM2, twoTeamSeed } from '../db/fixtures.js';
import { expectRejected, startApp, T0, type TestApp } from '../support/app.js';

const AUTH2 = `Bearer ${TEAM2.apiKey}`;

/** Resolves once `n` long-poll requests are held by the server (each listens for shutdown). */
async function heldPolls(t: TestApp, n: number) {
  for (let i = 0; i < 10_000; i++) {
    if (getEventListeners(t.app.mock.closing, 'abort').length >= n) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`the server never held ${n} long-polls`);
}


async function sms(t: TestApp, auth: string, phone: string, text: string, extra: Record<string, unknown> = {}) {
  const res = await t.http.post('/v1/message/send').set('Authorization', auth).send({ inbox_id: 10, creator_id: 1, phone_number: phone, text, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { id: number };
}
const outbox = async (t: TestApp, auth: string, query = '') => {
  const res = await t.http.get(`/__mock/outbox${query}`).set('Authorization', auth);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { entries: Array<Record<string, unknown>>; last_id: number };
};

describe('GET /__mock/outbox', () => {
  it('shows every delivery as the recipient got it, with codes, links, segments and encoding', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const sent = await sms(t, auth, '14155551234', 'Your code is 482913. Sign in at https://app.test/login.', { local_id: 'otp-1' });
    const body = await outbox(t, auth);
    expect(body.last_id).toBe(1);
    expect(body.entries).toEqual([
      {
        id: 1,
        message_id: sent.id,
        conversation_id: 1,
        inbox_id: 10,
        channel: 'sms',
        from: '14155550100',
        to: ['14155551234'],
        cc: [],
        subject: '',
        text: 'Your code is 482913. Sign in at https://app.test/login.',
        media_url: '',
        local_id: 'otp-1',
        status: 'sent',
        error_code: null,
        codes: ['482913'],
        links: ['https://app.test/login'],
        segments: 1,
        encoding: 'GSM-7',
        created: new Date(T0).toISOString(),
      },
    ]);
    expect((await t.http.get('/__mock/outbox/1').set('Authorization', auth)).body).toEqual(body.entries[0]);
  });

  it('filters by to (any recipient, any case of an address), channel, message_id, local_id, since_id; orders and limits', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const a = await sms(t, auth, '14155551234', 'one', { local_id: 'a' });
    await sms(t, auth, '14155559876', 'two');
    await sms(t, auth, '14155551234', 'three 😀');
    const mail = await t.http.post('/v1/email/send').set('Authorization', auth).send({ inbox: 12, creator_id: 1, targets: ['to:Pat@Example.com', 'cc:boss@example.com'], text: 'hello', conv_title: 'Welcome 2024' });
    expect(mail.status, JSON.stringify(mail.body)).toBe(200);

    expect((await outbox(t, auth, '?to=14155551234')).entries.map((e) => e.text)).toEqual(['three 😀', 'one']);
    expect((await outbox(t, auth, '?to=14155551234&order=asc&limit=1')).entries.map((e) => e.text)).toEqual(['one']);
    expect((await outbox(t, auth, '?to=BOSS@example.com')).entries.map((e) => e.channel)).toEqual(['email']);
    const email = (await outbox(t, auth, '?channel=email')).entries[0]!;
    expect(email).toMatchObject({ to: ['Pat@Example.com'], cc: ['boss@example.com'], subject: 'Welcome 2024', segments: null, encoding: null, codes: ['2024'] });
    expect((await outbox(t, auth, `?message_id=${a.id}`)).entries.map((e) => e.text)).toEqual(['one']);
    expect((await outbox(t, auth, '?local_id=a')).entries.map((e) => e.text)).toEqual(['one']);
    const since = await outbox(t, auth, '?since_id=2&order=asc');
    expect(since.entries.map((e) => e.id)).toEqual([3, 4]);
    expect(since.last_id).toBe(4);
    expect((await outbox(t, auth, '?to=14155551234')).entries[0]).toMatchObject({ encoding: 'UCS-2', segments: 1 });
  });

  it("keeps teams apart: team 2 never sees team 1's outbox, and GET of another team's entry is 404", async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    const auth = await t.auth();
    await sms(t, auth, '14155551234', 'team one');
    expect(await outbox(t, AUTH2)).toEqual({ entries: [], last_id: 0 });
    await expectRejected(t, () => t.http.get('/__mock/outbox/1').set('Authorization', AUTH2), 404, 'not_found', 'id');
  });

  it('DELETE empties the outbox (204) and leaves history alone', async () => {
    const t = await startApp();
    const auth = await t.auth();
    await sms(t, auth, '14155551234', 'gone');
    expect((await t.http.delete('/__mock/outbox').set('Authorization', auth)).status).toBe(204);
    expect((await outbox(t, auth)).entries).toEqual([]);
    expect((await t.http.get('/v1/messages?inboxID=10&phoneNumber=14155551234').set('Authorization', auth)).status).toBe(200);
    expect(t.sql('SELECT COUNT(*) AS n FROM messages')).toEqual([{ n: 1 }]);
  });

  it('refuses bad filters naming the field, and needs team credentials', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const get = (q: string) => () => t.http.get(`/__mock/outbox${q}`).set('Authorization', auth);
    await expectRejected(t, get('?limit=0'), 400, 'bad_data', 'limit');
    await expectRejected(t, get('?limit=501'), 400, 'bad_data', 'limit');
    await expectRejected(t, get('?wait=31'), 400, 'bad_data', 'wait');
    await expectRejected(t, get('?order=newest'), 400, 'bad_data', 'order');
    await expectRejected(t, get('?channel=fax'), 400, 'bad_data', 'channel');
    await expectRejected(t, get('?colour=red'), 400, 'bad_data');
    await expectRejected(t, () => t.http.get('/__mock/outbox'), 401, 'unauthorized');
  });

  it('keeps at most HEYMARKET_MOCK_LOG_MAX entries per team, dropping the oldest', async () => {
    const t = await startApp({ logMax: 3 });
    const auth = await t.auth();
    for (let i = 1; i <= 5; i++) await sms(t, auth, '14155551234', `m${i}`);
    const body = await outbox(t, auth, '?order=asc');
    expect(body.entries.map((e) => e.text)).toEqual(['m3', 'm4', 'm5']);
    expect(body.last_id).toBe(5);
  });
});

describe('long-poll wait', () => {
  it('wakes on the write itself and answers the new entry', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const mark = (await outbox(t, auth)).last_id;
    const held = t.http.get(`/__mock/outbox?to=14155551234&since_id=${mark}&wait=10`).set('Authorization', auth).then((r) => r);
    // Another team's or another number's write does not answer it.
    await sms(t, auth, '14155559876', 'not for you');
    await sms(t, auth, '14155551234', 'code 7788');
    const res = await held;
    expect(res.status).toBe(200);
    expect(res.body.entries.map((e: { text: string }) => e.text)).toEqual(['code 7788']);
  });

  it('answers 200 with no entries when the wait runs out', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const res = await t.http.get('/__mock/outbox?to=14155551234&wait=0.05').set('Authorization', auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ entries: [], last_id: 0 });
  });

  it('answers a held request at once when the server shuts down', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const held = t.http.get('/__mock/outbox?wait=30').set('Authorization', auth).then((r) => r);
    await heldPolls(t, 1);
    await t.app.close();
    const res = await held;
    expect(res.status).toBe(200);
    expect(res.body.entries).toEqual([]);
  });
});

describe('long-poll over a real socket (Node fetch)', () => {
  it('a held fetch wakes on a send made by another client, and another held fetch is answered when the server closes', async () => {
    const t = await startApp();
    const auth = await t.auth();
    const address = t.app.server.address() as { port: number };
    const base = `http://127.0.0.1:${address.port}`;
    const held = fetch(`${base}/__mock/outbox?to=14155551234&wait=10`, { headers: { Authorization: auth } }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const send = await fetch(`${base}/v1/message/send`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ inbox_id: 10, creator_id: 1, phone_number: '14155551234', text: 'over the wire 4321' }),
    });
    expect(send.status).toBe(200);
    const woke = await held;
    expect(woke.status).toBe(200);
    expect(woke.body.entries.map((e: { codes: string[] }) => e.codes)).toEqual([['4321']]);

    const waiting = fetch(`${base}/__mock/events?wait=30`, { headers: { Authorization: auth } }).then(async (r) => ({ status: r.status, body: await r.json() }));
    await heldPolls(t, 1);
    await t.app.close();
    expect(await waiting).toEqual({ status: 200, body: { entries: [], last_id: 0 } });
  });
});
