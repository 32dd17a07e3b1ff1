/**
 * A model-based test of offline sync (fast-check `commands` + `asyncModelRun`): random sequences of
 * Edit, SomeoneElseEdits, GoOffline, GoOnline, Sync and Crash+Restart against the real sync engine,
 * drafts file and portal client, talking to the reference portal through the fault proxy.
 *
 * The model keeps, per employee, what the portal holds, what the admin's local copy shows, and the
 * employee's draft (one per employee: editing again replaces its number). Sync applies a draft when
 * its base is still the portal's version, else leaves it in conflict beside the portal's copy. A
 * crash while a batch is out either happens before the portal saw it, or after the portal applied
 * it and before the answer arrived: the drafts are left `syncing` and, re-sent with the same keys,
 * get the stored answers (an edit after the crash gets a new key and so is a new change).
 *
 * After every command the portal, the drafts file and the local copy must match the model; at the
 * end everything is sent online and no draft may be missing (each one synced or in conflict).
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../electron/main/log';
import { openDraftStore, type DraftStore } from '../../../electron/main/offline/draft-store';
import { portalSyncTransport } from '../../../electron/main/offline/portal-sync-transport';
import { newDataKey } from '../../../electron/main/offline/sealed-box';
import { createSyncEngine, type SyncEngine, type SyncTransport } from '../../../electron/main/offline/sync-engine';
import type { PortalClient } from '../../../electron/main/infra/portal-client';
import { NO_FAULTS } from '../../support/fault-proxy';
import {
  ADMIN_EMAIL,
  SYNC_BACKOFF,
  adminClient,
  draftFor,
  isUnsettled,
  readEmployees,
  startSyncWorld,
  syncUntilSettled,
  virtualClock,
  type EmployeeRow,
  type SyncWorld,
  type VirtualClock,
} from '../../support/sync-runs';

const EMPLOYEES_PER_RUN = 3;
const NUM_RUNS = Number(process.env.SYNC_MODEL_RUNS ?? 100);
const SEED = process.env.SYNC_MODEL_SEED === undefined ? undefined : Number(process.env.SYNC_MODEL_SEED);

/** How often each command (and a replayed answer) happened (printed, and checked: the interesting ones must have happened). */
const ran = new Map<string, number>();
const tally = (name: string) => ran.set(name, (ran.get(name) ?? 0) + 1);

interface Snapshot {
  cellPhone: string | null;
  version: number;
}
/** What the portal answered (or stored with the idempotency key) for a draft's change. */
type Outcome = { status: 200; employee: Snapshot } | { status: 412; current: Snapshot };

interface ModelDraft {
  cellPhone: string;
  baseVersion: number;
  isConflict: boolean;
  /** In conflict: the portal's copy the draft shows. */
  conflictPortal: Snapshot | null;
  /** The answer the portal stored for this draft's current key (applied by a batch whose answer was lost). */
  stored: Outcome | null;
}

interface ModelEmployee {
  id: string;
  portal: Snapshot;
  /** The admin's local copy (the offline employee list): new drafts are made against it. */
  local: Snapshot;
  draft: ModelDraft | null;
  /** Numbers sync applied, oldest first, with the version after each. */
  synced: Snapshot[];
}

interface Model {
  employees: ModelEmployee[];
  isOnline: boolean;
}

const isDue = (employee: ModelEmployee): boolean => employee.draft !== null && !employee.draft.isConflict;

/** What the portal does with a draft's change (PATCH with If-Match and a new key). */
function portalApplies(employee: ModelEmployee, draft: ModelDraft): Outcome {
  if (draft.baseVersion !== employee.portal.version) return { status: 412, current: { ...employee.portal } };
  if (draft.cellPhone !== employee.portal.cellPhone) employee.portal = { cellPhone: draft.cellPhone, version: employee.portal.version + 1 };
  return { status: 200, employee: { ...employee.portal } };
}

/**
 * How the engine reads an answer: 200 is applied, and so is a 412 whose current number is already
 * the one sent (nothing left to change); any other 412 is a conflict.
 */
function appliedCopy(outcome: Outcome, sentPhone: string): Snapshot | null {
  if (outcome.status === 200) return outcome.employee;
  return outcome.current.cellPhone === sentPhone ? outcome.current : null;
}

