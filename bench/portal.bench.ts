/**
 * npm run bench:portal — the reference Portal API with 100,000 employees, over real HTTPS on loopback.
 *
 * 1. Seeds demo:100000 into a fresh SQLite file (timed) and checks every generated number with the phone rules.
 * 2. Starts the portal as its own process (`server/cli.ts`, as `npm run portal` does) on that file.
 * 3. Measures list, search and patch: latency of sequential requests (p50/p99) and throughput with
 *    several requests in flight, each loop bounded by a request count and a time limit.
 * Prints a table and writes bench/results/portal.json. See bench/README.md.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validatePhone } from '../common/phone';
import { openDatabase } from '../server/db/connection';
import { SqliteStore } from '../server/db/sqlite-store';
import { issueTokenPair } from '../server/auth/tokens';
import { seedDemo } from '../server/seed/demo';
import { startPortalProcess, stopPortalProcess } from './support/portal-process';

const EMPLOYEES = 100_000;
const LATENCY_REQUESTS = 300;
const THROUGHPUT_REQUESTS = 600;
const CONCURRENCY = 8;
const LOOP_TIME_LIMIT_MS = 20_000;
const WARMUP_REQUESTS = 20;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Response {
  status: number;
  body: string;
}

interface LoopResult {
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  requestsPerSecond: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs `next(i)` up to `count` times with `concurrency` in flight, stopping early at the time limit. */
async function loop(count: number, concurrency: number, next: (index: number) => Promise<Response>, expect: number): Promise<LoopResult> {
  const latencies: number[] = [];
  let issued = 0;
  const started = performance.now();
  const deadline = started + LOOP_TIME_LIMIT_MS;
  const worker = async () => {
    while (issued < count && performance.now() < deadline) {
      const index = issued++;
      const begin = performance.now();
      const response = await next(index);
      latencies.push(performance.now() - begin);
      if (response.status !== expect) throw new Error(`request ${index}: expected ${expect}, got ${response.status}: ${response.body.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.slice().sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    requests: latencies.length,
    seconds: round(seconds),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    meanMs: round(latencies.reduce((sum, value) => sum + value, 0) / latencies.length),
    requestsPerSecond: round(latencies.length / seconds),
  };
}


async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'portal-bench-'));
  const dbFile = join(directory, 'portal.sqlite');
  let server: ChildProcess | null = null;
  try {
    // 1. Seed, and check every number.
    const db = openDatabase(dbFile);
    const now = new Date();
    const seedStarted = performance.now();
    await seedDemo(new SqliteStore(db), { employees: EMPLOYEES, now, dataKey: Buffer.alloc(32, 1) });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const numbers = db.prepare('SELECT cell_phone FROM employees WHERE cell_phone IS NOT NULL').pluck().all() as string[];
    const checkStarted = performance.now();
    const invalid = numbers.filter((number) => !validatePhone(number, null).ok);
    const checkSeconds = (performance.now() - checkStarted) / 1000;
    const unique = new Set(numbers).size;
    const admin = db.prepare("SELECT id FROM employees WHERE email = 'admin@acme.test'").get() as { id: string };
    db.close();
    console.log(`seeded ${EMPLOYEES.toLocaleString('en')} employees in ${seedSeconds.toFixed(2)} s; ` +
      `${numbers.length} numbers checked in ${checkSeconds.toFixed(2)} s: ${invalid.length} invalid, ${unique} distinct`);
    if (invalid.length > 0) throw new Error(`invalid demo numbers: ${invalid.slice(0, 10).join(', ')}`);

    // 2. The portal in its own process; a token minted straight into its database.
    const started = await startPortalProcess(dbFile);
    server = started.child;
    const tokenDb = openDatabase(dbFile);
    const token = (await issueTokenPair(new SqliteStore(tokenDb), admin.id, new Date())).accessToken;
    tokenDb.close();

    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca: started.cert });
    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> =>
      new Promise((resolvePromise, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = request(new URL(path, started.url), {
          method,
          agent,
          headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json' } : {}), ...headers },
        }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        req.on('error', reject);
        if (payload) req.write(payload);
        req.end();
      });

    // 3. Measure.
    const searches = ['smith', 'müller', 'anna', 'garcia lopez', '0142', '+44 77', 'sharma', 'acme.test', '4915', 'zzz-no-match'];
    const operations: Record<string, (index: number) => Promise<Response>> = {
      'list (first page, limit 100)': () => call('GET', '/api/v1/employees?limit=100'),
      'search (q, limit 100)': (index) => call('GET', `/api/v1/employees?limit=100&q=${encodeURIComponent(searches[index % searches.length]!)}`),
    };
    const results: Record<string, { latency: LoopResult; throughput: LoopResult }> = {};
    for (const [name, operation] of Object.entries(operations)) {
      await loop(WARMUP_REQUESTS, 1, operation, 200);
      const latency = await loop(LATENCY_REQUESTS, 1, operation, 200);
      const throughput = await loop(THROUGHPUT_REQUESTS, CONCURRENCY, operation, 200);
      results[name] = { latency, throughput };
    }

    // Patches: each to a different employee with the version the list showed, as the app's sync sends them.
    const targets: { id: string; version: number }[] = [];
    let cursor: string | null = null;
    while (targets.length < WARMUP_REQUESTS + LATENCY_REQUESTS + THROUGHPUT_REQUESTS) {
      const page = await call('GET', `/api/v1/employees?limit=1000&sort=email${cursor ? `&cursor=${cursor}` : ''}`);
      const parsed = JSON.parse(page.body) as { items: { id: string; version: number }[]; nextCursor: string | null };
      targets.push(...parsed.items.map((item) => ({ id: item.id, version: item.version })));
      cursor = parsed.nextCursor;
    }
    let next = 0;
    const patch = () => {
      const target = targets[next++]!;
      const number = `+1646${String(2_000_000 + next).padStart(7, '0')}`;
      return call('PATCH', `/api/v1/employees/${target.id}`, { cellPhone: number }, { 'if-match': `"${target.version}"`, 'idempotency-key': randomUUID() });
    };
    await loop(WARMUP_REQUESTS, 1, patch, 200);
    results['patch (If-Match + Idempotency-Key)'] = {
      latency: await loop(LATENCY_REQUESTS, 1, patch, 200),
      throughput: await loop(THROUGHPUT_REQUESTS, CONCURRENCY, patch, 200),
    };
    agent.destroy();

    // Report.
    const rows = Object.entries(results).map(([name, { latency, throughput }]) => [
      name,
      latency.p50Ms.toFixed(2),
      latency.p99Ms.toFixed(2),
      String(latency.requests),
      throughput.requestsPerSecond.toFixed(0),
      String(throughput.requests),
    ]);
    const header = ['operation', 'p50 ms', 'p99 ms', 'n', `req/s (${CONCURRENCY} in flight)`, 'n'];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
    const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
    console.log('');
    console.log(line(header));
    console.log(widths.map((width) => '-'.repeat(width)).join('  '));
    for (const row of rows) console.log(line(row));

    const report = {
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, platform: process.platform },
      seed: {
        employees: EMPLOYEES,
        seconds: Math.round(seedSeconds * 100) / 100,
        databaseBytes: statSync(dbFile).size,
        numbers: numbers.length,
        distinctNumbers: unique,
        invalidNumbers: invalid.length,
        checkSeconds: Math.round(checkSeconds * 100) / 100,
      },
      settings: { latencyRequests: LATENCY_REQUESTS, throughputRequests: THROUGHPUT_REQUESTS, concurrency: CONCURRENCY, loopTimeLimitMs: LOOP_TIME_LIMIT_MS, warmupRequests: WARMUP_REQUESTS },
      results,
    };
    const out = join(root, 'bench/results/portal.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nseed: ${seedSeconds.toFixed(2)} s for ${EMPLOYEES.toLocaleString('en')} employees; results written to bench/results/portal.json`);
  } finally {
    if (server) await stopPortalProcess(server);
    rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench:portal failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
