import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY } from '../../src/config.js';
import { startApp, type TestApp } from '../support/app.js';
import { closed, open, parseResponse, rawRequest, readResponse } from '../support/raw-http.js';

// Slow and idle clients cannot hold the server (issue #11 defect 4): over real sockets, with small
// configured timeouts so the test is quick.

const port = (t: TestApp) => (t.app.server.address() as AddressInfo).port;
const SMALL = { requestTimeoutMs: 800, headersTimeoutMs: 400, keepAliveTimeoutMs: 300 };

/** Writes `chunk` every `ms` until the socket closes; resolves with how many were written. */
function trickle(socket: Socket, chunk: string, ms: number): Promise<number> {
  let n = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed && socket.writable) {
      socket.write(chunk);
      n++;
    }
  }, ms);
  return closed(socket).then(() => {
    clearInterval(timer);
    return n;
  });
}

/** Every `count` sequential health checks answered 200 while `during` is pending. */
async function healthWhile(t: TestApp, during: Promise<unknown>): Promise<number> {
  let answered = 0;
  let done = false;
  void during.finally(() => (done = true));
  while (!done) {
    const res = await rawRequest(port(t), { path: '/__mock/health' });
    expect(res.status).toBe(200);
    answered++;
  }
  return answered;
}

describe('request and connection timeouts', () => {
  it('cuts off a client trickling its body (408, connection closed) while a normal client keeps being answered', async () => {
    const t = await startApp(SMALL);
    const slow = await open(port(t));
    slow.write(`POST /v1/contact HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${DEFAULT_API_KEY}\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n{`);
    const sent = trickle(slow, ' ', 50);
    const answer = closed(slow);
    const answered = await healthWhile(t, sent);
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    const res = parseResponse(text)!;
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.connection).toBe('close');
    expect(res.json).toMatchObject({ error: 'bad_data', error_code: 'request_timeout', message: expect.stringContaining('HEYMARKET_MOCK_REQUEST_TIMEOUT_MS') });
    // 2000 bytes at 20 a second would take 100 s: it was cut after about requestTimeoutMs.
    expect(await sent).toBeLessThan(200);
    expect(answered).toBeGreaterThan(0);
    expect(t.sql('SELECT count(*) AS n FROM contacts')).toEqual([{ n: 0 }]);
  });

  it('cuts off a client trickling its headers, and a connection that never sends anything', async () => {
    const t = await startApp(SMALL);
    const loris = await open(port(t));
    loris.write('GET /__mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const lines = trickle(loris, 'X-Slow: 1\r\n', 50);
    const silent = await open(port(t));
    const [lorisText, silentText] = await Promise.all([closed(loris), closed(silent)]);
    expect(lorisText).toMatch(/^HTTP\/1\.1 408 /);
    // A connection that sent nothing is told why it is closed, like any other.
    expect(parseResponse(silentText)).toMatchObject({ status: 408, json: { error_code: 'request_timeout' } });
    expect(parseResponse(lorisText)).toMatchObject({ status: 408, json: { error_code: 'request_timeout' } });
    expect(await lines).toBeLessThan(200);
  });

  it('closes an idle keep-alive connection after keepAliveTimeoutMs', async () => {
    const t = await startApp(SMALL);
    const socket = await open(port(t));
    const first = readResponse(socket);
    socket.write('GET /__mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect((await first).status).toBe(200);
    await closed(socket);
    expect(socket.destroyed).toBe(true);
  });

  it('a held long-poll is not a slow request: it answers after its wait, past requestTimeoutMs', async () => {
    const t = await startApp(SMALL);
    const res = await rawRequest(port(t), { path: '/__mock/outbox?wait=1', headers: [['Authorization', `Bearer ${DEFAULT_API_KEY}`]] });
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({ entries: [] });
  });

  it('a few hundred idle connections do not starve a normal client, and each is closed by the header timeout', async () => {
    const t = await startApp(SMALL);
    const idle = await Promise.all(Array.from({ length: 300 }, () => open(port(t))));
    const gone = Promise.all(idle.map((s) => closed(s)));
    for (let i = 0; i < 5; i++) expect((await rawRequest(port(t), { path: '/v1/inboxes', headers: [['Authorization', `Bearer ${DEFAULT_API_KEY}`]] })).status).toBe(200);
    expect(await gone).toHaveLength(300);
    expect(idle.every((s) => s.destroyed)).toBe(true);
  });

  it('caps open connections at maxConnections: one more is closed at once, and a slot frees when an idle one times out', async () => {
    const t = await startApp({ ...SMALL, maxConnections: 5 });
    const held = await Promise.all(Array.from({ length: 5 }, () => open(port(t))));
    const extra = await open(port(t));
    expect(await closed(extra)).toBe('');
    await Promise.all(held.map((s) => closed(s)));
    expect((await rawRequest(port(t), { path: '/__mock/health' })).status).toBe(200);
  });

  it('answers headers over 16 KiB and bytes that are not HTTP in the error shape, then closes', async () => {
    const t = await startApp(SMALL);
    const big = await rawRequest(port(t), { path: '/__mock/health', headers: [['X-Big', 'a'.repeat(20_000)]] });
    expect(big).toMatchObject({ status: 431, json: { error: 'bad_data', error_code: 'headers_too_large' } });
    const junk = await open(port(t));
    const answer = closed(junk);
    junk.write('NOT HTTP AT ALL\r\n\r\n');
    expect(parseResponse(await answer)).toMatchObject({ status: 400, json: { error: 'bad_data', error_code: 'malformed_request' } });
  });
});
