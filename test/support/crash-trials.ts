/**
 * Crash trials for the drafts store: a child process (draft-writer-child.ts) writes drafts in a loop
 * and is killed with SIGKILL at a random moment; the parent then reopens the same file and checks
 * that every operation the child acknowledged is there, exactly, and that the file still opens.
 *
 * The child acknowledges an operation only after `transact` returned, so the store may be one
 * operation ahead of the acknowledgements (written, killed before the ack line), never behind.
 * Both sides plan operations with `planOperation`, so the parent knows what that one could be.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleChildProgram } from './bundled-child';
import { seededRandom } from './drafts';
import { newDataKey } from '../../electron/main/offline/sealed-box';
import { HISTORY_LIMIT, openDraftStore } from '../../electron/main/offline/draft-store';
import { silentLogger } from '../../electron/main/log';

export type OperationKind = 'add' | 'update' | 'remove';

/** What one ack line says: the parent must find this afterwards. */
export interface Acknowledgement {
  op: OperationKind;
  index: number;
  id: string;
  cellPhone: string;
}

/** Above this many drafts the child removes instead of adding, so a long benchmark's file stays bounded. */
export const MAX_DRAFTS = 600;
export const CRASH_ACCOUNT = 'crash-trials@acme.test';
export const CHILD_PROGRAM = join(dirname(fileURLToPath(import.meta.url)), 'draft-writer-child.ts');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every 7th operation removes the oldest draft, every 3rd updates one, the rest add one. */
export function planOperation(index: number, draftCount: number): OperationKind {
  if (draftCount === 0) return 'add';
  if (index % 7 === 6 || draftCount >= MAX_DRAFTS) return 'remove';
  if (index % 3 === 2) return 'update';
  return 'add';
}

/** Which draft (position in the store's order) an update at this index changes. */
export function updateTarget(index: number, draftCount: number): number {
  return index % draftCount;
}

/** A valid E.164 number that differs from one operation to the next. */
export function phoneFor(index: number): string {
  return `+1212555${String(index % 10_000).padStart(4, '0')}`;
}

interface ModelDraft {
  id: string;
  cellPhone: string;
}

/** The state the acknowledgements promise: drafts in store order, history newest first. */
interface Model {
  drafts: ModelDraft[];
  history: { draftId: string; cellPhone: string }[];
}

function applyToModel(model: Model, ack: Acknowledgement): void {
  if (ack.op === 'add') {
    model.drafts.push({ id: ack.id, cellPhone: ack.cellPhone });
  } else if (ack.op === 'update') {
    const draft = model.drafts.find((item) => item.id === ack.id);
    if (draft) draft.cellPhone = ack.cellPhone;
  } else {
    model.drafts = model.drafts.filter((item) => item.id !== ack.id);
    model.history.unshift({ draftId: ack.id, cellPhone: ack.cellPhone });
    if (model.history.length > HISTORY_LIMIT) model.history.length = HISTORY_LIMIT;
  }
}

function cloneModel(model: Model): Model {
  return { drafts: model.drafts.map((draft) => ({ ...draft })), history: model.history.map((entry) => ({ ...entry })) };
}

function sameState(expected: Model, actual: Model): boolean {
  return JSON.stringify(expected) === JSON.stringify(actual);
}

/**
 * The operation at `index` applied to `model`, as the child would have done it. An add's id is
 * random, so it is taken from the actual state when that has exactly one more draft at the end.
 */
function oneAhead(model: Model, index: number, actual: Model): { model: Model; ack: Acknowledgement } | null {
  const op = planOperation(index, model.drafts.length);
  let ack: Acknowledgement;
  if (op === 'add') {
    const added = actual.drafts.at(-1);
    if (!added || actual.drafts.length !== model.drafts.length + 1) return null;
    ack = { op, index, id: added.id, cellPhone: phoneFor(index) };
  } else if (op === 'update') {
    const target = model.drafts[updateTarget(index, model.drafts.length)]!;
    ack = { op, index, id: target.id, cellPhone: phoneFor(index) };
  } else {
    const oldest = model.drafts[0]!;
    ack = { op, index, id: oldest.id, cellPhone: oldest.cellPhone };
  }
  const next = cloneModel(model);
  applyToModel(next, ack);
  return { model: next, ack };
}

