import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_KEY, startServer, type Server } from '../support/server.js';

// Crash durability (shared by test/crash and test/stress; not a test file itself): the real
// server (src/main.ts under tsx) on a file database takes concurrent writes (v1 contact creates,
// message sends, v1 batch creates) and is SIGKILLed at a random moment, `kills` times in a row on
// the same file. After each kill, read straight from the file:
// - PRAGMA integrity_check is ok;
// - every acknowledged write (a 2xx the client received) is there: each contact, each message
//   with its conversation, each batch with all its contacts;
// - nothing is half-written: every contact is whole, every message has its conversation, no
//   contact lacks its phone channel row; a batch whose answer never came is a prefix of its items
//   (it commits in slices, in item order: decision R6), never a scattering.
// Then the server restarts on the file and must serve the acknowledged rows again.
// CRASH_KILLS: how many kills (default: the suite's own), CRASH_SEED: the random moments.



/** What the clients were told was written. */
interface Acked {
  contacts: Array<{ id: number; phone: string }>;
  messages: Array<{ id: number; phone: string }>;
  batches: Array<{ tag: string; phones: string[] }>;
  /** Batches sent whose answer never came (killed mid-way): their first n items, for some n. */
  unknownBatches: Array<{ tag: string; phones: string[] }>;
}

/** A small deterministic PRNG (mulberry32), so CRASH_SEED replays the same moments. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Concurrent writers until the server dies; records every acknowledged write. */
async function writeUntilKilled(server: Server, acked: Acked, round: number, killAfterMs: number) {
  let stop = false;
  let serial = 0;
  // 1 415 2RR SSSS: a valid NANP number per round and serial.
  const phone = () => `14152${String(round).padStart(2, '0')}${String(serial++).padStart(4, '0')}`;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: API_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const worker = async (kind: 'contact' | 'send' | 'batch') => {
    while (!stop) {
      try {
        if (kind === 'contact') {
          const p = phone();
          const res = await post('/v1/contact', { phone: p, first: 'Zoë 🧪' });
          if (res.status === 200) acked.contacts.push({ id: res.body.id as number, phone: p });
          else expect.fail(`contact create answered ${res.status} ${JSON.stringify(res.body)}`);
        } else if (kind === 'send') {
          const p = phone();
          const res = await post('/v1/message/send', { inbox_id: 10, creator_id: 1, phone_number: p, text: `hello ${p}` });
          if (res.status === 200) acked.messages.push({ id: res.body.id as number, phone: p });
          else expect.fail(`send answered ${res.status} ${JSON.stringify(res.body)}`);
        } else {
          const tag = `batch-${round}-${serial}`;
          // 100 items: a few slices each (decision R6), so a kill can land between two of them.
          const phones = Array.from({ length: 100 }, phone);
          const batch = { tag, phones };
          acked.unknownBatches.push(batch);
          const res = await fetch(`${server.url}/v1/batch/contacts`, {
            method: 'POST',
            headers: { authorization: API_KEY, 'content-type': 'application/json' },
            body: JSON.stringify(phones.map((p) => ({ phone: p, first: tag }))),
          });
          const text = await res.text();
          if (res.status !== 200 || text !== '"ok"') expect.fail(`batch answered ${res.status} ${text.slice(0, 200)}`);
          acked.unknownBatches.splice(acked.unknownBatches.indexOf(batch), 1);
          acked.batches.push(batch);
        }
      } catch (e) {
        // The kill: a connection error (no answer) is an unknown outcome, not a failure.
        if ((e as Error).name === 'AssertionError') throw e;
        if (!stop) await new Promise((r) => setTimeout(r, 5));
      }
    }
  };
  const before = acked.contacts.length + acked.messages.length + acked.batches.length;
  const workers = (['contact', 'contact', 'send', 'send', 'batch', 'batch'] as const).map(worker);
  // The random moment counts from the first write this server acknowledged (a cold start is slow).
  for (let i = 0; i < 2000 && acked.contacts.length + acked.messages.length + acked.batches.length === before; i++) await new Promise((r) => setTimeout(r, 5));
  // A round whose server never acknowledged a write would prove nothing about losing one.
  expect(acked.contacts.length + acked.messages.length + acked.batches.length, `round ${round}: no write acknowledged within 10 s`).toBeGreaterThan(before);
  await new Promise((r) => setTimeout(r, killAfterMs));
  server.proc.kill('SIGKILL');
  await server.exited;
  stop = true;
  await Promise.all(workers);
}

