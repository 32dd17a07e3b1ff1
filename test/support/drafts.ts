import { randomUUID } from 'node:crypto';
import type { Draft } from '../../common/drafts';
import { Prng } from '../../server/seed/prng';

/** A pending draft as drafts:save makes one, for tests and benchmarks of the layers below it. */
export function testDraft(patch: Partial<Draft> = {}, at: number = Date.now()): Draft {
  const time = new Date(at).toISOString();
  return {
    id: randomUUID(),
    employeeId: 'e-1',
    employee: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.test' },
    cellPhone: '+12125550101',
    baseVersion: 1,
    basePhone: null,
    idempotencyKey: randomUUID(),
    state: 'pending',
    createdAt: time,
    updatedAt: time,
    attempts: 0,
    nextAttemptAt: null,
    error: null,
    portal: null,
    ...patch,
  };
}

/** A seeded source of floats in [0, 1) (the demo seed's mulberry32): the same seed replays a run. */
export function seededRandom(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}