/** How many acknowledged effects `actual` is missing: a draft gone or changed, a removal undone. */
function countLost(expected: Model, actual: Model): number {
  const actualPhones = new Map(actual.drafts.map((draft) => [draft.id, draft.cellPhone]));
  const actualHistory = new Map(actual.history.map((entry) => [entry.draftId, entry.cellPhone]));
  let lost = 0;
  for (const draft of expected.drafts) if (actualPhones.get(draft.id) !== draft.cellPhone) lost++;
  for (const entry of expected.history) if (actualPhones.has(entry.draftId) || actualHistory.get(entry.draftId) !== entry.cellPhone) lost++;
  return lost;
}

export interface TrialResult {
  trial: number;
  /** How the kill was timed: a random delay after `ready`, or right after the first ack. */
  kill: { after: 'ready'; delayMs: number } | { after: 'first-ack' };
  acked: number;
  /** The child was still running when the SIGKILL landed (it never stops on its own). */
  isKilled: boolean;
  lost: number;
  isUnreadable: boolean;
  isAheadByOne: boolean;
  /** The state matched neither the acks nor the acks plus one operation. */
  isUnexpected: boolean;
  drafts: number;
  problem: string | null;
  stderr: string;
}

export interface CrashTrialsReport {
  trials: number;
  /** Acknowledged operations over all trials. */
  acked: number;
  /** Trials where the SIGKILL landed while the child was running. */
  killed: number;
  lost: number;
  unreadable: number;
  aheadByOne: number;
  unexpected: number;
  /** `*.tmp-*` files a killed write left in the folder (reported, not a failure). */
  leftoverTemporaryFiles: number;
  finalDrafts: number;
  seed: number;
  millis: number;
  /** Plain-words descriptions of the trials that went wrong. */
  failures: string[];
}

export interface CrashTrialsOptions {
  trials: number;
  /** Where the drafts file lives; a temporary folder (removed afterwards) when absent. */
  folder?: string;
  /** For a reproducible sequence of kill delays. */
  seed?: number;
  onTrial?: (result: TrialResult) => void;
  /** A deliberately broken child that acks before it writes: the trials must then report losses. */
  isFaultInjected?: boolean;
}


interface ChildRun {
  acks: Acknowledgement[];
  isKilled: boolean;
  stderr: string;
}

const CHILD_START_TIMEOUT_MS = 30_000;

function runChild(program: string, file: string, hexKey: string, startIndex: number, kill: TrialResult['kill'], isFaultInjected: boolean): Promise<ChildRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [program, file, hexKey, CRASH_ACCOUNT, String(startIndex)], {
      cwd: root,
      env: { ...process.env, DRAFT_WRITER_FAULT: isFaultInjected ? 'ack-before-write' : '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Acknowledgement[] = [];
    let pending = '';
    let stderr = '';
    let isKillSent = false;
    let isKilledWhileRunning = false;
    const killNow = () => {
      if (isKillSent) return;
      isKillSent = true;
      isKilledWhileRunning = child.exitCode === null && child.signalCode === null;
      child.kill('SIGKILL');
    };
    const startTimer = setTimeout(() => {
      stderr += `\n(no "ready" within ${CHILD_START_TIMEOUT_MS} ms)`;
      killNow();
    }, CHILD_START_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line === 'ready') {
          clearTimeout(startTimer);
          if (kill.after === 'ready') setTimeout(killNow, kill.delayMs);
        } else if (line.startsWith('ack ')) {
          acks.push(JSON.parse(line.slice(4)) as Acknowledgement);
          if (kill.after === 'first-ack') killNow();
        }
        newline = pending.indexOf('\n');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    // 'close' comes after stdout has ended, so every ack line written before the kill has been read.
    child.on('close', (code, signal) => {
      clearTimeout(startTimer);
      const isKilled = isKilledWhileRunning && signal === 'SIGKILL';
      if (!isKilled) stderr += `\n(the child ended by itself: code ${code}, signal ${signal})`;
      resolvePromise({ acks, isKilled, stderr: stderr.trim() });
    });
  });
}

function readActual(file: string, key: Buffer): { model: Model; problem: string | null } {
  const store = openDraftStore({ file, key, account: CRASH_ACCOUNT, log: silentLogger });
  return {
    model: {
      drafts: store.drafts().map((draft) => ({ id: draft.id, cellPhone: draft.cellPhone })),
      history: store.history().map((entry) => ({ draftId: entry.draftId, cellPhone: entry.cellPhone })),
    },
    problem: store.problem,
  };
}

