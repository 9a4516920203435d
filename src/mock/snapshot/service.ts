import { eq } from 'drizzle-orm';
import { badData } from '../../core/errors.js';
import { replaceTeamEpoch } from '../../db/epochs.js';
import { inTransaction } from '../../db/open.js';
import { teams } from '../../db/schema.js';
import type { AppContext } from '../../context.js';
import type { SeedTeam } from '../seed/schemas.js';
import { insertTeam } from '../seed/service.js';
import { teamConflict, teamShapeProblem } from '../teams/check.js';

export const SNAPSHOT_FORMAT = 'heymarket-mock/snapshot@1';

/**
 * PUT /__mock/snapshot: the team's rows become exactly the document's (ids and timestamps kept),
 * in one transaction; its starting state for a reset (teams.spec) is kept. Every problem is a 400
 * and changes nothing.
 */
export function restoreSnapshot(ctx: AppContext, teamId: number, team: SeedTeam) {
  if (team.id !== teamId) {
    throw badData('team.id', `team.id: this snapshot is of team ${team.id}; a snapshot is restored into the team it was taken from (these credentials are team ${teamId}'s)`, 'invalid_value');
  }
  const problem = teamShapeProblem(team, 'team') ?? teamConflict(ctx.db, team, teamId, 'team');
  if (problem) throw problem;
  const { db } = ctx;
  inTransaction(db, () => {
    const spec = db.select({ spec: teams.spec }).from(teams).where(eq(teams.id, teamId)).get()?.spec ?? null;
    db.delete(teams).where(eq(teams.id, teamId)).run();
    insertTeam(db, team, ctx.clock, ctx.ids, { field: 'team' });
    if (spec) db.update(teams).set({ spec }).where(eq(teams.id, teamId)).run();
  });
  replaceTeamEpoch(db, teamId);
}
