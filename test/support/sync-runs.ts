/**
 * Random sync runs against the reference portal through the fault proxy: shared by
 * test/integration/electron/sync-faults.test.ts (≥ 100 runs in `npm test`) and `npm run bench:sync`
 * (≥ 500 runs). Each run drafts changes to a few employees in a fresh drafts file, sometimes lets
 * another admin change some of them first (or while sync runs), turns on random faults, runs the
 * sync engine until nothing is left to send, and then checks the three promises of offline sync:
 *
 *   - no draft is lost: each one ended synced (in the history), in conflict, or rejected;
 *   - no change is applied twice: the portal's audit holds exactly one entry by the signed-in admin
 *     for each synced draft, none for the others, however many retries there were;
 *   - nothing is silently overwritten: an employee another admin changed after the draft's base
 *     keeps that admin's value, and the draft ends in conflict (or, when the other change came while
 *     sync ran, was applied before it, as the audit's order shows).
 *
 * Everything random comes from one seed per run (the engine's jitter and the proxy's fault
 * decisions included), so a failing run is printed with the seed that reproduces its plan.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Draft } from '../../common/drafts';
import { silentLogger } from '../../electron/main/log';
import { openDraftStore, type DraftStore } from '../../electron/main/offline/draft-store';
import { portalSyncTransport } from '../../electron/main/offline/portal-sync-transport';
import { newDataKey } from '../../electron/main/offline/sealed-box';
import { createSyncEngine, type SyncEngine, type SyncTransport } from '../../electron/main/offline/sync-engine';
import { createPortalClient, type PortalClient, type TokenSource } from '../../electron/main/infra/portal-client';
import { seededRandom, testDraft } from './drafts';
import { FAULT_KINDS, NO_FAULTS, startFaultProxy, type FaultKind, type FaultProxy, type Faults } from './fault-proxy';
import { portalRequest, startTestPortal, tokenFor, type TestPortal } from './portal';

export const ADMIN_EMAIL = 'admin@acme.test';
/** The "someone else" who changes employees on the portal meanwhile (also an Acme admin). */
export const OTHER_ADMIN_EMAIL = 'totp@acme.test';
/** Refused by the portal's phone rules (a premium-rate number): the draft must end rejected. */
export const REFUSED_NUMBER = '+19005551234';
export const SYNC_BACKOFF = { baseMs: 1, maxMs: 20 };

export { seededRandom };

/** A whole number from `low` to `high`, both included. */
export const integerBetween = (random: () => number, low: number, high: number): number => low + Math.floor(random() * (high - low + 1));

/** A valid US number (`prefix` + 4 random digits) other than the ones in `avoid`. */
export function randomNumber(random: () => number, prefix: string, avoid: ReadonlySet<string | null>): string {
  for (;;) {
    const number = `${prefix}${String(integerBetween(random, 0, 9999)).padStart(4, '0')}`;
    if (!avoid.has(number)) return number;
  }
}

/** The engine's clock: real time plus however far a run moved it on to reach a retry. */
export interface VirtualClock {
  now(): number;
  advanceTo(time: number): void;
}
export function virtualClock(): VirtualClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advanceTo(time) {
      offset = Math.max(offset, time - Date.now());
    },
  };
}

/** A sync transport that counts its HTTP requests. */
export function countingTransport(inner: SyncTransport): SyncTransport & { readonly requests: number } {
  let requests = 0;
  return {
    get requests() {
      return requests;
    },
    sendBatch(items) {
      requests++;
      return inner.sendBatch(items);
    },
  };
}

export interface EmployeeRow {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  cell_phone: string | null;
  version: number;
}

export function readEmployees(portal: TestPortal, ids: readonly string[]): Map<string, EmployeeRow> {
  const rows = portal.db
    .prepare(`SELECT id, first_name, last_name, email, cell_phone, version FROM employees WHERE company_id = 'acme' AND id IN (${ids.map(() => '?').join(',')})`)
    .all(...ids) as EmployeeRow[];
  return new Map(rows.map((row) => [row.id, row]));
}

/** Acme's generated employees (not the demo's sign-in accounts), by id. */
export function candidateEmployees(portal: TestPortal): string[] {
  return portal.db.prepare("SELECT id FROM employees WHERE company_id = 'acme' AND password_hash IS NULL ORDER BY id").pluck().all() as string[];
}

