import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { ApiError } from '../../core/errors.js';
import { teamEpoch } from '../../db/epochs.js';
import { teams } from '../../db/schema.js';
import { SLICE_MS, trackSlices } from '../../db/slices.js';
import { toIso } from '../../domain/time.js';
import type { SeedTeam } from '../seed/schemas.js';
import type { WebhookSpec } from '../webhooks/schemas.js';
import { eachRow, type Pause } from './pages.js';
import { teamTables, type TeamTable } from './rows.js';
import { SNAPSHOT_FORMAT } from './service.js';

// GET /__mock/snapshot's document (decision T5) as JSON text built in slices, so that a big team
// does not hold the event loop: the rows are read in pages (pages.ts) and written one
// JSON.stringify each, never the whole document at once. A slice ends once SLICE_MS have passed:
// its text becomes one piece and the loop is yielded. Other requests run between slices; those of
// other teams cannot change what is read (every read is of this team's entries and rows), the
// team's own writes are the caller's to hold back, and a reset, restore or delete of the team
// meanwhile ends the read with a 409.

type Row = Record<string, unknown>;
type Seats = Map<number, number[]>;
type Item<K extends keyof SeedTeam> = NonNullable<SeedTeam[K]> extends Array<infer T> ? T : never;

/** A seed-format part of the document: an item per row of the table of the same name, or always empty. */
interface Part {
  key: keyof SeedTeam;
  item?: (r: Row, seats: Seats) => unknown;
}
const part = <K extends keyof SeedTeam>(key: K, item: (r: Row, seats: Seats) => Item<K>): Part => ({ key, item });

/** In the document's order; fields, tags and contacts are empty (their rows are in state). */
const PARTS: Part[] = [
  part('api_secrets', (r) => ({ secret_id: r.secret_id as string, secret_key: r.secret_key as string })),
  part('api_keys', (r) => r.key as string),
  part('members', (r) => ({ id: r.id as number, first_name: r.first_name as string, last_name: r.last_name as string, email: r.email as string, phone: r.phone as string, role_id: r.role_id as 1 | 4 })),
  part('inboxes', (r, seats) => ({
    id: r.id as number,
    name: r.name as string,
    type: r.kind as 'sms' | 'email',
    ...(r.kind === 'sms' ? { phone: r.phone as string, phones: r.phones as string[] } : { email: r.email as string }),
    members: seats.get(r.id as number) ?? [],
    auto_assignable: r.auto_assignable as boolean,
    toll_free: r.toll_free as boolean,
  })),
  { key: 'fields' },
  { key: 'tags' },
  { key: 'contacts' },
  part('surveys', (r) => ({ id: r.id as number, name: r.name as string, type: r.type as string, question: r.question as string, created: toIso(r.created as number), updated: toIso(r.updated as number) })),
  part('webhooks', (r) => ({ url: r.url as string, ...(r.events ? { events: r.events as WebhookSpec['events'] & object } : {}), token: r.token as string })),
];

/**
 * The team's snapshot document as UTF-8 pieces whose concatenation is its JSON text. The caller
 * holds the team's own writes back until it resolves (a team writing meanwhile could be read half
 * before and half after its write). `sliceMs` only changes where the slices end.
 */
export function snapshotText(ctx: AppContext, teamId: number, opts: { sliceMs?: number } = {}): Promise<Buffer[]> {
  return trackSlices(ctx.db, write(ctx, teamId, opts.sliceMs ?? SLICE_MS));
}

async function write(ctx: AppContext, teamId: number, sliceMs: number): Promise<Buffer[]> {
  const { db } = ctx;
  const epoch = teamEpoch(db, teamId);
  const out = new SlicedText(sliceMs, () => {
    if (teamEpoch(db, teamId) !== epoch) throw new ApiError(409, 'bad_data', 'the team was reset, restored or deleted while its snapshot was being read; take it again').coded('store_replaced');
  });
  const team = db.select().from(teams).where(eq(teams.id, teamId)).get()!;
  const tables = teamTables(db);
  const table = (name: string) => tables.find((t) => t.name === name)!;
  const array = async (t: TeamTable, item: (r: Row) => unknown) => {
    out.write('[');
    let separator = '';
    await eachRow(db, t, teamId, out.pause, (r) => {
      out.write(separator + JSON.stringify(item(r)));
      separator = ',';
    });
    out.write(']');
  };

  const head = JSON.stringify({ id: team.id, name: team.name, list_size: team.listSize, created: toIso(team.created) });
  out.write(`{"format":${JSON.stringify(SNAPSHOT_FORMAT)},"team":${head.slice(0, -1)}`);
  const seats: Seats = new Map();
  await eachRow(db, table('inbox_members'), teamId, out.pause, (r) => {
    const inbox = r.inbox_id as number;
    seats.set(inbox, [...(seats.get(inbox) ?? []), r.member_id as number]);
  });
  for (const { key, item } of PARTS) {
    out.write(`,${JSON.stringify(key)}:`);
    if (item) await array(table(key), (r) => item(r, seats));
    else out.write('[]');
  }
  out.write(',"state":{');
  for (const [i, t] of tables.entries()) {
    out.write(`${i ? ',' : ''}${JSON.stringify(t.name)}:`);
    await array(t, (r) => r);
  }
  out.write('}}}');
  return out.end();
}

/** The text written so far: a piece per ended slice, and the current slice's strings. */
class SlicedText {
  private readonly pieces: Buffer[] = [];
  private slice: string[] = [];
  private deadline: number;

  /** `check` runs after each yield: it throws when what is being read is gone. */
  constructor(
    private readonly sliceMs: number,
    private readonly check: () => void,
  ) {
    this.deadline = performance.now() + sliceMs;
  }

  write(text: string) {
    this.slice.push(text);
  }

  /** Between two steps: once the slice's time is up, its text becomes a piece and the event loop is yielded. */
  readonly pause: Pause = async () => {
    if (performance.now() < this.deadline) return;
    this.flush();
    await nextTurn();
    this.check();
    this.deadline = performance.now() + this.sliceMs;
  };

  end(): Buffer[] {
    this.flush();
    return this.pieces;
  }

  private flush() {
    if (this.slice.length) this.pieces.push(Buffer.from(this.slice.join('')));
    this.slice = [];
  }
}
