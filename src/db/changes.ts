import { afterCommit, type Db } from './open.js';

/**
 * Committed-change signals, per database: "team T's <log> got a new entry". A store announces
 * inside its transaction; listeners hear it only after the commit (never for a rollback). Long-poll
 * requests wake on it (no polling loop), and webhook delivery enqueues on it. Listeners must be
 * quick and must not write.
 */
export type Channel = 'outbox' | 'events' | 'deliveries';
type Listener = (teamId: number) => void;

const buses = new WeakMap<Db, Map<Channel, Set<Listener>>>();

function listeners(db: Db, channel: Channel): Set<Listener> {
  let bus = buses.get(db);
  if (!bus) buses.set(db, (bus = new Map()));
  let set = bus.get(channel);
  if (!set) bus.set(channel, (set = new Set()));
  return set;
}

/** Announces a new entry of `channel` for `teamId`, heard once the write commits. */
export function announce(db: Db, channel: Channel, teamId: number): void {
  afterCommit(db, () => {
    for (const l of [...listeners(db, channel)]) l(teamId);
  });
}

/** Listens to `channel`; returns the function that stops listening. */
export function listen(db: Db, channel: Channel, listener: Listener): () => void {
  const set = listeners(db, channel);
  set.add(listener);
  return () => set.delete(listener);
}