export interface AuditRow {
  id: number;
  employee_id: string;
  actor_email: string;
}
export function auditSince(portal: TestPortal, afterId: number, ids: readonly string[]): AuditRow[] {
  return portal.db
    .prepare(`SELECT id, employee_id, actor_email FROM audit_log WHERE id > ? AND employee_id IN (${ids.map(() => '?').join(',')}) ORDER BY id`)
    .all(afterId, ...ids) as AuditRow[];
}
export const lastAuditId = (portal: TestPortal): number => (portal.db.prepare('SELECT coalesce(max(id), 0) FROM audit_log').pluck().get() as number);

/** A draft as the drafts service makes one: against the version and number the admin saw. */
export function draftFor(row: Pick<EmployeeRow, 'id' | 'first_name' | 'last_name' | 'email'>, base: { version: number; cellPhone: string | null }, cellPhone: string, now: number): Draft {
  return testDraft(
    { employeeId: row.id, employee: { firstName: row.first_name, lastName: row.last_name, email: row.email }, cellPhone, baseVersion: base.version, basePhone: base.cellPhone },
    now,
  );
}

/** The portal, the fault proxy in front of it, and a folder for drafts files: one for many runs. */
export interface SyncWorld {
  portal: TestPortal;
  proxy: FaultProxy;
  directory: string;
  candidates: string[];
  /** Changes an employee on the portal directly, as the other admin, against the version it holds now. */
  changeAsOtherAdmin(employeeId: string, cellPhone: string): Promise<void>;
  close(): Promise<void>;
}

