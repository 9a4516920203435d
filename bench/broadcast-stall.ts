// How long a list broadcast blocks the server: while one POST /v1/message/send with list_id runs,
// a loop of GET /__mock/health requests over real HTTP measures each round trip with
// performance.now(); the worst one is the longest the event loop was held.
// Run: npx tsx bench/broadcast-stall.ts [members ...]   (default 2000; BENCH_CONTACTS=1 links
// every entry to a contact created beforehand instead of lightweight phone entries)
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { buildApp } from '../src/app.js';
import { DEFAULT_API_KEY, testConfig } from '../src/config.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const withContacts = process.env.BENCH_CONTACTS === '1';
const headers = { authorization: `Bearer ${DEFAULT_API_KEY}`, 'content-type': 'application/json' };

async function run(members: number) {
  const app = await buildApp(testConfig({ rateLimit: 0 }), { tickMs: 3_600_000 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
  const phones = Array.from({ length: members }, (_, i) => String(14155560000 + i));
  if (withContacts) {
    for (let i = 0; i < members; i += 1000) {
      const items = phones.slice(i, i + 1000).map((phone, j) => ({ phone, first: `M${i + j}` }));
      const batch = await app.inject({ method: 'POST', url: '/v1/batch/contacts', headers, payload: items });
      if (batch.statusCode !== 200) throw new Error(`batch: ${batch.statusCode} ${batch.body}`);
    }
  }
  const list = await app.inject({ method: 'POST', url: '/v2/lists', headers, payload: { title: 'bench', local_id: 'bench-list', phones } });
  if (list.statusCode !== 200) throw new Error(`list: ${list.statusCode} ${list.body}`);
  const listId = (list.json() as { id: number }).id;

  let running = true;
  const latencies: number[] = [];
  const health = (async () => {
    while (running) {
      const t0 = performance.now();
      const r = await fetch(`${base}/__mock/health`);
      await r.arrayBuffer();
      latencies.push(performance.now() - t0);
    }
  })();
  await new Promise((r) => setTimeout(r, 50)); // the loop is warm before the broadcast starts
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  const t0 = performance.now();
  const res = await fetch(`${base}/v1/message/send`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ inbox_id: 10, creator_id: 1, list_id: listId, local_id: 'bench-bc', text: 'Hi {{first_name}}' }),
  });
  const body = await res.text();
  const took = performance.now() - t0;
  lag.disable();
  await new Promise((r) => setTimeout(r, 50));
  running = false;
  await health;
  if (res.status !== 200) throw new Error(`send: ${res.status} ${body}`);
  const sent = (app.mock.db.$client.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
  const sorted = [...latencies].sort((a, b) => a - b);
  const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  console.log(
    `| ${members} | ${withContacts ? 'contacts' : 'phones'} | ${sent} | ${took.toFixed(0)} ms | ${latencies.length} | ${p(0.5).toFixed(1)} ms | ${sorted.at(-1)!.toFixed(1)} ms | ${(lag.max / 1e6).toFixed(1)} ms |`,
  );
  await app.close();
}

console.log(`node ${process.version}`);
console.log('| members | entries | messages | broadcast took | health requests | median health | worst health | max event-loop delay |\n|---:|---|---:|---:|---:|---:|---:|---:|');
for (const n of sizes.length ? sizes : [2000]) await run(n);
