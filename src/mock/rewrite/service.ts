import { sql } from 'drizzle-orm';
import { ApiError, badData, notFound } from '../../core/errors.js';
import type { Db } from '../../db/open.js';
import { runSteps, runStepsSliced, type Step } from '../../db/slices.js';
import { teamGate } from '../../db/team-gate.js';
import type { AppContext } from '../../context.js';
import type { Clocks } from '../../core/clock.js';
import type { IdSource } from '../../core/ids.js';
import type { SeedTeam } from '../seed/schemas.js';
import { specSteps, teamSteps } from '../seed/service.js';
import { checkState, type ReadyState } from '../snapshot/insert-rows.js';
import { conflictSteps, shapeSteps } from '../teams/check.js';
import { uuidSteps } from '../teams/service.js';
import { deleteTeam as deleteTeamRow, teamExists } from '../teams/store.js';
import { rowSteps } from './delete.js';
import { clearRewrite, EVERY_TEAM, markRewrite, unfinishedRewrites, type Rewrite, type RewriteKind } from './marker.js';

// The control plane's whole-team operations (decision R7): a team created, reset, restored or
// deleted, and the full reset. Each is checked first, with nothing written (a refused one changes
// nothing), then written in slices behind the team gate (src/db/team-gate.ts) so other teams are
// served meanwhile, with a marker (./marker.ts) from its first write to its last: a crash or a
// failure in between is undone by undoSteps, here or at the next start.

interface Deps {
  db: Db;
  clock: Clocks;
  ids: IdSource;
  /** The seed teams (the default team and the seed file's): what a reset goes back to. */
  seed: SeedTeam[];
}

const deps = (ctx: AppContext, seed: SeedTeam[]): Deps => ({ db: ctx.db, clock: ctx.clock, ids: ctx.ids, seed });

/**
 * Checks the team in slices, writing nothing: on its own, against the other teams' ids and
 * credentials (`self` may keep its own), and its `state` against the store. Throws the first
 * problem (a 400); answers the state's rows ready to insert.
 */
async function checked(d: Deps, t: SeedTeam, self: number | undefined, prefix = ''): Promise<ReadyState> {
  const ready: ReadyState = { tables: [] };
  const field = prefix ? `${prefix}.state` : 'state';
  await runStepsSliced(
    d.db,
    (function* () {
      yield* shapeSteps(t, prefix);
      yield* conflictSteps(d.db, t, self, prefix);
      if (t.state) yield* checkState(d.db, t.id, t.state, field, ready);
    })(),
  );
  return ready;
}

/** Steps that delete the team: its rows in slices, then its row (teams/store.ts), whose cascade has nothing left but the spec's parts. */
function* goneSteps(db: Db, teamId: number): Generator<Step> {
  yield* rowSteps(db, teamId);
  yield () => void deleteTeamRow(db, teamId);
}

/**
 * Writes `steps` in slices between the marker's writing and its removal. When a step fails after
 * the marker was committed, the team is put back by undoSteps before the error is thrown (it is
 * the mock's own failure, a 500); when that fails too, the marker stays for the next start.
 */
async function write(d: Deps, team: number, kind: RewriteKind, steps: Iterable<Step>): Promise<void> {
  const { db } = d;
  function* all(): Generator<Step> {
    yield () => markRewrite(db, team, kind, Date.now());
    yield* steps;
    yield () => clearRewrite(db, team);
  }
  try {
    await runStepsSliced(db, all());
  } catch (err) {
    const left = unfinishedRewrites(db).find((r) => r.team === team);
    if (left) await runStepsSliced(db, undoSteps(d, left)).catch(() => undefined);
    throw err;
  }
}

/** The steps that take a team from wherever an interrupted operation left it to a whole state. */
function* undoSteps(d: Deps, r: Rewrite): Generator<Step> {
  const { db } = d;
  if (r.kind === 'reset-all') {
    yield* fullResetSteps(d);
  } else if (r.kind === 'create' || r.kind === 'delete') {
    // A team being created was never acknowledged; one being deleted was asked to go.
    yield* goneSteps(db, r.team);
  } else {
    // A reset finishes; a restore cut short cannot finish (its document is gone): the team goes back to its starting state too.
    yield* resetSteps(d, r.team);
  }
  yield () => clearRewrite(db, r.team);
}