export async function runCrashTrials(options: CrashTrialsOptions): Promise<CrashTrialsReport> {
  const started = performance.now();
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = seededRandom(seed);
  // The child, bundled once for all the trials (CHILD_PROGRAM, the same code, without tsx at every start).
  const program = bundleChildProgram(CHILD_PROGRAM);
  const folder = options.folder ?? mkdtempSync(join(tmpdir(), 'portal-admin-crash-'));
  const file = join(folder, 'drafts.json');
  const key = newDataKey();
  const report: CrashTrialsReport = {
    trials: 0, acked: 0, killed: 0, lost: 0, unreadable: 0, aheadByOne: 0, unexpected: 0,
    leftoverTemporaryFiles: 0, finalDrafts: 0, seed, millis: 0, failures: [],
  };
  let model: Model = { drafts: [], history: [] };
  let nextIndex = 0;
  try {
    for (let trial = 0; trial < options.trials; trial++) {
      // One kill in four right after the first ack (often mid-way through the second write); the
      // rest at a random moment 2–60 ms after the store opened.
      const kill: TrialResult['kill'] = random() < 0.25 ? { after: 'first-ack' } : { after: 'ready', delayMs: 2 + Math.floor(random() * 59) };
      const run = await runChild(program.path, file, key.toString('hex'), nextIndex, kill, options.isFaultInjected ?? false);

      const expected = cloneModel(model);
      let isOrderWrong = false;
      for (const [offset, ack] of run.acks.entries()) {
        if (ack.index !== nextIndex + offset || ack.op !== planOperation(ack.index, expected.drafts.length)) isOrderWrong = true;
        applyToModel(expected, ack);
      }
      const expectedNext = nextIndex + run.acks.length;

      const actual = readActual(file, key);
      const result: TrialResult = {
        trial, kill, acked: run.acks.length, isKilled: run.isKilled, lost: 0, isUnreadable: actual.problem !== null,
        isAheadByOne: false, isUnexpected: false, drafts: actual.model.drafts.length, problem: actual.problem, stderr: run.stderr,
      };
      if (result.isUnreadable) {
        result.lost = expected.drafts.length + expected.history.length;
        model = { drafts: [], history: [] };
        nextIndex = expectedNext;
      } else if (sameState(expected, actual.model)) {
        model = expected;
        nextIndex = expectedNext;
      } else {
        const ahead = oneAhead(expected, expectedNext, actual.model);
        if (ahead && sameState(ahead.model, actual.model)) {
          result.isAheadByOne = true;
          model = ahead.model;
          nextIndex = expectedNext + 1;
        } else {
          result.lost = countLost(expected, actual.model);
          result.isUnexpected = true;
          // Carry on from what is on disk, so later trials are judged on their own.
          model = actual.model;
          nextIndex = expectedNext + 1;
        }
      }
      if (isOrderWrong) result.isUnexpected = true;

      report.trials++;
      report.acked += result.acked;
      if (result.isKilled) report.killed++;
      report.lost += result.lost;
      if (result.isUnreadable) report.unreadable++;
      if (result.isAheadByOne) report.aheadByOne++;
      if (result.isUnexpected) report.unexpected++;
      if (result.isUnreadable || result.isUnexpected || result.lost > 0 || !result.isKilled) {
        report.failures.push(
          `trial ${trial} (seed ${seed}, kill ${JSON.stringify(kill)}): ${result.acked} acked, ${result.lost} lost` +
            `${result.isUnreadable ? `, unreadable: ${result.problem}` : ''}${result.isUnexpected ? ', state matches neither the acks nor the acks plus one' : ''}` +
            `${isOrderWrong ? ', acks out of plan' : ''}${run.stderr ? `; child stderr: ${run.stderr.slice(0, 500)}` : ''}`,
        );
      }
      options.onTrial?.(result);
    }
    report.leftoverTemporaryFiles = readdirSync(folder).filter((name) => name.includes('.tmp-')).length;
    report.finalDrafts = model.drafts.length;
  } finally {
    program.remove();
    if (options.folder === undefined) rmSync(folder, { recursive: true, force: true });
  }
  report.millis = Math.round(performance.now() - started);
  return report;
}
