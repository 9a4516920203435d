import { getEventListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageVersion } from '../../src/core/version.js';
import { teamGate } from '../../src/db/team-gate.js';
import { team2, twoTeamSeed, writeSeed } from '../db/fixtures.js';
import { expectRejected, startApp, T0, type TestApp } from '../support/app.js';
import { apiFor, ok, TEAM2_AUTH, type Api } from '../support/api.js';
import { startReceiver } from '../support/receiver.js';

const PHONE = '14155551234';

/** A refused request: the error class for its status, the rule's error_code, the field, and an unchanged store. */
async function refused(t: TestApp, send: () => PromiseLike<any>, status: number, errorCode: string, field?: string | null) {
  const res = await expectRejected(t, send, status, status === 404 ? 'not_found' : 'bad_data', field);
  expect((res.body as { error_code?: string }).error_code).toBe(errorCode);
  return res;
}

/** Resolves once `n` long-poll requests are held by the server (each listens for shutdown). */
async function heldPolls(t: TestApp, n: number) {
  for (let i = 0; i < 10_000; i++) {
    if (getEventListeners(t.app.mock.closing, 'abort').length >= n) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`the server never held ${n} long-polls`);
}

/** Starts every due attempt and waits until none is in flight (no timers). */
async function deliver(t: TestApp) {
  await t.runDue();
  await t.app.webhooks.idle();
}

const register = async (api: Api, body: Record<string, unknown>) => {
  const res = await api.post('/__mock/webhooks', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: number; url: string; events: string[]; token: string; created: string };
};
const deliveries = (api: Api, query: Record<string, string | number> = {}) =>
  ok<{ entries: Array<Record<string, any>>; last_id: number }>(api.get('/__mock/webhooks/deliveries', query));
async function customerWrites(api: Api, text: string, from = PHONE, inbox_id = 10) {
  const res = await api.post('/__mock/inbound', { inbox_id, from, text });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { message_id: number; conversation_id: number };
}

describe('/__mock/webhooks registrations', () => {
  it('creates, lists, gets and deletes, per team', async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    const api = apiFor(t);
    const a = await register(api, { url: 'http://127.0.0.1:9/a', events: ['message_recieved', 'target_opt_out'], token: 'secret-a' });
    expect(a).toEqual({ id: 1, url: 'http://127.0.0.1:9/a', events: ['message_recieved', 'target_opt_out'], token: 'secret-a', created: new Date(T0).toISOString() });
    const b = await register(api, { url: 'https://example.test/b' });
    expect(b.events).toEqual(['message_sent', 'message_recieved', 'chat_opened', 'chat_closed', 'chat_reassigned', 'chat_transferred', 'target_opt_out', 'target_opt_in']);
    expect(b.token).toMatch(/^[0-9a-f]{32}$/);
    expect(await ok(api.get('/__mock/webhooks'))).toEqual([a, b]);
    expect(await ok(api.get('/__mock/webhooks/1'))).toEqual(a);
    // Another team sees none of them.
    expect(await ok(api.as(TEAM2_AUTH).get('/__mock/webhooks'))).toEqual([]);
    await refused(t, () => api.as(TEAM2_AUTH).get('/__mock/webhooks/1'), 404, 'not_found', 'id');
    await refused(t, () => api.as(TEAM2_AUTH).delete('/__mock/webhooks/1'), 404, 'not_found', 'id');
    expect((await api.delete('/__mock/webhooks/1')).status).toBe(204);
    expect(await ok(api.get('/__mock/webhooks'))).toEqual([b]);
    await refused(t, () => api.get('/__mock/webhooks/1'), 404, 'not_found', 'id');
    expect((await t.http.get('/__mock/webhooks')).status).toBe(401);
  });

  it('refuses a bad url, an unknown or empty event list, a bad token and unknown fields, changing nothing', async () => {
    const t = await startApp();
    const api = apiFor(t);
    await refused(t, () => api.post('/__mock/webhooks', {}), 400, 'required_field', 'url');
    await refused(t, () => api.post('/__mock/webhooks', { url: 'ftp://example.test/x' }), 400, 'invalid_format', 'url');
    await refused(t, () => api.post('/__mock/webhooks', { url: 'not a url' }), 400, 'invalid_format', 'url');
    await refused(t, () => api.post('/__mock/webhooks', { url: 'http://127.0.0.1/x', events: ['message_received'] }), 400, 'invalid_value', 'events[0]');
    await refused(t, () => api.post('/__mock/webhooks', { url: 'http://127.0.0.1/x', events: [] }), 400, 'too_small', 'events');
    await refused(t, () => api.post('/__mock/webhooks', { url: 'http://127.0.0.1/x', token: '' }), 400, 'too_small', 'token');
    await refused(t, () => api.post('/__mock/webhooks', { url: 'http://127.0.0.1/x', secret: 'x' }), 400, 'unknown_field');
    await refused(t, () => api.get('/__mock/webhooks/deliveries', { status: 'done' }), 400, 'invalid_value', 'status');
    await refused(t, () => api.get('/__mock/webhooks/deliveries', { type: 'message_received' }), 400, 'invalid_value', 'type');
  });

  it('holds at most 50 webhooks per team', async () => {
    const t = await startApp();
    const api = apiFor(t);
    for (let i = 0; i < 50; i++) await register(api, { url: `http://127.0.0.1:9/${i}` });
    await refused(t, () => api.post('/__mock/webhooks', { url: 'http://127.0.0.1:9/x' }), 400, 'webhook_limit', null);
  });
});

