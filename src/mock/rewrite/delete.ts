import type { Db } from '../../db/open.js';
import { prepared } from '../../db/prepared.js';
import type { Step } from '../../db/slices.js';
import { CREDENTIAL_TABLES, tablesInWriteOrder } from '../snapshot/insert-rows.js';

// A team's rows deleted in steps of a bounded number of rows, children before parents, so a team
// of any size is deleted in slices; `DELETE FROM teams` with its cascade would be one long step.
// Every team table has an index led by team_id (test/db/team-scope.test.ts), so each step finds
// its rows without reading other teams'.

/** Rows per step. */
const ROWS_PER_STEP = 250;

/**
 * Steps that delete every row the team owns (every team's with `teamId` undefined), children
 * first; the teams rows themselves stay. `keepCredentials`: leave the team's API Secrets and keys.
 */
export function* rowSteps(db: Db, teamId: number | undefined, opts: { keepCredentials?: boolean } = {}): Generator<Step> {
  const tables = [...tablesInWriteOrder(db)].reverse();
  for (const t of tables) {
    if (opts.keepCredentials && CREDENTIAL_TABLES.has(t.name)) continue;
    const where = teamId === undefined ? '' : 'WHERE team_id = ?';
    const stmt = prepared(db, `rewrite.delete.${t.name}.${teamId === undefined ? 'all' : 'team'}`, () =>
      db.$client.prepare(`DELETE FROM "${t.name}" WHERE rowid IN (SELECT rowid FROM "${t.name}" ${where} LIMIT ${ROWS_PER_STEP})`),
    );
    let more = true;
    while (more) {
      yield () => {
        more = (teamId === undefined ? stmt.run() : stmt.run(teamId)).changes === ROWS_PER_STEP;
      };
    }
  }
}