export async function startSyncWorld(options: { seed?: string } = {}): Promise<SyncWorld> {
  const portal = await startTestPortal(options.seed ? { seed: options.seed } : {});
  const proxy = await startFaultProxy({ targetPort: portal.port, tls: { cert: portal.tls.cert, key: portal.tls.key } });
  const directory = mkdtempSync(join(tmpdir(), 'portal-admin-sync-'));
  let otherToken = tokenFor(portal, OTHER_ADMIN_EMAIL);
  let otherTokenAt = Date.now();
  return {
    portal,
    proxy,
    directory,
    candidates: candidateEmployees(portal),
    async changeAsOtherAdmin(employeeId, cellPhone) {
      if (Date.now() - otherTokenAt > 5 * 60_000) {
        otherToken = tokenFor(portal, OTHER_ADMIN_EMAIL);
        otherTokenAt = Date.now();
      }
      const row = readEmployees(portal, [employeeId]).get(employeeId);
      if (!row) throw new Error(`no employee ${employeeId}`);
      const answer = await portalRequest(portal, 'PATCH', `/api/v1/employees/${employeeId}`, {
        token: otherToken,
        body: { cellPhone },
        headers: { 'if-match': `"${row.version}"`, 'idempotency-key': randomUUID() },
      });
      if (answer.status !== 200) throw new Error(`the other admin's change to ${employeeId} got ${answer.status}: ${answer.text.slice(0, 200)}`);
    },
    async close() {
      await proxy.close();
      await portal.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A portal client as Portal Admin's main process has one, pointed at the proxy, signed in as the admin. */
export function adminClient(world: SyncWorld, timeouts: { connectMs: number; requestMs: number }): PortalClient {
  let token = tokenFor(world.portal, ADMIN_EMAIL);
  const tokens: TokenSource = {
    accessToken: () => token,
    async refreshAfterRejection() {
      token = tokenFor(world.portal, ADMIN_EMAIL);
      return true;
    },
    onActivity() {},
    onUnauthenticated() {},
  };
  return createPortalClient({
    endpoint: { url: world.proxy.url, caPems: [world.portal.tls.cert] },
    tokens,
    connectTimeoutMs: timeouts.connectMs,
    requestTimeoutMs: timeouts.requestMs,
  });
}

export const isUnsettled = (draft: Draft): boolean => draft.state === 'pending' || draft.state === 'failed' || draft.state === 'syncing';

/**
 * Runs the engine until no draft is pending, failed or syncing, at most `maxIterations` runs.
 * A failed draft waits for its nextAttemptAt: the clock is moved there instead of sleeping.
 */
export async function syncUntilSettled(
  engine: SyncEngine,
  store: () => DraftStore,
  clock: VirtualClock,
  options: { maxIterations: number; beforeIteration?: (iteration: number) => Promise<void> },
): Promise<{ iterations: number; isSettled: boolean }> {
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    if (!store().drafts().some(isUnsettled)) return { iterations: iteration, isSettled: true };
    await options.beforeIteration?.(iteration);
    await engine.run();
    const retries = store().drafts().filter((draft) => draft.state === 'failed' && draft.nextAttemptAt !== null).map((draft) => Date.parse(draft.nextAttemptAt!));
    if (retries.length > 0) clock.advanceTo(Math.min(...retries));
  }
  return { iterations: options.maxIterations, isSettled: !store().drafts().some(isUnsettled) };
}

export interface FaultRunOptions {
  /** At most this many drafts (at least 1). */
  maxDrafts: number;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  /** Engine runs with faults before they are turned off to finish. */
  maxIterations: number;
}

export const DEFAULT_FAULT_RUN: FaultRunOptions = { maxDrafts: 8, requestTimeoutMs: 400, connectTimeoutMs: 400, maxIterations: 200 };

export interface FaultRunOutcome {
  seed: number;
  drafts: number;
  synced: number;
  conflicts: number;
  rejected: number;
  /** Employees another admin changed (before or during the run). */
  concurrent: number;
  iterations: number;
  /** Runs that needed the faults turned off to finish. */
  isFinishedWithoutFaults: boolean;
  requests: number;
  outages: number;
  faults: Record<FaultKind, number>;
  /** Each broken promise, in a sentence naming the draft. */
  lost: string[];
  appliedTwice: string[];
  overwritten: string[];
  /** Anything else that is wrong (a false conflict, a synced draft the portal does not hold…). */
  other: string[];
  plan: string;
}

interface PlannedDraft {
  draft: Draft;
  original: EmployeeRow;
  isRefused: boolean;
  /**
   * The other admin's value, and when it is set: before the run (null) or before engine run number
   * n (after the run, if the run ended sooner).
   */
  concurrent: { cellPhone: string; beforeIteration: number | null; isMade: boolean } | null;
}

function randomFaults(random: () => number): Faults {
  const maybe = (probability: number, value: () => number) => (random() < probability ? value() : 0);
  return {
    latencyMs: maybe(0.5, () => integerBetween(random, 1, 60)),
    resetProbability: maybe(0.6, () => random() * 0.3),
    blackholeProbability: maybe(0.4, () => random() * 0.25),
    unavailableProbability: maybe(0.5, () => random() * 0.3),
    retryAfterSeconds: [0, 2],
    afterPortalShare: random(),
  };
}

const delta = (after: Record<FaultKind, number>, before: Record<FaultKind, number>) =>
  Object.fromEntries(FAULT_KINDS.map((kind) => [kind, after[kind] - before[kind]])) as Record<FaultKind, number>;

/** One random run (see the top of this file). Never throws for a broken promise: it reports it. */
export async function faultRun(world: SyncWorld, seed: number, options: FaultRunOptions = DEFAULT_FAULT_RUN): Promise<FaultRunOutcome> {
  const random = seededRandom(seed);
  const { portal, proxy } = world;
  const clock = virtualClock();

  // The plan: employees, values, the other admin's changes, faults, an outage.
  const count = integerBetween(random, 1, options.maxDrafts);
  const ids = new Set<string>();
  while (ids.size < count) ids.add(world.candidates[integerBetween(random, 0, world.candidates.length - 1)]!);
  const rows = readEmployees(portal, [...ids]);
  const planned: PlannedDraft[] = [...ids].map((id) => {
    const original = rows.get(id)!;
    const isRefused = random() < 0.08;
    const cellPhone = isRefused ? REFUSED_NUMBER : randomNumber(random, '+1212555', new Set([original.cell_phone]));
    const isConcurrent = !isRefused && random() < 0.3;
    const concurrent = isConcurrent
      ? { cellPhone: randomNumber(random, '+1646555', new Set([original.cell_phone])), beforeIteration: random() < 0.7 ? null : integerBetween(random, 0, 3), isMade: false }
      : null;
    return { draft: draftFor(original, { version: original.version, cellPhone: original.cell_phone }, cellPhone, clock.now()), original, isRefused, concurrent };
  });
  const faults = randomFaults(random);
  const outage = random() < 0.25 ? { from: integerBetween(random, 0, 4), to: 0 } : null;
  if (outage) outage.to = outage.from + integerBetween(random, 1, 3);
  const batchSize = integerBetween(random, 1, count);
  const plan =
    `${count} drafts (batches of ${batchSize}), ${planned.filter((item) => item.concurrent).length} changed by another admin, ` +
    `${planned.filter((item) => item.isRefused).length} refused; faults ${JSON.stringify(faults)}` +
    (outage ? `; portal away from run ${outage.from} to ${outage.to}` : '');

  const file = join(world.directory, `run-${seed}.drafts`);
  const store = openDraftStore({ file, key: newDataKey(), account: ADMIN_EMAIL, log: silentLogger });
  store.transact((document) => {
    document.drafts.push(...planned.map((item) => item.draft));
  });
  const client = adminClient(world, { connectMs: options.connectTimeoutMs, requestMs: options.requestTimeoutMs });
  const transport = countingTransport(portalSyncTransport(client));
  const engine = createSyncEngine({
    store: () => store,
    gate: () => ({ ok: true, transport }),
    log: silentLogger,
    clock: clock.now,
    random,
    batchSize,
    backoff: SYNC_BACKOFF,
    isAutomatic: false,
  });

  const auditStart = lastAuditId(portal);
  const countersBefore = proxy.counters();
  let isFinishedWithoutFaults = false;
  let iterations: number;
  const changeAsOtherAdmin = async (item: PlannedDraft) => {
    if (!item.concurrent || item.concurrent.isMade) return;
    item.concurrent.isMade = true;
    await world.changeAsOtherAdmin(item.draft.employeeId, item.concurrent.cellPhone);
  };
  try {
    for (const item of planned) if (item.concurrent?.beforeIteration === null) await changeAsOtherAdmin(item);
    proxy.setRandom(seededRandom(seed ^ 0x5bd1e995));
    proxy.setFaults(faults);
    const withFaults = await syncUntilSettled(engine, () => store, clock, {
      maxIterations: options.maxIterations,
      async beforeIteration(iteration) {
        if (outage && iteration === outage.from) await proxy.stop();
        if (outage && iteration === outage.to) await proxy.start();
        for (const item of planned) if (item.concurrent?.beforeIteration === iteration) await changeAsOtherAdmin(item);
      },
    });
    iterations = withFaults.iterations;
    proxy.setFaults(NO_FAULTS);
    await proxy.start();
    if (!withFaults.isSettled) {
      isFinishedWithoutFaults = true;
      const finish = await syncUntilSettled(engine, () => store, clock, { maxIterations: 50 });
      iterations += finish.iterations;
    }
    // A request the proxy still holds or delays must reach the portal before the audit is read.
    await proxy.idle(5_000);
    for (const item of planned) await changeAsOtherAdmin(item);
  } finally {
    engine.stop();
    client.dispose();
    proxy.setFaults(NO_FAULTS);
    await proxy.start();
  }

  const outcome: FaultRunOutcome = {
    seed,
    drafts: count,
    synced: 0,
    conflicts: 0,
    rejected: 0,
    concurrent: planned.filter((item) => item.concurrent).length,
    iterations,
    isFinishedWithoutFaults,
    requests: transport.requests,
    outages: proxy.counters().outages - countersBefore.outages,
    faults: delta(proxy.counters().faults, countersBefore.faults),
    lost: [],
    appliedTwice: [],
    overwritten: [],
    other: [],
    plan,
  };

  const now = readEmployees(portal, [...ids]);
  const audit = auditSince(portal, auditStart, [...ids]);
  for (const item of planned) {
    const { draft } = item;
    const name = `draft ${draft.id} (${draft.employeeId} → ${draft.cellPhone})`;
    const synced = store.history().filter((entry) => entry.draftId === draft.id);
    const left = store.get(draft.id);
    const current = now.get(draft.employeeId)!;
    const mine = audit.filter((row) => row.employee_id === draft.employeeId && row.actor_email === ADMIN_EMAIL);
    const theirs = audit.filter((row) => row.employee_id === draft.employeeId && row.actor_email !== ADMIN_EMAIL);

    if (synced.length > 0) outcome.synced++;
    if (left?.state === 'conflict') outcome.conflicts++;
    if (left?.state === 'rejected') outcome.rejected++;
    if (synced.length === 0 && !left) outcome.lost.push(`${name} vanished: neither in the history nor among the drafts`);
    if (left && isUnsettled(left)) outcome.lost.push(`${name} is still ${left.state} after the run (${left.error?.code ?? 'no error'})`);
    if (synced.length > 0 && left) outcome.other.push(`${name} is both in the history and still a ${left.state} draft`);
    if (synced.length > 1) outcome.other.push(`${name} is ${synced.length} times in the history`);

    if (mine.length > 1) outcome.appliedTwice.push(`${name} was applied ${mine.length} times (audit rows ${mine.map((row) => row.id).join(', ')})`);
    if (synced.length > 0 && mine.length === 0) outcome.other.push(`${name} is in the history but the portal never applied it`);
    if (synced.length === 0 && mine.length > 0) outcome.other.push(`${name} was applied by the portal (audit ${mine[0]!.id}) but the draft ended ${left?.state ?? 'missing'}`);

    if (item.concurrent) {
      if (current.cell_phone !== item.concurrent.cellPhone) {
        outcome.overwritten.push(`${name}: the other admin's ${item.concurrent.cellPhone} was replaced by ${current.cell_phone}`);
      }
      if (item.concurrent.beforeIteration === null && left?.state !== 'conflict') {
        outcome.overwritten.push(`${name}: changed by another admin before sync, but the draft ended ${synced.length > 0 ? 'synced' : (left?.state ?? 'missing')}, not in conflict`);
      }
      if (synced.length > 0 && mine.length > 0 && theirs.length > 0 && mine[0]!.id > theirs[0]!.id) {
        outcome.overwritten.push(`${name} was applied (audit ${mine[0]!.id}) after the other admin's change (audit ${theirs[0]!.id})`);
      }
      if (left?.state === 'conflict' && left.portal?.cellPhone !== item.concurrent.cellPhone) {
        outcome.other.push(`${name}: the conflict shows the portal's number as ${left.portal?.cellPhone ?? 'nothing'}, not ${item.concurrent.cellPhone}`);
      }
    } else if (item.isRefused) {
      if (left?.state !== 'rejected') outcome.other.push(`${name}: a number the portal refuses ended ${synced.length > 0 ? 'synced' : (left?.state ?? 'missing')}, not rejected`);
      if (current.cell_phone !== item.original.cell_phone) outcome.other.push(`${name}: refused, yet the portal's number changed to ${current.cell_phone}`);
    } else {
      if (synced.length === 0) outcome.other.push(`${name}: nobody else changed the employee, yet the draft ended ${left?.state ?? 'missing'} (${left?.error?.message ?? ''})`);
      if (current.cell_phone !== draft.cellPhone) outcome.other.push(`${name}: the portal holds ${current.cell_phone}, not the drafted number`);
    }
  }
  rmSync(file, { force: true });
  return outcome;
}

export const isCleanRun = (outcome: FaultRunOutcome): boolean =>
  outcome.lost.length + outcome.appliedTwice.length + outcome.overwritten.length + outcome.other.length === 0;

/** Every problem of a run, each prefixed with the run's seed and plan. */
export function describeProblems(outcome: FaultRunOutcome): string[] {
  const problems = [...outcome.lost, ...outcome.appliedTwice, ...outcome.overwritten, ...outcome.other];
  return problems.map((problem) => `seed ${outcome.seed} [${outcome.plan}]: ${problem}`);
}

export interface FaultRunTotals {
  runs: number;
  drafts: number;
  synced: number;
  conflicts: number;
  rejected: number;
  concurrent: number;
  requests: number;
  outages: number;
  finishedWithoutFaults: number;
  faults: Record<FaultKind, number>;
  lost: number;
  appliedTwice: number;
  overwritten: number;
  other: number;
  cleanRuns: number;
}

export function totalsOf(outcomes: readonly FaultRunOutcome[]): FaultRunTotals {
  const faults = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  for (const outcome of outcomes) for (const kind of FAULT_KINDS) faults[kind] += outcome.faults[kind];
  const sum = (pick: (outcome: FaultRunOutcome) => number) => outcomes.reduce((total, outcome) => total + pick(outcome), 0);
  return {
    runs: outcomes.length,
    drafts: sum((outcome) => outcome.drafts),
    synced: sum((outcome) => outcome.synced),
    conflicts: sum((outcome) => outcome.conflicts),
    rejected: sum((outcome) => outcome.rejected),
    concurrent: sum((outcome) => outcome.concurrent),
    requests: sum((outcome) => outcome.requests),
    outages: sum((outcome) => outcome.outages),
    finishedWithoutFaults: sum((outcome) => (outcome.isFinishedWithoutFaults ? 1 : 0)),
    faults,
    lost: sum((outcome) => outcome.lost.length),
    appliedTwice: sum((outcome) => outcome.appliedTwice.length),
    overwritten: sum((outcome) => outcome.overwritten.length),
    other: sum((outcome) => outcome.other.length),
    cleanRuns: outcomes.filter(isCleanRun).length,
  };
}
