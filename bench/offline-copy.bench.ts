/**
 * npm run bench:offline-copy — the encrypted offline copy of the employee list at company sizes
 * of 1,000, 10,000 and 100,000: how long one durable write (row block → AES-256-GCM → temp file → fsync →
 * rename) and one open (read → decrypt → check the rows) take, and the file's size. JSON is made on this
 * thread a slice at a time; the rest runs on the offline copy's worker thread, as in the app. CPU
 * time is the whole process's (this thread and the worker).
 * Stall probe (each size, each round): the event-loop delay histogram of this process during the
 * write and during the open (monitorEventLoopDelay, 1 ms resolution: max and p99), and the round trip
 * of a `connection:get-state`-like call during the write and the open — a worker thread asks every
 * 2 ms and this thread answers, as main answers an IPC call — p99 and max. Target (the issue): longest stall ≤ 20 ms.
 * Wall and CPU time and the load average are printed, since the machine may be shared.
 * Prints a table and writes bench/results/offline-copy.json. See bench/README.md.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { constants as perfConstants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Employee, PortalUser } from '../common/api';
import { silentLogger } from '../electron/main/log';
import { openEmployeeSnapshot, type EmployeeSnapshot } from '../electron/main/offline/employee-snapshot';
import { newDataKey } from '../electron/main/offline/sealed-box';
import { createSnapshotSealer } from '../electron/main/offline/snapshot-sealer';
import { offlineCopyEmployees } from '../test/support/offline-copy-employees';

/** BENCH_OFFLINE_COPY_SIZES=100000 (comma-separated) and BENCH_OFFLINE_COPY_ROUNDS=5 narrow or widen a run. */
const SIZES = (process.env.BENCH_OFFLINE_COPY_SIZES ?? '1000,10000,100000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_OFFLINE_COPY_ROUNDS ?? 3);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USER: PortalUser = { id: 'acme-0001', email: 'admin@acme.test', firstName: 'Alex', lastName: 'Morgan', role: 'admin', company: { id: 'acme', name: 'Acme', country: 'US' } };

const employees = (count: number): Employee[] => offlineCopyEmployees(count, { lastLoginAt: '2026-11-29T07:08:00.000Z' });

/**
 * A stand-in for the renderer's IPC calls: a worker thread sends a request every 2 ms and measures
 * how long this thread takes to answer it.
 */
const PROBE_SOURCE = `
const { parentPort } = require('node:worker_threads');
const sentAt = new Map();
let next = 0;
const timer = setInterval(() => { sentAt.set(next, performance.now()); parentPort.postMessage({ ask: next++ }); }, 2);
const trips = [];
parentPort.on('message', (message) => {
  if (message.answer !== undefined) { trips.push(performance.now() - sentAt.get(message.answer)); sentAt.delete(message.answer); }
  if (message.stop) {
    clearInterval(timer);
    // A request still unanswered counts with its age so far.
    for (const started of sentAt.values()) trips.push(performance.now() - started);
    parentPort.postMessage({ trips });
  }
});
`;

interface Stall {
  maxMs: number;
  p99Ms: number;
}

/** Garbage collections of this thread (the worker's own do not hold it): the longest pause, and what kind it was. */
const GC_KINDS: Readonly<Record<number, string>> = {
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak',
};

async function probed<T>(work: () => T | Promise<T>, withRoundTrips: boolean): Promise<{ value: T; wallMs: number; cpuMs: number; mainCpuMs: number | null; loop: Stall; roundTrip: Stall | null; gc: { maxMs: number; kind: string } }> {
  const worker = withRoundTrips ? new Worker(PROBE_SOURCE, { eval: true }) : null;
  worker?.on('message', (message: { ask?: number }) => {
    if (message.ask !== undefined) worker.postMessage({ answer: message.ask });
  });
  if (worker) await new Promise((resolve) => setTimeout(resolve, 50));
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const gc = { maxMs: 0, kind: '-' };
  const collections = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration <= gc.maxMs) continue;
      gc.maxMs = round1(entry.duration);
      gc.kind = GC_KINDS[((entry as PerformanceEntry & { detail?: { kind?: number } }).detail)?.kind ?? 0] ?? 'other';
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 10));
  collections.observe({ entryTypes: ['gc'] });
  const cpu = process.cpuUsage();
  const mainCpu = mainThreadCpuMs();
  const started = performance.now();
  // As main runs it: one task, started from the event loop.
  const value = await new Promise<T>((resolve, reject) => setImmediate(() => {
    try {
      resolve(work());
    } catch (error) {
      reject(error as Error);
    }
  }));
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const mainCpuAfter = mainThreadCpuMs();
  await new Promise((resolve) => setTimeout(resolve, 20));
  delay.disable();
  collections.disconnect();
  let roundTrip: Stall | null = null;
  if (worker) {
    const trips = await new Promise<number[]>((resolve) => {
      worker.on('message', (message: { trips?: number[] }) => {
        if (message.trips) resolve(message.trips);
      });
      worker.postMessage({ stop: true });
    });
    await worker.terminate();
    const sorted = trips.sort((a, b) => a - b);
    roundTrip = { maxMs: round1(sorted.at(-1) ?? 0), p99Ms: round1(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0) };
  }
  return { value, wallMs, cpuMs: (used.user + used.system) / 1000, mainCpuMs: mainCpu === null || mainCpuAfter === null ? null : mainCpuAfter - mainCpu, loop: { maxMs: round1(delay.max / 1e6), p99Ms: round1(delay.percentile(99) / 1e6) }, roundTrip, gc };
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** CPU time of this (the main) thread alone, in ms — what holds its event loop; null where /proc is missing. */
function mainThreadCpuMs(): number | null {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime (fields 14 and 15 of stat), in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (value: number) => Math.round(value);

interface Row {
  employees: number;
  writeMs: number;
  writeCpuMs: number;
  openMs: number;
  openCpuMs: number;
  /** CPU time of the main thread alone (Linux; null elsewhere). */
  writeMainCpuMs: number | null;
  openMainCpuMs: number | null;
  fileMB: number;
  /** Longest event-loop stall (max) and its p99 during the write / the open. */
  writeStallMaxMs: number;
  writeStallP99Ms: number;
  openStallMaxMs: number;
  openStallP99Ms: number;
  /** A `connection:get-state`-like round trip during the write / the open. */
  writeRoundTripP99Ms: number;
  writeRoundTripMaxMs: number;
  openRoundTripP99Ms: number;
  openRoundTripMaxMs: number;
  /** The longest garbage-collection pause of this thread during the write / the open (median of the rounds) and the kinds seen. */
  writeGcMaxMs: number;
  writeGcKinds: string;
  openGcMaxMs: number;
  openGcKinds: string;
  loadAverage: number;
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'portal-admin-offline-copy-'));
  const rows: Row[] = [];
  try {
    for (const size of SIZES) {
      const items = employees(size);
      const file = join(folder, `employees-${size}.sealed`);
      const key = newDataKey();
      const writes: Awaited<ReturnType<typeof probed>>[] = [];
      const opens: Awaited<ReturnType<typeof probed>>[] = [];
      const sealer = createSnapshotSealer({ log: silentLogger });
      const open = () => openEmployeeSnapshot({ file, key, account: 'bench', log: silentLogger, sealer, writeDelayMs: 0 });
      try {
        // The worker thread starts with the first open, as in the app (not part of the timed write).
        await (await open()).flush();
        for (let index = 0; index < ROUNDS; index++) {
          const snapshot = await open();
          writes.push(
            await probed(async () => {
              snapshot.replaceAll(USER, items, new Date().toISOString());
              await snapshot.flush();
            }, true),
          );
          const opened = await probed(open, true);
          opens.push(opened);
          const reopened = opened.value as EmployeeSnapshot;
          if (reopened.size() !== size || reopened.problem !== null) throw new Error(`the copy of ${size} did not reopen whole`);
        }
      } finally {
        await sealer.dispose();
      }
      rows.push({
        employees: size,
        writeMs: round(median(writes.map((item) => item.wallMs))),
        writeCpuMs: round(median(writes.map((item) => item.cpuMs))),
        openMs: round(median(opens.map((item) => item.wallMs))),
        openCpuMs: round(median(opens.map((item) => item.cpuMs))),
        writeMainCpuMs: writes[0]!.mainCpuMs === null ? null : median(writes.map((item) => item.mainCpuMs!)),
        openMainCpuMs: opens[0]!.mainCpuMs === null ? null : median(opens.map((item) => item.mainCpuMs!)),
        fileMB: Math.round(statSync(file).size / 1e5) / 10,
        writeStallMaxMs: median(writes.map((item) => item.loop.maxMs)),
        writeStallP99Ms: median(writes.map((item) => item.loop.p99Ms)),
        openStallMaxMs: median(opens.map((item) => item.loop.maxMs)),
        openStallP99Ms: median(opens.map((item) => item.loop.p99Ms)),
        writeRoundTripP99Ms: median(writes.map((item) => item.roundTrip!.p99Ms)),
        writeRoundTripMaxMs: median(writes.map((item) => item.roundTrip!.maxMs)),
        openRoundTripP99Ms: median(opens.map((item) => item.roundTrip!.p99Ms)),
        openRoundTripMaxMs: median(opens.map((item) => item.roundTrip!.maxMs)),
        writeGcMaxMs: median(writes.map((item) => item.gc.maxMs)),
        writeGcKinds: writes.map((item) => item.gc.kind).join('/'),
        openGcMaxMs: median(opens.map((item) => item.gc.maxMs)),
        openGcKinds: opens.map((item) => item.gc.kind).join('/'),
        loadAverage: round1(loadavg()[0]!),
      });
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  console.log(`medians of ${ROUNDS} rounds; stall = longest event-loop delay (target ≤ 20 ms); round trip = a get-state-like call during the write (open trip: during the open); gc max = longest garbage-collection pause of this thread (and the kind, per round); cpu = whole process, main cpu = the main thread alone`);
  const header = ['employees', 'write ms', 'write cpu ms', 'main cpu', 'write stall max', 'write stall p99', 'round trip p99', 'round trip max', 'open ms', 'open cpu ms', 'main cpu', 'open stall max', 'open stall p99', 'open trip p99', 'open trip max', 'write gc max', 'open gc max', 'file MB', 'load'];
  console.log(header.join('  '));
  console.log(header.map((title) => '-'.repeat(title.length)).join('  '));
  for (const row of rows) {
    const cells = [row.employees, row.writeMs, row.writeCpuMs, row.writeMainCpuMs ?? '-', row.writeStallMaxMs, row.writeStallP99Ms, row.writeRoundTripP99Ms, row.writeRoundTripMaxMs, row.openMs, row.openCpuMs, row.openMainCpuMs ?? '-', row.openStallMaxMs, row.openStallP99Ms, row.openRoundTripP99Ms, row.openRoundTripMaxMs, `${row.writeGcMaxMs} ${row.writeGcKinds}`, `${row.openGcMaxMs} ${row.openGcKinds}`, row.fileMB, row.loadAverage];
    console.log(cells.map((cell, column) => (column === 0 ? String(cell).padEnd(header[column]!.length) : String(cell).padStart(header[column]!.length))).join('  '));
  }
  const out = join(root, 'bench/results/offline-copy.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: cpus().length, targetStallMs: 20, rows }, null, 2)}\n`);
  console.log('\nresults written to bench/results/offline-copy.json');
}

main().catch((error: unknown) => {
  console.error(`bench:offline-copy failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
