import { badData } from '../../core/errors.js';
import type { AppContext } from '../../context.js';
import { restoreTeam } from '../rewrite/service.js';
import type { SeedTeam } from '../seed/schemas.js';

export const SNAPSHOT_FORMAT = 'heymarket-mock/snapshot@1';

/**
 * PUT /__mock/snapshot: the team's rows become exactly the document's (ids and timestamps kept),
 * checked whole first and then written in slices behind the team's gate (src/mock/rewrite,
 * decision R7); its starting state for a reset is kept. Every problem is a 400 and changes nothing.
 */
export async function restoreSnapshot(ctx: AppContext, seed: SeedTeam[], teamId: number, team: SeedTeam): Promise<void> {
  if (team.id !== teamId) {
    throw badData('team.id', `team.id: this snapshot is of team ${team.id}; a snapshot is restored into the team it was taken from (these credentials are team ${teamId}'s)`, 'invalid_value');
  }
  await restoreTeam(ctx, seed, teamId, team);
}
