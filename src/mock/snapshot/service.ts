import { eq } from 'drizzle-orm';
import { badData } from '../../core/errors.js';
import { replaceTeamEpoch } from '../../db/epochs.js';
import { inTransaction } from '../../db/open.js';
import { teams } from '../../db/schema.js';
import { toIso } from '../../domain/time.js';
import type { AppContext } from '../../context.js';
import type { SeedTeam } from '../seed/schemas.js';
import { insertTeam } from '../seed/service.js';
import { teamConflict, teamShapeProblem } from '../teams/check.js';
import type { WebhookSpec } from '../webhooks/schemas.js';
import { dumpRows } from './rows.js';

export const SNAPSHOT_FORMAT = 'heymarket-mock/snapshot@1';

type Row = Record<string, unknown>;

/**
 * The team's whole state (GET /__mock/snapshot): every row it owns under `state`, and the
 * seed-format parts (credentials, members, inboxes, surveys) read from those rows, so the
 * document is also a seed-file team and a POST /__mock/teams body (decision T5).
 */
export function takeSnapshot(ctx: AppContext, teamId: number): { format: typeof SNAPSHOT_FORMAT; team: SeedTeam } {
  const { db } = ctx;
  return inTransaction(db, () => {
    const team = db.select().from(teams).where(eq(teams.id, teamId)).get()!;
    const state = dumpRows(db, teamId);
    const rows = (table: string) => (state[table] ?? []) as Row[];
    const seats = new Map<number, number[]>();
    for (const r of rows('inbox_members')) seats.set(r.inbox_id as number, [...(seats.get(r.inbox_id as number) ?? []), r.member_id as number]);
    return {
      format: SNAPSHOT_FORMAT,
      team: {
        id: team.id,
        name: team.name,
        list_size: team.listSize,
        created: toIso(team.created),
        api_secrets: rows('api_secrets').map((r) => ({ secret_id: r.secret_id as string, secret_key: r.secret_key as string })),
        api_keys: rows('api_keys').map((r) => r.key as string),
        members: rows('members').map((r) => ({
          id: r.id as number,
          first_name: r.first_name as string,
          last_name: r.last_name as string,
          email: r.email as string,
          phone: r.phone as string,
          role_id: r.role_id as 1 | 4,
        })),
        inboxes: rows('inboxes').map((r) => ({
          id: r.id as number,
          name: r.name as string,
          type: r.kind as 'sms' | 'email',
          ...(r.kind === 'sms' ? { phone: r.phone as string, phones: r.phones as string[] } : { email: r.email as string }),
          members: seats.get(r.id as number) ?? [],
          auto_assignable: r.auto_assignable as boolean,
          toll_free: r.toll_free as boolean,
        })),
        fields: [],
        tags: [],
        contacts: [],
        surveys: rows('surveys').map((r) => ({
          id: r.id as number,
          name: r.name as string,
          type: r.type as string,
          question: r.question as string,
          created: toIso(r.created as number),
          updated: toIso(r.updated as number),
        })),
        webhooks: rows('webhooks').map((r) => ({
          url: r.url as string,
          ...(r.events ? { events: r.events as WebhookSpec['events'] & object } : {}),
          token: r.token as string,
        })),
        state,
      },
    };
  });
}

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
