import { z } from 'zod';
import { seedTeam } from '../seed/schemas.js';
import { SNAPSHOT_FORMAT } from './service.js';

// Wire shapes of GET and PUT /__mock/snapshot. The PUT body is also parsed item by item, off one
// long synchronous step, by parseSnapshotBody (src/mock/seed/parse-sliced.ts).

const teamDescription = 'The team in the seed-file format, with every row it owns under state: also a seed-file team and a POST /__mock/teams body';

/** The body of PUT /__mock/snapshot: the document GET answers. */
export const snapshotBody = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT).describe('The snapshot format and its version'),
  team: seedTeam.describe(teamDescription),
});
export type SnapshotBody = z.output<typeof snapshotBody>;

// The answer is the same document, but seedTeam's request limits count items before parsing them
// (a preprocess step, src/wire/limits.ts), which zod cannot run backwards to encode an answer; the
// answer's team is declared as the object PUT takes (its shape is the PUT body's `team`).
export const snapshotAnswer = z.strictObject({
  format: snapshotBody.shape.format,
  team: z.record(z.string(), z.unknown()).describe(`${teamDescription} (the shape of PUT /__mock/snapshot's team)`),
});
