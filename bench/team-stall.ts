// How long the control plane's whole-team operations hold the server's event loop (decision R7):
// a team created with N contacts (a seed-format body), then its snapshot taken and restored, the
// team reset and deleted, over real HTTP while a back-to-back GET /__mock/health poll records the
// worst gap between its answers, after a warm-up round of 200 contacts. The server runs in a
// process of its own (src/main.ts), so the client's work on a 70 MB document (building, encoding,
// reading it) is not counted as the server's. Baseline: the worst gap of an idle poll in the same run.
// Run: npx tsx bench/team-stall.ts [N ...]   (default 1000 10000)
import { once } from 'node:events';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { whilePolling } from '../test/support/health-poll.js';
import { killAll, listeningUrl, spawnMain } from '../test/support/server.js';

const sizes = process.argv.slice(2).map(Number);
if (!sizes.length) sizes.push(1000, 10_000);

const server = spawnMain(['--port', '0', '--host', '127.0.0.1'], { LOG_LEVEL: 'warn', HEYMARKET_MOCK_RATE_LIMIT: '0' });
const base = await listeningUrl(server);
const json = { 'content-type': 'application/json' };

/** Runs `send` while polling health; answers its status, body, time and the worst gap between health answers (ms). */
async function held(send: () => Promise<Response>) {
  const { result, worst } = await whilePolling(base, async () => {
    const t0 = performance.now();
    const res = await send();
    // Read chunk by chunk and joined after the window: one res.text() of 70 MB would hold this
    // process's loop, where the poll runs, and count as the server's stall.
    const chunks: Uint8Array[] = [];
    for await (const chunk of res.body ?? []) chunks.push(chunk as Uint8Array);
    return { status: res.status, chunks, ms: performance.now() - t0 };
  });
  const bytes = Buffer.concat(result.chunks);
  return { status: result.status, ms: result.ms, bytes, text: () => bytes.toString(), worst };
}

/**
 * Sends a large body in 64 KB writes (node:http, waiting for drain): fetch with a 70 MB body holds
 * this process's loop ~300 ms while it hands the body over, which the poll would count.
 */
function sendLarge(url: string, method: string, headers: Record<string, string>, body: Buffer): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode })));
      res.on('error', reject);
    });
    req.on('error', reject);
    void (async () => {
      for (let i = 0; i < body.length; i += 65536) {
        if (!req.write(body.subarray(i, i + 65536))) await once(req, 'drain');
      }
      req.end();
    })();
  });
}

// Warm-up: one small round first, so the figures are not those of cold code (unreported).
const WARM_UP = 200;
const sizesRun = [WARM_UP, ...sizes];
const idle = await held(() => new Promise((r) => setTimeout(() => r(new Response('')), 500)));
const rows: string[] = [];
for (const [k, n] of sizesRun.entries()) {
  const id = 100 + k;
  const contacts = Array.from({ length: n }, (_, i) => ({ phone: `1415${3_000_000 + i}`, first: `C${i}`, email: `c${i}@example.com` }));
  const body = Buffer.from(JSON.stringify({ id, contacts }));
  const created = await held(() => sendLarge(`${base}/__mock/teams`, 'POST', json, body));
  if (created.status !== 201) throw new Error(`POST /__mock/teams → ${created.status} ${created.text().slice(0, 300)}`);
  const team = { ...json, authorization: `Bearer ${(JSON.parse(created.text()) as { api_keys: string[] }).api_keys[0]}` };
  const taken = await held(() => fetch(`${base}/__mock/snapshot`, { headers: team }));
  const restored = await held(() => sendLarge(`${base}/__mock/snapshot`, 'PUT', team, taken.bytes));
  const reset = await held(() => fetch(`${base}/__mock/reset`, { method: 'POST', headers: team, body: '{}' }));
  const deleted = await held(() => fetch(`${base}/__mock/teams/${id}`, { method: 'DELETE' }));
  for (const [name, r, bytes] of [
    ['POST /__mock/teams', created, body.length],
    ['GET /__mock/snapshot', taken, taken.bytes.length],
    ['PUT /__mock/snapshot', restored, taken.bytes.length],
    ['POST /__mock/reset (the team)', reset, 2],
    ['DELETE /__mock/teams/:id', deleted, 0],
  ] as const) {
    if (r.status >= 300) throw new Error(`${name} → ${r.status} ${r.text().slice(0, 300)}`);
    if (k === 0) continue;
    rows.push(`| ${name} | ${n} | ${(bytes / 1048576).toFixed(1)} | ${r.ms.toFixed(0)} | ${r.worst.toFixed(0)} | ${(r.worst / idle.worst).toFixed(1)} |`);
  }
}
console.log(`node ${process.version}; idle poll worst gap ${idle.worst.toFixed(1)} ms`);
console.log('| operation | contacts | body MB | request ms | worst health gap ms | ratio to idle |\n|---|---:|---:|---:|---:|---:|');
console.log(rows.join('\n'));
await killAll([server]);
