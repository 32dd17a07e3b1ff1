/**
 * npm run bench:drafts — the drafts store's crash safety and the cost of one durable save.
 *
 * 1. Crash trials (test/support/crash-trials.ts): a child process writes drafts and is killed with
 *    SIGKILL at a random moment, over and over on one file; after each kill the file must open and
 *    hold every acknowledged operation. The run fails if any draft was lost or the file was unreadable.
 * 2. Save latency: one `transact` (seal → temp file → fsync → rename → fsync the folder) with 0, 100
 *    and 1000 other drafts in the file, p50/p99 over 500 saves each.
 * Prints a table and writes bench/results/drafts.json. See bench/README.md.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Draft } from '../common/drafts';
import { silentLogger } from '../electron/main/log';
import { openDraftStore } from '../electron/main/offline/draft-store';
import { newDataKey } from '../electron/main/offline/sealed-box';
import { runCrashTrials } from '../test/support/crash-trials';
import { testDraft } from '../test/support/drafts';

const TRIALS = Number(process.env.BENCH_DRAFTS_TRIALS ?? 200);
const SAVES = 500;
const WARMUP_SAVES = 20;
const FILE_SIZES = [0, 100, 1000];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round = (value: number) => Math.round(value * 100) / 100;

function draft(index: number, employeeId = `e-${index}`): Draft {
  return testDraft({
    employeeId,
    employee: { firstName: 'Bench', lastName: `Employee ${index}`, email: `bench-${index}@acme.test` },
    cellPhone: `+1212555${String(index % 10_000).padStart(4, '0')}`,
    basePhone: '+12125550100',
  });
}

interface SaveResult {
  otherDrafts: number;
  saves: number;
  fileBytes: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
}

/** A save as the app makes one: the draft for one employee, added the first time and replaced after. */
function measureSaves(otherDrafts: number): SaveResult {
  const folder = mkdtempSync(join(tmpdir(), 'portal-admin-drafts-bench-'));
  try {
    const file = join(folder, 'drafts.json');
    const store = openDraftStore({ file, key: newDataKey(), account: 'bench@acme.test', log: silentLogger });
    if (otherDrafts > 0) {
      store.transact((document) => {
        for (let index = 0; index < otherDrafts; index++) document.drafts.push(draft(index));
      });
    }
    const save = (index: number) => {
      const next = draft(10_000 + index, 'e-bench');
      store.transact((document) => {
        const at = document.drafts.findIndex((item) => item.employeeId === next.employeeId);
        if (at === -1) document.drafts.push(next);
        else document.drafts[at] = { ...document.drafts[at]!, cellPhone: next.cellPhone, updatedAt: next.updatedAt };
      });
    };
    for (let index = 0; index < WARMUP_SAVES; index++) save(index);
    const latencies: number[] = [];
    for (let index = 0; index < SAVES; index++) {
      const begin = performance.now();
      save(WARMUP_SAVES + index);
      latencies.push(performance.now() - begin);
    }
    const sorted = latencies.slice().sort((a, b) => a - b);
    return {
      otherDrafts,
      saves: SAVES,
      fileBytes: statSync(file).size,
      p50Ms: round(percentile(sorted, 50)),
      p99Ms: round(percentile(sorted, 99)),
      meanMs: round(latencies.reduce((sum, value) => sum + value, 0) / latencies.length),
      maxMs: round(sorted.at(-1)!),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  // 1. Crash trials.
  console.log(`crash trials: ${TRIALS} SIGKILLs of a child writing drafts…`);
  const crash = await runCrashTrials({
    trials: TRIALS,
    onTrial: (result) => {
      if ((result.trial + 1) % 25 === 0) console.log(`  ${result.trial + 1} / ${TRIALS} trials, ${result.drafts} drafts in the file`);
    },
  });

  // 2. Save latency.
  const saves = FILE_SIZES.map(measureSaves);

  console.log('');
  printTable(
    ['crash trials', 'trials', 'killed', 'acked', 'lost', 'unreadable', 'ahead by one', 'unexpected', 'leftover .tmp', 'seconds'],
    [['SIGKILL at random', String(crash.trials), String(crash.killed), String(crash.acked), String(crash.lost), String(crash.unreadable), String(crash.aheadByOne), String(crash.unexpected), String(crash.leftoverTemporaryFiles), (crash.millis / 1000).toFixed(1)]],
  );
  console.log('');
  printTable(
    ['durable save', 'file bytes', 'p50 ms', 'p99 ms', 'mean ms', 'max ms', 'n'],
    saves.map((result) => [`${result.otherDrafts} other drafts`, String(result.fileBytes), result.p50Ms.toFixed(2), result.p99Ms.toFixed(2), result.meanMs.toFixed(2), result.maxMs.toFixed(2), String(result.saves)]),
  );
  for (const failure of crash.failures.slice(0, 10)) console.log(`  ${failure}`);

  const report = {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, platform: process.platform, tmpdir: tmpdir() },
    settings: { trials: TRIALS, saves: SAVES, warmupSaves: WARMUP_SAVES, fileSizes: FILE_SIZES },
    crash,
    saves,
  };
  const out = join(root, 'bench/results/drafts.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log('\nresults written to bench/results/drafts.json');

  const isSafe = crash.lost === 0 && crash.unreadable === 0 && crash.unexpected === 0 && crash.killed === crash.trials && crash.trials >= TRIALS;
  if (!isSafe) throw new Error(`crash trials failed (seed ${crash.seed}): ${crash.lost} lost, ${crash.unreadable} unreadable, ${crash.unexpected} unexpected, ${crash.killed} of ${crash.trials} killed`);
}

main().catch((error: unknown) => {
  console.error(`bench:drafts failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