/** Checks the file after a kill: integrity, every acknowledged write, nothing half-written. */
/** Checks the file after a kill; answers how many unanswered batches it holds part of (a prefix short of the whole). */
function checkFile(path: string, acked: Acked): number {
  const db = new Database(path, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const contact = db.prepare<[number], { phone: string }>('SELECT phone FROM contacts WHERE id = ?');
    const lost = acked.contacts.filter((c) => contact.get(c.id)?.phone !== c.phone);
    expect(lost, 'acknowledged contacts lost').toEqual([]);
    const message = db.prepare<[number], { id: number; conv: number | null }>(
      'SELECT m.id, c.id AS conv FROM messages m LEFT JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ?',
    );
    expect(acked.messages.filter((m) => message.get(m.id)?.conv == null), 'acknowledged messages lost (or without conversation)').toEqual([]);
    const batchCount = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM contacts WHERE first = ?');
    for (const b of acked.batches) expect(batchCount.get(b.tag)!.n, `acknowledged batch ${b.tag}`).toBe(b.phones.length);
    const batchPhones = db.prepare<[string], { phone: string }>('SELECT phone FROM contacts WHERE first = ? ORDER BY id');
    let partial = 0;
    for (const b of acked.unknownBatches) {
      const written = batchPhones.all(b.tag).map((r) => r.phone);
      expect(written, `batch ${b.tag}: not a prefix of its items`).toEqual(b.phones.slice(0, written.length));
      if (written.length > 0 && written.length < b.phones.length) partial++;
    }
    const orphans = db.prepare('SELECT count(*) AS n FROM messages m WHERE NOT EXISTS (SELECT 1 FROM conversations c WHERE c.id = m.conversation_id)').get() as { n: number };
    expect(orphans.n, 'messages without a conversation').toBe(0);
    const bare = db
      .prepare("SELECT count(*) AS n FROM contacts k WHERE k.phone IS NOT NULL AND NOT EXISTS (SELECT 1 FROM contact_channels ch WHERE ch.contact_id = k.id AND ch.channel_type = 'phone' AND ch.channel_id = k.phone)")
      .get() as { n: number };
    expect(bare.n, 'contacts without their phone channel').toBe(0);
    return partial;
  } finally {
    db.close();
  }
}

export interface CrashReport {
  kills: number;
  acknowledged: number;
  lost: number;
}

/** Kills the server `kills` times under write load; answers what was acknowledged and lost. */
export function crashSuite(defaultKills: number) {
  const kills = Number(process.env.CRASH_KILLS ?? defaultKills);
  const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
  let dir: string;
  let live: Server | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hm-crash-'));
  });
  afterEach(async () => {
    if (live && live.proc.exitCode === null && live.proc.signalCode === null) {
      live.proc.kill('SIGKILL');
      await live.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  describe(`crash durability: SIGKILL under concurrent writes, ${kills} times on one file`, () => {
    it(
      'loses no acknowledged write, half-writes nothing, and the file stays intact',
      async () => {
        const random = rng(seed);
        const db = join(dir, 'mock.sqlite');
        const acked: Acked = { contacts: [], messages: [], batches: [], unknownBatches: [] };
        let partial = 0;
        try {
          for (let round = 0; round < kills; round++) {
            live = await startServer(db);
            await writeUntilKilled(live, acked, round, 150 + Math.floor(random() * 900));
            partial += checkFile(db, acked);
            // Batches whose outcome is now known (a prefix of their items) are no longer in doubt.
            acked.unknownBatches.length = 0;
          }
          // The restarted server serves what was acknowledged before the last kill.
          live = await startServer(db);
          for (const c of acked.contacts.slice(-5)) {
            const res = await fetch(`${live.url}/v1/contact/${c.id}`, { headers: { authorization: API_KEY } });
            expect(res.status).toBe(200);
            expect(((await res.json()) as { phone: string }).phone).toBe(c.phone);
          }
        } catch (e) {
          throw new Error(`reproduce with CRASH_SEED=${seed} CRASH_KILLS=${kills}: ${(e as Error).message}`, { cause: e });
        }
        const acknowledged = acked.contacts.length + acked.messages.length + acked.batches.length;
        console.log(`crash durability: ${kills} kills survived, ${acknowledged} acknowledged writes (${acked.contacts.length} contacts, ${acked.messages.length} sends, ${acked.batches.length} batches of 100; ${partial} unanswered batches cut between slices, each a whole prefix), 0 lost, integrity ok (CRASH_SEED=${seed})`);
        // The kills landed under load: writes were acknowledged in every run of the suite.
        expect(acknowledged).toBeGreaterThan(0);
      },
      120_000 + kills * 30_000,
    );
  });
}