describe('webhook delivery', () => {
  it('delivers each event type with the exact payload, token and headers, in event order', async () => {
    const rx = await startReceiver();
    const only = await startReceiver();
    const t = await startApp();
    const api = apiFor(t);
    const hook = await register(api, { url: rx.url, token: 'tok-1' });
    const optOnly = await register(api, { url: only.url, events: ['target_opt_out'] });
    await customerWrites(api, 'hello');
    await customerWrites(api, 'STOP');
    await customerWrites(api, 'START');
    const act = async (path: string, b: object) => ok(api.post(`/v1/conversations/${path}`, { inbox_id: 10, user_id: 1, target: PHONE, ...b }));
    await act('close', {});
    await act('open', {});
    await act('reassign', { reassign_id: 2 });
    await ok(api.post('/__mock/agent/send', { conversation_id: 1, member_id: 1, text: 'from the app' }));
    await ok(api.post('/v1/conversations/transfer', { conversation_id: 1, transfer_inbox_id: 11 }));
    // An API send fires no message_sent by default.
    await ok(api.post('/v1/message/send', { inbox_id: 10, creator_id: 1, phone_number: '14155550999', text: 'api' }));
    expect(rx.received).toEqual([]); // nothing leaves before due work runs
    await deliver(t);

    const events = (await ok<{ entries: Array<{ id: number; type: string; event_data: unknown }> }>(api.get('/__mock/events', { order: 'asc', limit: 500 }))).entries;
    expect(events.map((e) => e.type)).toEqual([
      'message_recieved',
      'message_recieved',
      'target_opt_out',
      'message_recieved',
      'target_opt_in',
      'chat_closed',
      'chat_opened',
      'chat_reassigned',
      'message_sent',
      'chat_transferred',
    ]);
    expect(rx.received.map((r) => r.body)).toEqual(events.map((e) => ({ type: e.type, id: hook.id, token: 'tok-1', event_data: e.event_data })));
    const log = (await deliveries(api, { order: 'asc', webhook_id: hook.id, limit: 500 })).entries;
    rx.received.forEach((r, i) => {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['user-agent']).toBe(`heymarket-mock/${packageVersion()}`);
      expect(r.headers['x-heymarket-mock-delivery']).toBe(String(log[i]!.id));
      expect(r.headers['x-heymarket-mock-attempt']).toBe('1');
    });
    const optOut = events.find((e) => e.type === 'target_opt_out')!;
    expect(optOut.event_data).toMatchObject({ inbox_id: 10, unsubscribed: true });
    expect(only.received.map((r) => r.body)).toEqual([{ type: 'target_opt_out', id: optOnly.id, token: optOnly.token, event_data: optOut.event_data }]);
    expect(log[0]).toEqual({
      id: log[0]!.id,
      webhook_id: hook.id,
      event_id: events[0]!.id,
      type: 'message_recieved',
      url: rx.url,
      status: 'succeeded',
      attempts: [{ n: 1, at: new Date(T0).toISOString(), response_status: 200, error: null, latency_ms: expect.any(Number) }],
      next_attempt_at: null,
      created: new Date(T0).toISOString(),
    });
    expect(log.every((d) => d.status === 'succeeded')).toBe(true);
  });

  it('fires message_sent for API sends with HEYMARKET_MOCK_API_SEND_EVENTS=true', async () => {
    const rx = await startReceiver();
    const t = await startApp({ apiSendEvents: true });
    const api = apiFor(t);
    const hook = await register(api, { url: rx.url, events: ['message_sent'] });
    const sent = await ok<{ id: number }>(api.post('/v1/message/send', { inbox_id: 10, creator_id: 1, phone_number: '14155550999', text: 'api' }));
    await deliver(t);
    expect(rx.received).toHaveLength(1);
    expect(rx.received[0]!.body).toMatchObject({ type: 'message_sent', id: hook.id, token: hook.token, event_data: { id: sent.id, text: 'api' } });
  });

  it('retries a 500 after 1 s by the team clock; the log shows both attempts', async () => {
    const rx = await startReceiver((n) => (n === 1 ? 500 : 200));
    const t = await startApp();
    const api = apiFor(t);
    await register(api, { url: rx.url });
    await customerWrites(api, 'hello');
    await deliver(t);
    let [d] = (await deliveries(api)).entries;
    expect(d).toMatchObject({ status: 'pending', next_attempt_at: new Date(T0 + 1000).toISOString() });
    expect(d!.attempts).toEqual([{ n: 1, at: new Date(T0).toISOString(), response_status: 500, error: 'answered 500, not a 2xx', latency_ms: expect.any(Number) }]);
    await ok(api.post('/__mock/clock', { advance_ms: 999 }));
    expect(rx.received).toHaveLength(1);
    await ok(api.post('/__mock/clock', { advance_ms: 1 }));
    expect(rx.received).toHaveLength(2);
    expect(rx.received[1]!.headers['x-heymarket-mock-attempt']).toBe('2');
    expect(rx.received[1]!.body).toEqual(rx.received[0]!.body);
    [d] = (await deliveries(api)).entries;
    expect(d).toMatchObject({ status: 'succeeded', next_attempt_at: null });
    expect(d!.attempts.map((a: any) => [a.n, a.at, a.response_status, a.error])).toEqual([
      [1, new Date(T0).toISOString(), 500, 'answered 500, not a 2xx'],
      [2, new Date(T0 + 1000).toISOString(), 200, null],
    ]);
  });

  it('makes six attempts on the 1 s, 5 s, 30 s, 2 min, 10 min schedule, then fails; refused connections count', async () => {
    const rx = await startReceiver(() => 503);
    const t = await startApp();
    const api = apiFor(t);
    const gone = await startReceiver();
    await gone.close(); // nothing listens on its port any more
    const dead = await register(api, { url: gone.url });
    await register(api, { url: rx.url });
    await customerWrites(api, 'hello');
    await deliver(t);
    await ok(api.post('/__mock/clock', { advance: '1d' }));
    const log = (await deliveries(api, { order: 'asc' })).entries;
    for (const d of log) {
      expect(d.status).toBe('failed');
      expect(d.next_attempt_at).toBeNull();
      expect(d.attempts.map((a: any) => Date.parse(a.at) - T0)).toEqual([0, 1_000, 6_000, 36_000, 156_000, 756_000]);
    }
    expect(log[0]!.webhook_id).toBe(dead.id);
    expect(log[0]!.attempts[0]).toMatchObject({ response_status: 0, error: expect.stringMatching(/ECONNREFUSED/) });
    expect(rx.received.map((r) => r.headers['x-heymarket-mock-attempt'])).toEqual(['1', '2', '3', '4', '5', '6']);
    expect((await deliveries(api, { status: 'failed' })).entries).toHaveLength(2);
  });

  it('a receiver that never answers does not slow a send down (ratio against no webhook)', async () => {
    const rx = await startReceiver(() => 'hold');
    const t = await startApp({ webhookTimeoutMs: 60_000 }, { wakeRunner: true });
    const api = apiFor(t);
    const auth = await t.auth();
    const send = async (i: number) => {
      const started = performance.now();
      const res = await t.http.post('/__mock/inbound').set('Authorization', auth).send({ inbox_id: 10, from: `1415555${String(1000 + i)}`, text: 'hi' });
      expect(res.status).toBe(201);
      return performance.now() - started;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const base: number[] = [];
    for (let i = 0; i < 15; i++) base.push(await send(i));
    await register(api, { url: rx.url });
    const withHook: number[] = [];
    for (let i = 15; i < 30; i++) withHook.push(await send(i));
    await rx.waitHeld(1); // the receiver really is holding an attempt open
    const ratio = median(withHook) / median(base);
    console.log(`webhook to a dead receiver: send median ${median(withHook).toFixed(2)} ms vs ${median(base).toFixed(2)} ms without (ratio ${ratio.toFixed(2)})`);
    expect(ratio, `median ${median(withHook).toFixed(2)} ms vs ${median(base).toFixed(2)} ms`).toBeLessThan(3);
  });

  it('keeps at most HEYMARKET_MOCK_WEBHOOK_CONCURRENCY attempts (and sockets) open at once', async () => {
    const rx = await startReceiver(() => 'hold');
    const t = await startApp({ webhookConcurrency: 3 });
    const api = apiFor(t);
    for (let i = 0; i < 6; i++) await register(api, { url: rx.url });
    for (let i = 0; i < 5; i++) await customerWrites(api, `m${i}`);
    expect((await deliveries(api, { status: 'pending', limit: 500 })).entries).toHaveLength(30);
    await t.runDue();
    let seen = 0;
    while (seen < 30) {
      await rx.waitHeld(Math.min(3, 30 - seen));
      seen = rx.received.length;
      expect(rx.held.length).toBeLessThanOrEqual(3);
      expect(t.app.webhooks.active).toBeLessThanOrEqual(3);
      expect(rx.sockets()).toBeLessThanOrEqual(3);
      rx.dropHeld();
    }
    await t.app.webhooks.idle();
    expect(rx.received).toHaveLength(30);
    const log = (await deliveries(api, { limit: 500 })).entries;
    expect(log.every((d) => d.status === 'pending' && d.attempts.length === 1 && d.attempts[0].response_status === 0)).toBe(true);
  });

  it("never sends team A's deliveries to team B's receivers", async () => {
    const rxA = await startReceiver();
    const rxB = await startReceiver();
    const t = await startApp({ seed: twoTeamSeed() });
    const a = apiFor(t);
    const b = a.as(TEAM2_AUTH);
    await register(a, { url: rxA.url, token: 'a' });
    await register(b, { url: rxB.url, token: 'b' });
    await customerWrites(a, 'for team one');
    await customerWrites(b, 'for team two', PHONE, 20);
    await deliver(t);
    expect(rxA.received.map((r) => [r.body.token, r.body.event_data.text])).toEqual([['a', 'for team one']]);
    expect(rxB.received.map((r) => [r.body.token, r.body.event_data.text])).toEqual([['b', 'for team two']]);
    const logA = await deliveries(a);
    expect((await deliveries(b)).entries.map((d) => d.id)).not.toContain(logA.entries[0]!.id);
    await refused(t, () => b.post(`/__mock/webhooks/deliveries/${logA.entries[0]!.id}/redeliver`), 404, 'not_found', 'id');
  });

  it('starts no attempt for a team being written whole (held by the team gate); other teams deliver meanwhile', async () => {
    const rxA = await startReceiver();
    const rxB = await startReceiver();
    const t = await startApp({ seed: twoTeamSeed() });
    const a = apiFor(t);
    const b = a.as(TEAM2_AUTH);
    await register(a, { url: rxA.url });
    await register(b, { url: rxB.url });
    await customerWrites(a, 'held');
    await customerWrites(b, 'free', PHONE, 20);
    let release!: () => void;
    const hold = teamGate(t.app.mock.db).run(1, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setImmediate(r));
    t.app.webhooks.pump(1);
    await deliver(t);
    expect(rxA.received).toHaveLength(0);
    expect(rxB.received.map((r) => r.body.event_data.text)).toEqual(['free']);
    release();
    await hold;
    await deliver(t);
    expect(rxA.received.map((r) => r.body.event_data.text)).toEqual(['held']);
  });

  it('a redeliver while an attempt is in flight lets that attempt end, then makes its own (no refusal)', async () => {
    const rx = await startReceiver((n) => (n === 1 ? 'hold' : 200));
    const t = await startApp();
    const api = apiFor(t);
    await register(api, { url: rx.url });
    await customerWrites(api, 'hello');
    await t.runDue();
    await rx.waitHeld(1);
    const [d] = (await deliveries(api)).entries;
    const again = api.post(`/__mock/webhooks/deliveries/${d!.id}/redeliver`);
    // The first attempt is still on the wire: the redeliver has not been answered, nor sent anything.
    await new Promise((r) => setImmediate(r));
    expect(rx.received).toHaveLength(1);
    rx.dropHeld(); // the first attempt fails (connection reset)
    const res = await again;
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: d!.id, status: 'succeeded' });
    expect(res.body.attempts.map((a: any) => [a.n, a.response_status])).toEqual([
      [1, 0],
      [2, 200],
    ]);
    expect(rx.received).toHaveLength(2);
  });

  it('redelivers on request, and refuses an unknown delivery or a deleted webhook', async () => {
    const rx = await startReceiver();
    const t = await startApp();
    const api = apiFor(t);
    const hook = await register(api, { url: rx.url });
    await customerWrites(api, 'hello');
    await deliver(t);
    const [d] = (await deliveries(api)).entries;
    await ok(api.post('/__mock/clock', { advance_ms: 5000 }));
    const again = await ok(api.post(`/__mock/webhooks/deliveries/${d!.id}/redeliver`));
    expect(again).toMatchObject({ id: d!.id, status: 'succeeded', next_attempt_at: null });
    expect(again.attempts.map((a: any) => [a.n, Date.parse(a.at) - T0, a.response_status])).toEqual([
      [1, 0, 200],
      [2, 5000, 200],
    ]);
    expect(rx.received.map((r) => r.headers['x-heymarket-mock-attempt'])).toEqual(['1', '2']);
    await refused(t, () => api.post('/__mock/webhooks/deliveries/999/redeliver'), 404, 'not_found', 'id');
    // Deleting the webhook ends its pending deliveries as failed; they cannot be redelivered.
    await customerWrites(api, 'later');
    expect((await deliveries(api, { status: 'pending' })).entries).toHaveLength(1);
    expect((await api.delete(`/__mock/webhooks/${hook.id}`)).status).toBe(204);
    const [ended] = (await deliveries(api)).entries;
    expect(ended).toMatchObject({ status: 'failed', attempts: [], next_attempt_at: null });
    await refused(t, () => api.post(`/__mock/webhooks/deliveries/${ended!.id}/redeliver`), 400, 'webhook_deleted', 'id');
    await deliver(t);
    expect(rx.received).toHaveLength(2);
  });

  it('filters the delivery log, and a long-poll wakes on the new delivery', async () => {
    const rx = await startReceiver((n) => (n === 1 ? 500 : 200));
    const t = await startApp({ logMax: 4 });
    const api = apiFor(t);
    const one = await register(api, { url: rx.url, events: ['message_recieved'] });
    const two = await register(api, { url: rx.url });
    await customerWrites(api, 'STOP'); // message_recieved to both, target_opt_out to two
    await deliver(t);
    expect((await deliveries(api, { webhook_id: one.id })).entries.map((d) => d.type)).toEqual(['message_recieved']);
    expect((await deliveries(api, { type: 'target_opt_out' })).entries.map((d) => d.webhook_id)).toEqual([two.id]);
    expect((await deliveries(api, { status: 'pending' })).entries.map((d) => d.webhook_id)).toEqual([one.id]);
    const all = await deliveries(api, { order: 'asc' });
    expect(all.entries.map((d) => d.id)).toEqual([1, 2, 3]);
    expect(all.last_id).toBe(3);
    expect((await deliveries(api, { since_id: 2, order: 'asc' })).entries.map((d) => d.id)).toEqual([3]);
    // wait: held until the next delivery is written.
    const held = api.get('/__mock/webhooks/deliveries', { since_id: all.last_id, wait: 10 });
    await heldPolls(t, 1);
    expect(rx.received).toHaveLength(3); // held, not answered: nothing new yet
    await customerWrites(api, 'START');
    const woke = (await held).body as { entries: Array<{ id: number; type: string }> };
    expect(woke.entries.length).toBeGreaterThan(0);
    expect(woke.entries.every((e) => e.id > 3)).toBe(true);
    // The log is bounded by HEYMARKET_MOCK_LOG_MAX (4 here): the oldest are dropped first, but a
    // pending delivery (the first, waiting for its retry) is queued work and goes last.
    const bounded = await deliveries(api, { order: 'asc' });
    expect(bounded.entries.map((d) => d.id)).toEqual([1, ...[3, 2, 1, 0].map((k) => bounded.last_id - k)]);
    expect(bounded.entries[0]).toMatchObject({ id: 1, status: 'pending' });
  });

  it('pending deliveries are bounded too: past HEYMARKET_MOCK_LOG_MAX of them the oldest end as failed and are trimmed', async () => {
    const rx = await startReceiver(() => 500);
    const t = await startApp({ logMax: 4 });
    const api = apiFor(t);
    await register(api, { url: rx.url, events: ['message_recieved'] });
    for (let i = 0; i < 7; i++) await customerWrites(api, `m${i}`);
    const log = (await deliveries(api, { order: 'asc' })).entries;
    expect(log.map((d) => [d.id, d.status])).toEqual([4, 5, 6, 7].map((id) => [id, 'pending']));
    expect(t.sql('SELECT count(*) AS n FROM deliveries')).toEqual([{ n: 4 }]);
    // The receiver never saw the dropped ones: nothing was attempted yet.
    await deliver(t);
    expect(rx.received.map((r) => r.body.event_data.text)).toEqual(['m3', 'm4', 'm5', 'm6']);
  });

  it('pending deliveries survive a restart on a file database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hm-webhooks-'));
    try {
      const db = join(dir, 'mock.sqlite');
      const rx = await startReceiver();
      const first = await startApp({ db });
      const api1 = apiFor(first);
      await register(api1, { url: rx.url, token: 'kept' });
      await customerWrites(api1, 'before the restart');
      await first.app.close();
      expect(rx.received).toEqual([]);
      const second = await startApp({ db });
      await deliver(second);
      expect(rx.received.map((r) => [r.body.token, r.body.event_data.text])).toEqual([['kept', 'before the restart']]);
      expect((await deliveries(apiFor(second))).entries[0]).toMatchObject({ status: 'succeeded' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('webhook shutdown', () => {
  it('stops starting attempts, aborts those still in flight after the grace, and keeps them pending for the next start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hm-webhooks-'));
    try {
      const db = join(dir, 'mock.sqlite');
      let holding = true;
      const hang = await startReceiver(() => (holding ? 'hold' : 200));
      const first = await startApp({ db, webhookTimeoutMs: 60_000 });
      const api1 = apiFor(first);
      await register(api1, { url: hang.url, token: 'kept' });
      await customerWrites(api1, 'in flight at shutdown');
      await first.runDue();
      await hang.waitHeld(1);
      // A grace of 20 ms instead of the timeout: the held attempt is cut short, not recorded.
      await first.app.webhooks.close(20);
      expect(first.app.webhooks.active).toBe(0);
      await customerWrites(api1, 'after shutdown began');
      await first.runDue();
      expect(hang.received).toHaveLength(1); // nothing new starts once stopped
      const pending = (await deliveries(api1, { order: 'asc' })).entries;
      expect(pending.map((d) => [d.status, d.attempts.length, d.next_attempt_at])).toEqual([
        ['pending', 0, new Date(T0).toISOString()],
        ['pending', 0, new Date(T0).toISOString()],
      ]);
      await first.app.close();
      holding = false;
      const second = await startApp({ db });
      await deliver(second);
      expect(hang.received.slice(1).map((r) => [r.body.token, r.body.event_data.text])).toEqual([
        ['kept', 'in flight at shutdown'],
        ['kept', 'after shutdown began'],
      ]);
      expect((await deliveries(apiFor(second))).entries.map((d) => [d.status, d.attempts.length])).toEqual([
        ['succeeded', 1],
        ['succeeded', 1],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('webhooks in seeds, snapshots and resets', () => {
  it('seeds webhooks, keeps them in a snapshot, and a reset or team delete removes the others', async () => {
    const rx = await startReceiver();
    const seed = writeSeed({ teams: [team2({ webhooks: [{ url: rx.url, events: ['message_recieved'], token: 'seeded' }] })] });
    const t = await startApp({ seed });
    const b = apiFor(t, TEAM2_AUTH);
    const seeded = await ok(b.get('/__mock/webhooks'));
    expect(seeded).toEqual([{ id: 1, url: rx.url, events: ['message_recieved'], token: 'seeded', created: new Date(T0).toISOString() }]);
    await register(b, { url: rx.url, token: 'added' });
    await customerWrites(b, 'hi', PHONE, 20);
    const snap = await ok(b.get('/__mock/snapshot'));
    expect(snap.team.webhooks).toEqual([
      { url: rx.url, events: ['message_recieved'], token: 'seeded' },
      { url: rx.url, token: 'added' },
    ]);
    expect(snap.team.state.webhooks).toHaveLength(2);
    expect(snap.team.state.deliveries).toHaveLength(2);
    // Round trip: restoring the snapshot gives the same registrations and log.
    const before = { hooks: await ok(b.get('/__mock/webhooks')), log: await deliveries(b) };
    await ok(b.put('/__mock/snapshot', snap));
    expect({ hooks: await ok(b.get('/__mock/webhooks')), log: await deliveries(b) }).toEqual(before);
    // The restored pending deliveries still go out.
    await deliver(t);
    expect(rx.received.map((r) => r.body.token).sort()).toEqual(['added', 'seeded']);
    await ok(b.post('/__mock/reset'));
    expect((await ok(b.get('/__mock/webhooks'))).map((w: any) => w.token)).toEqual(['seeded']);
    expect((await deliveries(b)).entries).toEqual([]);
    expect((await t.http.delete('/__mock/teams/2')).status).toBe(204);
    expect(t.sql('SELECT COUNT(*) AS n FROM webhooks WHERE team_id = 2')).toEqual([{ n: 0 }]);
  });

  it('refuses a seed webhook with a bad url', async () => {
    const seed = writeSeed({ teams: [team2({ webhooks: [{ url: 'mailto:x@y.z' }] })] });
    await expect(startApp({ seed })).rejects.toThrow(/webhooks\.0\.url/);
  });
});
