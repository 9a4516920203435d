// Team provisioning and one-team reset, in process (fastify inject), with and without other teams
// holding data: the point is that neither depends on what other teams hold. Run: npm run bench:teams
// BENCH_TEAMS (default 50) other teams, each with BENCH_CONTACTS contacts (default 1000) and
// BENCH_MESSAGES SMS sends (default 100); BENCH_N timed requests per scenario (default 200).
// Baseline: GET /__mock/health in the same run. Figures: median and p99 in ms.
import type { InjectOptions } from 'fastify';
import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';

const TEAMS = Number(process.env.BENCH_TEAMS ?? 50);
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100);
const N = Number(process.env.BENCH_N ?? 200);

const app = await buildApp(testConfig({ rateLimit: 0 }));

async function call(opts: InjectOptions, status: number) {
  const res = await app.inject(opts);
  if (res.statusCode !== status) throw new Error(`${JSON.stringify(opts)} → ${res.statusCode} ${res.body}`);
  return res;
}

/** One team with `contacts` contacts (a seed-format body) and `messages` SMS sends to them. */
async function teamWithData(contacts: number, messages: number) {
  const body = {
    fields: [{ title: 'Plan' }],
    tags: [{ tag: 'VIP' }],
    contacts: Array.from({ length: contacts }, (_, i) => ({ phone: `1415${String(3_000_000 + i).padStart(7, '0')}`, first: `C${i}`, custom: { Plan: 'gold' }, tags: ['VIP'] })),
  };
  const team = (await call({ method: 'POST', url: '/__mock/teams', payload: body }, 201)).json() as { id: number; api_keys: string[]; inboxes: Array<{ id: number }>; members: Array<{ id: number }> };
  const headers = { authorization: `Bearer ${team.api_keys[0]}` };
  for (let i = 0; i < messages; i++) {
    const payload = { inbox_id: team.inboxes[0]!.id, creator_id: team.members[0]!.id, phone_number: `1415${String(3_000_000 + (i % Math.max(contacts, 1))).padStart(7, '0')}`, text: `m${i}` };
    await call({ method: 'POST', url: '/v1/message/send', headers, payload }, 200);
  }
  return team;
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { median: at(0.5), p99: at(0.99) };
}

async function time(run: () => Promise<unknown>, n = N): Promise<{ median: number; p99: number }> {
  for (let i = 0; i < 20; i++) await run(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await run();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return stats(ms);
}

const rows: Array<[string, { median: number; p99: number }]> = [];
async function scenarios(label: string) {
  rows.push([`GET /__mock/health (baseline), ${label}`, await time(() => call({ method: 'GET', url: '/__mock/health' }, 200))]);
  rows.push([`POST /__mock/teams (empty body), ${label}`, await time(() => call({ method: 'POST', url: '/__mock/teams' }, 201))]);
  const fresh = await teamWithData(0, 0);
  const own = { authorization: `Bearer ${fresh.api_keys[0]}` };
  rows.push([`POST /__mock/reset, a default-shaped team, ${label}`, await time(() => call({ method: 'POST', url: '/__mock/reset', headers: own }, 200))]);
  // The team being reset holds data of its own too: what it costs grows with that team only.
  const loaded = await teamWithData(CONTACTS, 0);
  const mine = { authorization: `Bearer ${loaded.api_keys[0]}` };
  rows.push([`POST /__mock/reset, a team created with ${CONTACTS} contacts, ${label}`, await time(() => call({ method: 'POST', url: '/__mock/reset', headers: mine }, 200), Math.min(N, 50))]);
}

await scenarios('empty store');
const t0 = Date.now();
for (let i = 0; i < TEAMS; i++) await teamWithData(CONTACTS, MESSAGES);
const loadS = (Date.now() - t0) / 1000;
const count = (table: string) => (app.mock.db.$client.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number).toLocaleString('en');
await scenarios(`${TEAMS} other teams`);

console.log(`node ${process.version}; ${N} timed requests per scenario (${Math.min(N, 50)} for the loaded reset), after 20 warm-up`);
console.log(`other teams: ${TEAMS} × (${CONTACTS} contacts, ${MESSAGES} SMS) loaded in ${loadS.toFixed(1)} s: ${count('contacts')} contacts, ${count('messages')} messages, ${count('outbox')} outbox rows, ${count('teams')} teams in all`);
console.log('| scenario | median ms | p99 ms |\n|---|---:|---:|');
for (const [name, s] of rows) console.log(`| ${name} | ${s.median.toFixed(2)} | ${s.p99.toFixed(2)} |`);
console.log(`RSS after run: ${Math.round(process.memoryUsage().rss / 1048576)} MiB`);
await app.close();
