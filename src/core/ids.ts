import { createHash, randomUUID } from 'node:crypto';

/**
 * The source of entity UUIDs (contacts, tags, lists, templates). Request ids do not come from
 * here, so a seeded source gives the same UUIDs for the same writes whatever else was asked.
 */
export interface IdSource {
  uuid(): string;
}

export class RandomIds implements IdSource {
  uuid(): string {
    return randomUUID();
  }
}

/** Version-4-shaped UUIDs derived from `seed` and a counter: the same seed, the same sequence. */
export class SeededIds implements IdSource {
  private n = 0;

  constructor(private readonly seed: string) {}

  uuid(): string {
    const h = createHash('sha256').update(`${this.seed}:${this.n++}`).digest('hex');
    const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

/** Readable ids for tests: 00000000-0000-4000-8000-000000000001, ... */
export class SequentialIds implements IdSource {
  constructor(private n = 1) {}

  uuid(): string {
    return `00000000-0000-4000-8000-${(this.n++).toString(16).padStart(12, '0')}`;
  }
}
