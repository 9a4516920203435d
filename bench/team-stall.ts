// How long the control plane's whole-team operations hold the event loop (decision R7): a team
// created with N contacts (a seed-format body), then its snapshot taken and restored, the team
// reset and deleted, over real HTTP while a back-to-back GET /__mock/health poll records the
// worst gap between its answers, after a warm-up round of 200 contacts. Baseline: the worst gap
// of an idle poll in the same run.
// Run: npx tsx bench/team-stall.ts [N ...]   (default 1000 10000)
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { whilePolling } from '../test/support/health-poll.js';

const sizes = process.argv.slice(2).map(Number);
if (!sizes.length) sizes.push(1000, 10_000);

const app = await buildApp(testConfig({ rateLimit: 0 }), { tickMs: 3_600_000 });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const base = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
const json = { 'content-type': 'application/json' };

/** Runs `send` while polling health; answers its status, body, time and the worst gap between health answers (ms). */
async function held(send: () => Promise<Response>) {
  const { result, worst } = await whilePolling(base, async () => {
    const t0 = performance.now();
    const res = await send();
    const text = await res.text();
    return { status: res.status, text, ms: performance.now() - t0 };
  });
  return { ...result, worst };
}

// Warm-up: one small round first, so the figures are not those of cold code (unreported).
const WARM_UP = 200;
const sizesRun = [WARM_UP, ...sizes];
const idle = await held(() => new Promise((r) => setTimeout(() => r(new Response('')), 500)));
const rows: string[] = [];
for (const [k, n] of sizesRun.entries()) {
  const id = 100 + k;
  const contacts = Array.from({ length: n }, (_, i) => ({ phone: `1415${3_000_000 + i}`, first: `C${i}`, email: `c${i}@example.com` }));
  const body = JSON.stringify({ id, contacts });
  const created = await held(() => fetch(`${base}/__mock/teams`, { method: 'POST', headers: json, body }));
  if (created.status !== 201) throw new Error(`POST /__mock/teams → ${created.status} ${created.text.slice(0, 300)}`);
  const team = { ...json, authorization: `Bearer ${(JSON.parse(created.text) as { api_keys: string[] }).api_keys[0]}` };
  const taken = await held(() => fetch(`${base}/__mock/snapshot`, { headers: team }));
  const restored = await held(() => fetch(`${base}/__mock/snapshot`, { method: 'PUT', headers: team, body: taken.text }));
  const reset = await held(() => fetch(`${base}/__mock/reset`, { method: 'POST', headers: team, body: '{}' }));
  const deleted = await held(() => fetch(`${base}/__mock/teams/${id}`, { method: 'DELETE' }));
  for (const [name, r, bytes] of [
    ['POST /__mock/teams', created, body.length],
    ['GET /__mock/snapshot', taken, taken.text.length],
    ['PUT /__mock/snapshot', restored, taken.text.length],
    ['POST /__mock/reset (the team)', reset, 2],
    ['DELETE /__mock/teams/:id', deleted, 0],
  ] as const) {
    if (r.status >= 300) throw new Error(`${name} → ${r.status} ${r.text.slice(0, 300)}`);
    if (k === 0) continue;
    rows.push(`| ${name} | ${n} | ${(bytes / 1048576).toFixed(1)} | ${r.ms.toFixed(0)} | ${r.worst.toFixed(0)} | ${(r.worst / idle.worst).toFixed(1)} |`);
  }
}
console.log(`node ${process.version}; idle poll worst gap ${idle.worst.toFixed(1)} ms`);
console.log('| operation | contacts | body MB | request ms | worst health gap ms | ratio to idle |\n|---|---:|---:|---:|---:|---:|');
console.log(rows.join('\n'));
await app.close();
