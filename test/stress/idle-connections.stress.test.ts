import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY } from '../../src/config.js';
import { startApp } from '../support/app.js';
import { closed, open, rawRequest } from '../support/raw-http.js';

// The long version of test/http/timeouts.test.ts (npm run test:stress): 5 000 idle connections
// and 200 trickling bodies at once; a normal client keeps being answered and the server closes
// every one of them by its timeouts.

describe('floods of idle and slow connections (stress)', () => {
  it('5 000 idle connections and 200 slow bodies do not starve a normal client', { timeout: 120_000 }, async () => {
    const t = await startApp({ requestTimeoutMs: 3000, headersTimeoutMs: 2000, keepAliveTimeoutMs: 1000 });
    const port = (t.app.server.address() as AddressInfo).port;
    const idle = [];
    for (let i = 0; i < 5000; i += 500) idle.push(...(await Promise.all(Array.from({ length: 500 }, () => open(port)))));
    const slow = await Promise.all(Array.from({ length: 200 }, () => open(port)));
    const timers = slow.map((s) => {
      s.write(`POST /v1/contact HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${DEFAULT_API_KEY}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`);
      return setInterval(() => s.writable && s.write(' '), 100);
    });
    const gone = Promise.all([...idle, ...slow].map((s) => closed(s)));
    const worst = { ms: 0 };
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const res = await rawRequest(port, { path: '/v1/inboxes', headers: [['Authorization', `Bearer ${DEFAULT_API_KEY}`]] });
      worst.ms = Math.max(worst.ms, performance.now() - t0);
      expect(res.status).toBe(200);
    }
    await gone;
    for (const timer of timers) clearInterval(timer);
    console.log(`stress: 5000 idle + 200 slow connections; worst normal request ${worst.ms.toFixed(1)} ms; all closed by the timeouts`);
    expect((await rawRequest(port, { path: '/__mock/health' })).status).toBe(200);
  });
});
