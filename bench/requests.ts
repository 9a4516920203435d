// Request throughput, in process (fastify inject: no sockets), as ratios against a baseline run in
// the same process: GET /__mock/health (no auth, constant JSON). Run: npm run bench
// Scenarios show what authentication and the store cost on top of the framework.
import { SignJWT } from 'jose';
import { buildApp } from '../src/app.js';
import { DEFAULT_API_KEY, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, testConfig } from '../src/config.js';

const N = Number(process.env.BENCH_N ?? 4000);
const ROUNDS = 3;

const app = await buildApp(testConfig({ rateLimit: 0 }));
const key = new TextEncoder().encode(`${DEFAULT_SECRET_ID}||${DEFAULT_SECRET_KEY}`);
const mint = (nonce: number) =>
  new SignJWT({ iss: DEFAULT_SECRET_ID, iat: Math.floor(Date.now() / 1000), n: nonce }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
const hotToken = await mint(0);
const freshTokens = await Promise.all(Array.from({ length: N * ROUNDS + 10 }, (_, i) => mint(i + 1)));
let fresh = 0;

const created = await app.inject({ method: 'POST', url: '/v1/contact', headers: { authorization: `Bearer ${DEFAULT_API_KEY}` }, payload: { phone: '14155551234', first: 'Bench' } });
const contactId = (created.json() as { id: number }).id;
let phone = 14155560000;

type Scenario = { name: string; run: () => Promise<unknown> };
const scenarios: Scenario[] = [
  { name: 'GET /__mock/health (baseline, no auth)', run: () => app.inject({ method: 'GET', url: '/__mock/health' }) },
  { name: 'GET /v1/contact/{id}, legacy API key', run: () => app.inject({ method: 'GET', url: `/v1/contact/${contactId}`, headers: { authorization: `Bearer ${DEFAULT_API_KEY}` } }) },
  { name: 'GET /v1/contact/{id}, same JWT (cached)', run: () => app.inject({ method: 'GET', url: `/v1/contact/${contactId}`, headers: { authorization: `Bearer ${hotToken}` } }) },
  { name: 'GET /v1/contact/{id}, new JWT each request', run: () => app.inject({ method: 'GET', url: `/v1/contact/${contactId}`, headers: { authorization: `Bearer ${freshTokens[fresh++]}` } }) },
  {
    name: 'POST /v1/contact (insert), same JWT',
    run: () => app.inject({ method: 'POST', url: '/v1/contact', headers: { authorization: `Bearer ${hotToken}` }, payload: { phone: String(phone++), first: 'B' } }),
  },
];

async function measure(s: Scenario): Promise<number> {
  for (let i = 0; i < 200; i++) await s.run(); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await s.run();
  return N / (Number(process.hrtime.bigint() - t0) / 1e9);
}

const best = new Map<string, number>();
for (let r = 0; r < ROUNDS; r++) for (const s of scenarios) best.set(s.name, Math.max(best.get(s.name) ?? 0, await measure(s)));
const base = best.get(scenarios[0]!.name)!;
console.log(`node ${process.version}, ${N} sequential requests per scenario, best of ${ROUNDS} rounds`);
console.log('| scenario | req/s | ratio to baseline |\n|---|---:|---:|');
for (const s of scenarios) console.log(`| ${s.name} | ${Math.round(best.get(s.name)!)} | ${(best.get(s.name)! / base).toFixed(2)} |`);
console.log(`RSS after run: ${Math.round(process.memoryUsage().rss / 1048576)} MiB`);
await app.close();
