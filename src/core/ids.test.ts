import { describe, expect, it } from 'vitest';
import { RandomIds, SeededIds, SequentialIds } from './ids.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('id sources', () => {
  it('a seeded source gives the same version-4 UUIDs for the same seed, another for another seed', () => {
    const a = new SeededIds('run-1');
    const b = new SeededIds('run-1');
    const seqA = [a.uuid(), a.uuid(), a.uuid()];
    expect([b.uuid(), b.uuid(), b.uuid()]).toEqual(seqA);
    for (const id of seqA) expect(id).toMatch(UUID_V4);
    expect(new Set(seqA).size).toBe(3);
    expect(new SeededIds('run-2').uuid()).not.toBe(seqA[0]);
  });

  it('random and sequential sources give UUIDs', () => {
    expect(new RandomIds().uuid()).toMatch(UUID_V4);
    const s = new SequentialIds();
    expect([s.uuid(), s.uuid()]).toEqual(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']);
  });
});