/** The drafts service's edit: the employee's draft gets the new number and a new key, or a draft is made against the local copy. */
function modelEdit(employee: ModelEmployee, cellPhone: string): void {
  if (employee.draft) Object.assign(employee.draft, { cellPhone, isConflict: false, conflictPortal: null, stored: null });
  else employee.draft = { cellPhone, baseVersion: employee.local.version, isConflict: false, conflictPortal: null, stored: null };
}

/**
 * What the engine does with one answer: applied → into the history (the draft goes, or, when it was
 * edited meanwhile, its base moves on); a conflict → kept beside the portal's copy (unless edited meanwhile).
 */
function settleInModel(employee: ModelEmployee, outcome: Outcome, sentPhone: string, isSameContent: boolean): void {
  const applied = appliedCopy(outcome, sentPhone);
  if (applied) {
    employee.local = { ...applied };
    employee.synced.push({ ...applied });
    if (isSameContent) employee.draft = null;
    else employee.draft!.baseVersion = applied.version;
  } else if (isSameContent && outcome.status === 412) {
    employee.local = { ...outcome.current };
    Object.assign(employee.draft!, { isConflict: true, conflictPortal: { ...outcome.current }, stored: null });
  }
}

/** An online sync of every due draft, in the model. */
function modelSync(model: Model): void {
  for (const employee of model.employees) {
    const draft = employee.draft;
    if (!draft || draft.isConflict) continue;
    if (draft.stored) tally('Answer replayed after a crash');
    settleInModel(employee, draft.stored ?? portalApplies(employee, draft), draft.cellPhone, true);
  }
}

/** The system under test: a drafts file, an engine and a client, which a crash throws away. */
class Real {
  readonly file: string;
  readonly key = newDataKey();
  readonly clock: VirtualClock = virtualClock();
  /** The offline employee list, as the engine's onEmployee keeps it. */
  readonly local = new Map<string, Snapshot>();
  readonly draftIds = new Set<string>();
  store!: DraftStore;
  engine!: SyncEngine;
  client!: PortalClient;
  /** Runs once, when the next batch's answer has arrived and before the engine reads it. */
  afterAnswer: (() => void) | null = null;
  private kill: () => void = () => {};

  constructor(
    readonly world: SyncWorld,
    readonly rows: ReadonlyMap<string, EmployeeRow>,
  ) {
    this.file = join(world.directory, `model-${randomUUID()}.drafts`);
    for (const row of rows.values()) this.local.set(row.id, { cellPhone: row.cell_phone, version: row.version });
    this.open();
  }

  /** Opens the drafts file as a process starting up would. */
  open(): void {
    const store = openDraftStore({ file: this.file, key: this.key, account: ADMIN_EMAIL, log: silentLogger });
    let isAlive = true;
    // A killed process writes nothing more: the old engine's last steps must not reach the file.
    const own: DraftStore = {
      drafts: () => store.drafts(),
      history: () => store.history(),
      get: (id) => store.get(id),
      forEmployee: (employeeId) => store.forEmployee(employeeId),
      transact(mutate) {
        if (!isAlive) throw new Error('the process was killed');
        store.transact(mutate);
      },
      get problem() {
        return store.problem;
      },
      get problemDetail() {
        return store.problemDetail;
      },
    };
    this.kill = () => {
      isAlive = false;
    };
    this.store = own;
    this.client = adminClient(this.world, { connectMs: 2_000, requestMs: 5_000 });
    const portal = portalSyncTransport(this.client);
    const transport: SyncTransport = {
      sendBatch: async (items) => {
        const results = await portal.sendBatch(items);
        const hook = this.afterAnswer;
        this.afterAnswer = null;
        hook?.();
        return results;
      },
    };
    this.engine = createSyncEngine({
      store: () => own,
      gate: () => ({ ok: true, transport }),
      onEmployees: (employees) => {
        for (const employee of employees) this.local.set(employee.id, { cellPhone: employee.cellPhone, version: employee.version });
      },
      log: silentLogger,
      clock: this.clock.now,
      backoff: SYNC_BACKOFF,
      isAutomatic: false,
    });
  }

