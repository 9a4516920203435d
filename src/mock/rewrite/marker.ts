import { eq } from 'drizzle-orm';
import type { Db } from '../../db/open.js';
import { teamRewrites } from '../../db/schema.js';

// The resumable marker of a whole-team operation written in slices (decision R7): written in the
// first slice that changes the team, removed in the same transaction as its last write, so after
// a crash start-up knows which team was left half-written and what it was becoming.

export type RewriteKind = (typeof teamRewrites.$inferSelect)['kind'];

/** The team a full reset's marker names (no team has id 0). */
export const EVERY_TEAM = 0;

export interface Rewrite {
  team: number;
  kind: RewriteKind;
}

export function markRewrite(db: Db, team: number, kind: RewriteKind, started: number) {
  db.insert(teamRewrites).values({ team, kind, started }).onConflictDoUpdate({ target: teamRewrites.team, set: { kind, started } }).run();
}

export function clearRewrite(db: Db, team: number) {
  db.delete(teamRewrites).where(eq(teamRewrites.team, team)).run();
}

/** Operations a crash interrupted, oldest first. */
export function unfinishedRewrites(db: Db): Rewrite[] {
  return db.select({ team: teamRewrites.team, kind: teamRewrites.kind }).from(teamRewrites).orderBy(teamRewrites.started).all();
}
