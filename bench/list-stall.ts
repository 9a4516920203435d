// How long the largest valid list requests hold the event loop (issue #11.3): each request of
// test/resources/lists/stall-scenario.ts runs alone, and its time in process is the time the
// loop was held (the handlers are synchronous); a parallel health poll over real HTTP gives the
// worst gap a client saw.
// Run: npx tsx bench/list-stall.ts [rounds]   (default 3)
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app.js';
import { DEFAULT_API_KEY, testConfig } from '../src/config.js';
import { largestRequests, seedContacts } from '../test/resources/lists/stall-scenario.js';
import { whilePolling } from '../test/support/health-poll.js';

const rounds = Number(process.argv[2] ?? 3);
const headers = { authorization: `Bearer ${DEFAULT_API_KEY}`, 'content-type': 'application/json' };

async function round() {
  const app = await buildApp(testConfig({ rateLimit: 0 }), { tickMs: 3_600_000 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  app.mock.db.$client.prepare('UPDATE teams SET list_size = 100000 WHERE id = 1').run();
  const address = app.server.address();
  const base = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
  const ids = seedContacts(app, 1);
  const out: Record<string, { ms: number; worstGap: number }> = {};
  for (const r of largestRequests(ids)) {
    const { result, worst: worstGap } = await whilePolling(base, async () => {
      const t0 = performance.now();
      const res = await fetch(base + r.url, { method: r.method, headers, body: JSON.stringify(r.body) });
      const text = await res.text();
      const ms = performance.now() - t0;
      await new Promise((done) => setTimeout(done, 50));
      return { status: res.status, text, ms };
    }, 50);
    const { ms } = result;
    if (result.status !== 200) throw new Error(`${r.name}: ${result.status} ${result.text.slice(0, 300)}`);
    out[r.name] = { ms, worstGap };
  }
  await app.close();
  return out;
}

for (let i = 0; i < rounds; i++) {
  const r = await round();
  console.log(Object.entries(r).map(([k, v]) => `${k}: request ${v.ms.toFixed(1)} ms, worst health gap ${v.worstGap.toFixed(1)} ms`).join(' | '));
}