  /** What the drafts service does when the admin saves a number for an employee. */
  edit(employeeId: string, cellPhone: string): void {
    const now = new Date(this.clock.now()).toISOString();
    this.store.transact((document) => {
      const existing = document.drafts.find((draft) => draft.employeeId === employeeId);
      if (existing) {
        Object.assign(existing, { cellPhone, idempotencyKey: randomUUID(), state: 'pending', updatedAt: now, attempts: 0, nextAttemptAt: null, error: null, portal: null });
        return;
      }
      const local = this.local.get(employeeId)!;
      const draft = draftFor(this.rows.get(employeeId)!, local, cellPhone, this.clock.now());
      this.draftIds.add(draft.id);
      document.drafts.push(draft);
    });
  }

  /** Moves the clock past every failed draft's nextAttemptAt: the next batch takes every draft to send. */
  everyRetryDue(): void {
    const retries = this.store.drafts().filter((draft) => draft.nextAttemptAt !== null).map((draft) => Date.parse(draft.nextAttemptAt!));
    if (retries.length > 0) this.clock.advanceTo(Math.max(...retries));
  }

  /** Kills the process (optionally with a batch on its way) and starts it again from the file. */
  async crash(moment: CrashMoment): Promise<void> {
    const { proxy } = this.world;
    let flight: Promise<unknown> | null = null;
    if (moment !== 'idle') {
      const stage = moment === 'before-portal' ? 'blackhole-before' : 'blackhole-after';
      const reached = new Promise<void>((resolve) => {
        const unsubscribe = proxy.onEvent((event) => {
          if (event.kind !== stage) return;
          unsubscribe();
          resolve();
        });
      });
      proxy.setFaults({ blackholeProbability: 1, afterPortalShare: moment === 'after-portal' ? 1 : 0 });
      // A batch can fail before it reaches the proxy (on a keep-alive connection the proxy closed
      // when it last stopped): the drafts are then failed, and retried as the engine would.
      for (let attempt = 1; ; attempt++) {
        this.everyRetryDue();
        flight = this.engine.run();
        const settled = await Promise.race([reached.then(() => 'held' as const), flight.then(() => 'answered' as const)]);
        if (settled === 'held') break;
        if (attempt === 3) throw new Error(`no batch reached the portal in ${attempt} runs: the crash cannot come while one is on its way`);
      }
    }
    this.kill();
    this.engine.stop();
    this.client.dispose();
    if (flight) await flight.then(() => undefined, () => undefined);
    proxy.setFaults(NO_FAULTS);
    this.open();
  }

  dispose(): void {
    this.kill();
    this.engine.stop();
    this.client.dispose();
    rmSync(this.file, { force: true });
  }
}

type CrashMoment = 'idle' | 'before-portal' | 'after-portal';
type SyncCommand = fc.AsyncCommand<Model, Real>;

const number = (prefix: string, digits: number) => `${prefix}${String(digits).padStart(4, '0')}`;

/** The portal, the drafts file and the local copy agree with the model; no draft went missing. */
function checkAgainstModel(model: Model, real: Real): void {
  const rows = readEmployees(real.world.portal, model.employees.map((employee) => employee.id));
  const drafts = real.store.drafts();
  const history = real.store.history();
  for (const employee of model.employees) {
    const row = rows.get(employee.id)!;
    expect({ cellPhone: row.cell_phone, version: row.version }, `the portal's ${employee.id}`).toEqual(employee.portal);
    expect(real.local.get(employee.id), `the local copy of ${employee.id}`).toEqual(employee.local);
    const mine = drafts.filter((draft) => draft.employeeId === employee.id);
    expect(mine.length, `drafts for ${employee.id}`).toBe(employee.draft ? 1 : 0);
    if (employee.draft) {
      const draft = mine[0]!;
      // Valid numbers only: a draft is either still to be sent or in conflict, never rejected.
      const state = draft.state === 'conflict' ? 'conflict' : isUnsettled(draft) ? 'to send' : draft.state;
      expect({ cellPhone: draft.cellPhone, baseVersion: draft.baseVersion, state }, `the draft for ${employee.id}`).toEqual({
        cellPhone: employee.draft.cellPhone,
        baseVersion: employee.draft.baseVersion,
        state: employee.draft.isConflict ? 'conflict' : 'to send',
      });
      if (employee.draft.isConflict) {
        expect({ cellPhone: draft.portal?.cellPhone, version: draft.portal?.version }, `the portal's copy in ${employee.id}'s conflict`).toEqual(employee.draft.conflictPortal);
      }
    }
    const applied = history
      .filter((entry) => entry.employeeId === employee.id)
      .reverse()
      .map((entry) => ({ cellPhone: entry.cellPhone, version: entry.version }));
    expect(applied, `the history of ${employee.id}`).toEqual(employee.synced);
  }
  for (const id of real.draftIds) {
    expect(drafts.some((draft) => draft.id === id) || history.some((entry) => entry.draftId === id), `draft ${id} is kept or synced`).toBe(true);
  }
}

