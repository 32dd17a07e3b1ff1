/**
 * Sync under faults: ≥ 100 random runs of the real sync engine, portal client and drafts store
 * against the reference portal (real HTTPS, real SQLite) through the fault proxy: latency, resets
 * before and after the portal applied a batch, hangs, injected 503s and the portal going away.
 * After every run: no draft lost, no change applied twice, nothing silently overwritten
 * (test/support/sync-runs.ts). Reproduce a failure with the printed seed: SYNC_FAULTS_SEED=<seed>.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../electron/main/log';
import { openDraftStore } from '../../../electron/main/offline/draft-store';
import { portalSyncTransport } from '../../../electron/main/offline/portal-sync-transport';
import { newDataKey } from '../../../electron/main/offline/sealed-box';
import { createSyncEngine } from '../../../electron/main/offline/sync-engine';
import { FAULT_KINDS, NO_FAULTS } from '../../support/fault-proxy';
import {
  ADMIN_EMAIL,
  adminClient,
  describeProblems,
  draftFor,
  faultRun,
  readEmployees,
  startSyncWorld,
  totalsOf,
  virtualClock,
  type FaultRunOutcome,
  type SyncWorld,
} from '../../support/sync-runs';

const RUNS = 120;
const SEED = Number(process.env.SYNC_FAULTS_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe('sync under network faults', () => {
  let world: SyncWorld;

  beforeAll(async () => {
    world = await startSyncWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  it(`${RUNS} random runs lose nothing, apply nothing twice and overwrite nothing`, async () => {
    console.log(`sync-faults: seed ${SEED} (reproduce with SYNC_FAULTS_SEED=${SEED})`);
    const outcomes: FaultRunOutcome[] = [];
    for (let run = 0; run < RUNS; run++) outcomes.push(await faultRun(world, SEED + run));
    const totals = totalsOf(outcomes);
    console.log(`sync-faults: ${JSON.stringify(totals)}`);

    expect(outcomes.flatMap(describeProblems), `seed ${SEED}`).toEqual([]);
    expect(totals.lost + totals.appliedTwice + totals.overwritten).toBe(0);
    // The runs did meet every kind of fault, and both outcomes that need care.
    for (const kind of FAULT_KINDS) expect(totals.faults[kind], `${kind} faults injected (seed ${SEED})`).toBeGreaterThan(0);
    expect(totals.outages, `outages (seed ${SEED})`).toBeGreaterThan(0);
    expect(totals.conflicts).toBeGreaterThan(0);
    expect(totals.rejected).toBeGreaterThan(0);
  }, 150_000);

  it('does not retry a batch sooner than the Retry-After of a 503', async () => {
    const [employeeId] = world.candidates;
    const row = readEmployees(world.portal, [employeeId!]).get(employeeId!)!;
    const clock = virtualClock();
    const store = openDraftStore({ file: `${world.directory}/retry-after.drafts`, key: newDataKey(), account: ADMIN_EMAIL, log: silentLogger });
    store.transact((document) => {
      document.drafts.push(draftFor(row, { version: row.version, cellPhone: row.cell_phone }, '+12125550199', clock.now()));
    });
    const client = adminClient(world, { connectMs: 2_000, requestMs: 2_000 });
    const transport = portalSyncTransport(client);
    const engine = createSyncEngine({ store: () => store, gate: () => ({ ok: true, transport }), log: silentLogger, clock: clock.now, backoff: { baseMs: 1, maxMs: 20 }, isAutomatic: false });
    try {
      world.proxy.setFaults({ unavailableProbability: 1, retryAfterSeconds: [7, 7] });
      const before = clock.now();
      await engine.run();
      const [draft] = store.drafts();
      expect(draft?.state).toBe('failed');
      expect(Date.parse(draft!.nextAttemptAt!) - before, 'the retry waits for Retry-After: 7').toBeGreaterThanOrEqual(7_000);
    } finally {
      world.proxy.setFaults(NO_FAULTS);
      engine.stop();
      client.dispose();
    }
  });
});