/** Steps that put one team back to its starting state (its spec, else its seed; neither: it is deleted). */
function* resetSteps(d: Deps, teamId: number, known?: { t: SeedTeam | undefined; ready: ReadyState }): Generator<Step> {
  const { db } = d;
  let t = known?.t;
  if (!known) {
    const out: { spec?: SeedTeam } = {};
    yield* specSteps(db, teamId, out);
    t = out.spec ?? d.seed.find((x) => x.id === teamId);
  }
  const exists = teamExists(db, teamId);
  if (!t) return yield* goneSteps(db, teamId);
  const ready = known?.ready ?? { tables: [] };
  yield* rowSteps(db, teamId, { keepCredentials: exists });
  if (!known && t.state) yield* checkState(db, teamId, t.state, 'state', ready);
  yield* teamSteps(db, t, d.clock, d.ids, { row: exists ? 'update' : 'insert', ready });
}

function* fullResetSteps(d: Deps): Generator<Step> {
  const { db } = d;
  yield* rowSteps(db, undefined);
  const dropTeams = db.$client.prepare('DELETE FROM teams WHERE rowid IN (SELECT rowid FROM teams LIMIT 250)');
  for (let more = true; more; ) yield () => void (more = dropTeams.run().changes > 0);
  yield () => void db.run(sql`DELETE FROM sqlite_sequence`);
  for (const t of d.seed) {
    const ready: ReadyState = { tables: [] };
    if (t.state) yield* checkState(db, t.id, t.state, 'state', ready);
    yield* teamSteps(db, t, d.clock, d.ids, { row: 'insert', ready });
  }
}

/** POST /__mock/teams: writes the team `build` makes (found when the operation starts, so its id is free). */
export function createTeam(ctx: AppContext, seed: SeedTeam[], build: () => SeedTeam): Promise<number> {
  const d = deps(ctx, seed);
  let spec: SeedTeam | undefined;
  return teamGate(d.db).run(
    () => (spec = build()).id,
    async () => {
      const t = spec!;
      await runStepsSliced(d.db, uuidSteps(t, d.ids));
      const ready = await checked(d, t, undefined);
      d.clock.forget(t.id); // a team of this id deleted earlier leaves no clock behind
      await write(d, t.id, 'create', teamSteps(d.db, t, d.clock, d.ids, { row: 'insert', spec: true, ready }));
      return t.id;
    },
  );
}

/** PUT /__mock/snapshot: the team's rows become exactly the document's; its starting state is kept. */
export function restoreTeam(ctx: AppContext, seed: SeedTeam[], teamId: number, team: SeedTeam): Promise<void> {
  const d = deps(ctx, seed);
  return teamGate(d.db).run(teamId, async () => {
    const ready = await checked(d, team, teamId, 'team');
    await write(d, teamId, 'restore', resetSteps(d, teamId, { t: team, ready }));
  });
}

/**
 * POST /__mock/reset: one team back to how POST /__mock/teams created it, else to its seed (a team
 * in neither is deleted); without a team, the whole store back to the seed (ids restart from 1).
 */
export function resetTeams(ctx: AppContext, seed: SeedTeam[], teamId: number | undefined): Promise<void> {
  const d = deps(ctx, seed);
  if (teamId === undefined) {
    return teamGate(d.db).run('all', async () => {
      d.clock.forget(undefined);
      await write(d, EVERY_TEAM, 'reset-all', fullResetSteps(d));
    });
  }
  return teamGate(d.db).run(teamId, async () => {
    d.clock.forget(teamId); // the team's clock starts again (decision K1), before the seed stamps its rows
    const out: { spec?: SeedTeam } = {};
    await runStepsSliced(d.db, specSteps(d.db, teamId, out));
    const t = out.spec ?? seed.find((x) => x.id === teamId);
    let ready: ReadyState = { tables: [] };
    if (t) {
      // The starting state was checked when it was made; only another team may since hold its ids.
      ready = await checked(d, t, teamId).catch((e: unknown) => {
        throw e instanceof ApiError ? badData('team', `team: team ${teamId} cannot go back to its starting state: ${e.message}`, 'invalid_value') : e;
      });
    }
    await write(d, teamId, 'reset', resetSteps(d, teamId, { t, ready }));
  });
}

/** DELETE /__mock/teams/:id: the team and every row it owns. */
export function deleteTeam(ctx: AppContext, seed: SeedTeam[], teamId: number): Promise<void> {
  const d = deps(ctx, seed);
  return teamGate(d.db).run(teamId, async () => {
    if (!teamExists(d.db, teamId)) throw notFound(`no team with id ${teamId}`, 'id');
    await write(d, teamId, 'delete', goneSteps(d.db, teamId));
    d.clock.forget(teamId);
  });
}

/**
 * At start-up, before the seed is applied: every operation a crash interrupted is undone at once
 * (nothing is served yet). Answers what was found, for the start-up log.
 */
export function recoverRewrites(db: Db, seed: SeedTeam[], clock: Clocks, ids: IdSource): Rewrite[] {
  const left = unfinishedRewrites(db);
  for (const r of left) runSteps(db, undoSteps({ db, clock, ids, seed }, r));
  return left;
}