class Edit implements SyncCommand {
  constructor(
    readonly index: number,
    readonly digits: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    tally('Edit');
    const employee = model.employees[this.index]!;
    const cellPhone = number('+1212555', this.digits);
    real.edit(employee.id, cellPhone);
    modelEdit(employee, cellPhone);
    checkAgainstModel(model, real);
  }
  toString = () => `Edit(${this.index}, ${number('+1212555', this.digits)})`;
}

/**
 * An edit while a batch is out: the portal has answered the batch, the engine has not read the
 * answer yet. What was sent is settled as sent (a 200 is history, and the edited draft's base moves
 * on to the version it made); the edited draft, with its new key, goes in the run's next batch.
 */
class EditDuringSync implements SyncCommand {
  constructor(
    readonly index: number,
    readonly digits: number,
  ) {}
  check = (model: Readonly<Model>) => model.isOnline && model.employees.some(isDue);
  async run(model: Model, real: Real): Promise<void> {
    tally('EditDuringSync');
    const edited = model.employees[this.index]!;
    const cellPhone = number('+1212555', this.digits);
    real.afterAnswer = () => real.edit(edited.id, cellPhone);
    real.everyRetryDue();
    const result = await syncUntilSettled(real.engine, () => real.store, real.clock, { maxIterations: 10 });
    expect(real.afterAnswer, 'the edit was made while a batch was out').toBeNull();
    expect(result.isSettled, 'online sync sends every due draft').toBe(true);

    const batch = model.employees.filter(isDue).map((employee) => ({ employee, sentPhone: employee.draft!.cellPhone, outcome: employee.draft!.stored ?? portalApplies(employee, employee.draft!) }));
    modelEdit(edited, cellPhone);
    for (const { employee, sentPhone, outcome } of batch) settleInModel(employee, outcome, sentPhone, employee !== edited);
    modelSync(model);
    checkAgainstModel(model, real);
  }
  toString = () => `EditDuringSync(${this.index}, ${number('+1212555', this.digits)})`;
}

class SomeoneElseEdits implements SyncCommand {
  constructor(
    readonly index: number,
    readonly digits: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    tally('SomeoneElseEdits');
    const employee = model.employees[this.index]!;
    const cellPhone = number('+1646555', this.digits);
    await real.world.changeAsOtherAdmin(employee.id, cellPhone);
    if (employee.portal.cellPhone !== cellPhone) employee.portal = { cellPhone, version: employee.portal.version + 1 };
    checkAgainstModel(model, real);
  }
  toString = () => `SomeoneElseEdits(${this.index}, ${number('+1646555', this.digits)})`;
}

class GoOffline implements SyncCommand {
  check = (model: Readonly<Model>) => model.isOnline;
  async run(model: Model, real: Real): Promise<void> {
    tally('GoOffline');
    await real.world.proxy.stop();
    model.isOnline = false;
  }
  toString = () => 'GoOffline';
}

class GoOnline implements SyncCommand {
  check = (model: Readonly<Model>) => !model.isOnline;
  async run(model: Model, real: Real): Promise<void> {
    await real.world.proxy.start();
    model.isOnline = true;
  }
  toString = () => 'GoOnline';
}

class Sync implements SyncCommand {
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    tally(model.isOnline ? 'Sync online' : 'Sync offline');
    if (model.isOnline) {
      const result = await syncUntilSettled(real.engine, () => real.store, real.clock, { maxIterations: 10 });
      expect(result.isSettled, 'online sync sends every due draft').toBe(true);
      modelSync(model);
    } else {
      await real.engine.run();
      for (const draft of real.store.drafts()) if (draft.state !== 'conflict') expect(draft.state, `offline, ${draft.employeeId}'s draft waits`).toBe('failed');
    }
    checkAgainstModel(model, real);
  }
  toString = () => 'Sync';
}

