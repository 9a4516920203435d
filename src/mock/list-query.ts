import { z } from 'zod';
import type { Channel } from '../db/changes.js';
import { listen } from '../db/changes.js';
import type { Db } from '../db/open.js';
import { lastLogId } from '../db/recording.js';
import { teamGate } from '../db/team-gate.js';

/**
 * The list convention of the control plane's logs (outbox, events, deliveries; spec: Common
 * rules): `since_id`, `limit` (1-500, default 50), `order` (desc default, or asc) and `wait`
 * (0-30 s: hold the request until a matching entry is written, then answer 200 either way).
 */
export const listQuery = {
  since_id: z.coerce.number().int().min(0).optional().describe('Only entries with a larger id'),
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('1-500, default 50'),
  order: z.enum(['desc', 'asc']).default('desc').describe('desc (newest first, default) or asc'),
  wait: z.coerce.number().min(0).max(30).default(0).describe('Seconds to hold the request until a matching entry is written (0-30)'),
};

export interface ListAnswer<E> {
  entries: E[];
  last_id: number;
}

/**
 * Answers a log query, holding it up to `waitS` seconds while nothing matches. It wakes on the
 * committed write itself (src/db/changes.ts), re-runs the query, and waits on for the rest of the
 * time when the new entry does not match the filters. `closing` answers it at once on shutdown.
 */
export async function answerWithWait<E>(
  db: Db,
  channel: Channel,
  teamId: number,
  waitS: number,
  closing: AbortSignal,
  entries: () => E[],
): Promise<ListAnswer<E>> {
  const query = (): ListAnswer<E> => ({ entries: entries(), last_id: lastLogId(db, channel, teamId) });
  let answer = query();
  const deadline = Date.now() + waitS * 1000;
  while (!answer.entries.length && !closing.aborted && Date.now() < deadline) {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stop();
        closing.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, deadline - Date.now());
      const stop = listen(db, channel, (t) => t === teamId && done());
      closing.addEventListener('abort', done);
    });
    // Woken while its team is being written whole: answer from the whole result, not a half-written one.
    await teamGate(db).pass(teamId);
    answer = query();
  }
  return answer;
}
