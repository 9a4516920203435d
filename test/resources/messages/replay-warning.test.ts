import { describe, expect, it } from 'vitest';
import { startApp } from '../../support/app.js';
import { count, createList, delivered, N1, N2, send, sendOk, sms, snapshot } from './support.js';

// Issue #8.13: a local_id reused with a different recipient or content still replays the first
// answer (idempotency), but the answer carries X-Heymarket-Mock-Warning and the mock logs a warning
// with the request id and the local_id. An identical repeat carries neither.

const KEY = 'order-1234-sms';
const HEADER = 'x-heymarket-mock-warning';

async function startLogged() {
  const lines: Array<Record<string, unknown>> = [];
  const t = await startApp({ logLevel: 'info' }, { logStream: { write: (s: string) => void lines.push(JSON.parse(s)) } });
  const warnings = () => lines.filter((l) => l.level === 40 && l.local_id !== undefined);
  return { t, auth: await t.auth(), warnings };
}

describe('POST /v1/message/send: a reused local_id', () => {
  it('an identical repeat replays without a warning', async () => {
    const { t, auth, warnings } = await startLogged();
    const first = await send(t, auth, sms(N1, { text: 'once', local_id: KEY }));
    expect(first.headers[HEADER]).toBeUndefined();
    const again = await send(t, auth, sms(N1, { text: 'once', local_id: KEY }));
    expect(again.body).toEqual(first.body);
    expect(again.headers[HEADER]).toBeUndefined();
    expect(warnings()).toEqual([]);
  });

  it('another recipient or content replays the first answer with a warning header and a warn log line', async () => {
    const { t, auth, warnings } = await startLogged();
    const first = await sendOk(t, auth, sms(N1, { text: 'once', local_id: KEY }));
    const after = snapshot(t);
    for (const body of [sms(N2, { text: 'once', local_id: KEY }), sms(N1, { text: 'changed', local_id: KEY }), sms(N1, { text: 'once', local_id: KEY, creator_id: 2 })]) {
      const res = await send(t, auth, body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(first);
      expect(res.headers[HEADER]).toMatch(/^local_id "order-1234-sms" was first used for a different send .*nothing was sent$/);
      const last = warnings().at(-1);
      expect(last).toMatchObject({ level: 40, local_id: KEY, request_id: res.headers['x-request-id'], reqId: res.headers['x-request-id'], team_id: 1 });
      expect(String(last!.msg)).toMatch(/reused with a different recipient or content/);
    }
    expect(warnings()).toHaveLength(3);
    expect(snapshot(t)).toEqual(after);
    expect(delivered(t).map((d) => d.text)).toEqual(['once']);
  });

  it('a broadcast local_id reused for another list warns too', async () => {
    const { t, auth, warnings } = await startLogged();
    const a = await createList(t, auth, { phones: [N1] });
    const b = await createList(t, auth, { phones: [N2] });
    const first = await sendOk(t, auth, { inbox_id: 10, creator_id: 1, list_id: a, local_id: KEY, text: 'news' });
    const same = await send(t, auth, { inbox_id: 10, creator_id: 1, list_id: a, local_id: KEY, text: 'news' });
    expect(same.headers[HEADER]).toBeUndefined();
    const other = await send(t, auth, { inbox_id: 10, creator_id: 1, list_id: b, local_id: KEY, text: 'news' });
    expect(other.body).toEqual(first);
    expect(other.headers[HEADER]).toContain(KEY);
    expect(warnings()).toHaveLength(1);
    expect(count(t, 'messages')).toBe(1);
  });

  it('the first request is fingerprinted with its idempotency record', async () => {
    const { t, auth } = await startLogged();
    await sendOk(t, auth, sms(N1, { local_id: KEY }));
    expect(t.sql<{ fingerprint: string }>('SELECT fingerprint FROM send_keys')).toEqual([{ fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });
});