class CrashAndRestart implements SyncCommand {
  constructor(readonly moment: CrashMoment) {}
  check = (model: Readonly<Model>) => this.moment === 'idle' || (model.isOnline && model.employees.some(isDue));
  async run(model: Model, real: Real): Promise<void> {
    tally(`Crash ${this.moment}`);
    await real.crash(this.moment);
    if (this.moment === 'after-portal') {
      for (const employee of model.employees) if (isDue(employee)) employee.draft!.stored ??= portalApplies(employee, employee.draft!);
    }
    const inFlight = real.store.drafts().filter((draft) => draft.state === 'syncing');
    if (this.moment !== 'idle') expect(inFlight.length, 'the batch on its way is left syncing in the file').toBe(model.employees.filter(isDue).length);
    checkAgainstModel(model, real);
  }
  toString = () => `CrashAndRestart(${this.moment})`;
}

describe('sync model', () => {
  let world: SyncWorld;
  let runs = 0;

  beforeAll(async () => {
    world = await startSyncWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  it(`matches the model over ${NUM_RUNS} random command sequences, and loses no draft`, async () => {
    const index = fc.integer({ min: 0, max: EMPLOYEES_PER_RUN - 1 });
    const digits = fc.integer({ min: 0, max: 12 });
    const edit = fc.tuple(index, digits).map(([k, d]) => new Edit(k, d));
    const crash = fc.constantFrom<CrashMoment>('idle', 'before-portal', 'after-portal').map((moment) => new CrashAndRestart(moment));
    // Edits and crashes are listed twice: drafts to send, and batches on their way, more often.
    const commands = fc.commands<Model, Real, false>(
      [
        edit,
        edit,
        fc.tuple(index, digits).map(([k, d]) => new EditDuringSync(k, d)),
        fc.tuple(index, digits).map(([k, d]) => new SomeoneElseEdits(k, d)),
        fc.constant(new GoOffline()),
        fc.constant(new GoOnline()),
        fc.constant(new Sync()),
        crash,
        crash,
      ],
      { maxCommands: 30, size: 'max' },
    );
    await fc.assert(
      fc.asyncProperty(commands, async (sequence) => {
        // Each run has its own employees (a window moving over Acme), read as they are now.
        const start = (runs++ * EMPLOYEES_PER_RUN) % (world.candidates.length - EMPLOYEES_PER_RUN);
        const ids = world.candidates.slice(start, start + EMPLOYEES_PER_RUN);
        const rows = readEmployees(world.portal, ids);
        world.proxy.setFaults(NO_FAULTS);
        await world.proxy.start();
        let real: Real | null = null;
        let model: Model | null = null;
        try {
          await fc.asyncModelRun(() => {
            real = new Real(world, rows);
            model = {
              isOnline: true,
              employees: ids.map((id) => {
                const snapshot = { cellPhone: rows.get(id)!.cell_phone, version: rows.get(id)!.version };
                return { id, portal: { ...snapshot }, local: { ...snapshot }, draft: null, synced: [] };
              }),
            };
            return { model, real };
          }, sequence);
          // The end: online, everything sent. Every draft is synced or in conflict; none is missing.
          const [finalModel, finalReal] = [model!, real!] as [Model, Real];
          await new GoOnline().run(finalModel, finalReal);
          await new Sync().run(finalModel, finalReal);
          expect(finalReal.store.drafts().filter(isUnsettled)).toEqual([]);
          for (const draft of finalReal.store.drafts()) expect(draft.state, `${draft.employeeId}'s draft`).toBe('conflict');
        } finally {
          (real as Real | null)?.dispose();
          await world.proxy.start();
        }
      }),
      { numRuns: NUM_RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    console.log(`sync-model: commands run ${JSON.stringify(Object.fromEntries([...ran].sort()))}`);
    for (const name of ['Edit', 'EditDuringSync', 'SomeoneElseEdits', 'GoOffline', 'Sync online', 'Sync offline', 'Crash idle', 'Crash before-portal', 'Crash after-portal', 'Answer replayed after a crash']) {
      expect(ran.get(name) ?? 0, `${name} ran`).toBeGreaterThan(0);
    }
  }, 120_000);
});
