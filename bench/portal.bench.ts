/**
 * npm run bench:portal [-- --db sqlite|postgres] [--employees N] [--companies M]
 * — the reference Portal API over real HTTPS on loopback (default: SQLite, 100,000 employees, 2 companies).
 *
 * 1. Seeds demo:N (with --companies M: N employees over M companies, Acme up to 100,000) into a fresh
 *    SQLite file, or into a database of a throwaway PostgreSQL cluster (test/support/postgres-cluster.ts),
 *    timed, and checks every generated number with the phone rules.
 * 2. Starts the portal as its own process (`server/cli.ts`, as `npm run portal` does); on PostgreSQL a
 *    second one on the same database too.
 * 3. Measures list, search (as Acme's admin: the largest company), patch and batch: latency of sequential
 *    requests (p50/p99) and throughput with several requests in flight, each loop bounded by a request
 *    count and a time limit; on PostgreSQL patch and batch throughput also across two instances.
 * Prints a table and writes bench/results/portal[-postgres].json. See bench/README.md.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Agent, request } from 'node:https';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validatePhone } from '../common/phone';
import { openDatabase } from '../server/db/connection';
import { PostgresStore } from '../server/db/postgres-store';
import { SqliteStore } from '../server/db/sqlite-store';
import type { Store } from '../server/db/store';
import { issueTokenPair } from '../server/auth/tokens';
import { seedDemo } from '../server/seed/demo';
import { startPostgresCluster, type PostgresCluster } from '../test/support/postgres-cluster';
import { startPortalProcess, stopPortalProcess, type PortalProcess } from './support/portal-process';

const { values: flags } = parseArgs({ options: { db: { type: 'string', default: 'sqlite' }, employees: { type: 'string', default: '100000' }, companies: { type: 'string', default: '2' } } });
if (flags.db !== 'sqlite' && flags.db !== 'postgres') throw new Error('--db takes sqlite or postgres');
const BACKEND = flags.db;
const EMPLOYEES = Number(flags.employees);
const COMPANIES = Number(flags.companies);
const BATCH_ITEMS = 20;
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


/** The seeded database: an SQLite file or a PostgreSQL database, with a store to reach it. */
async function openBackend(directory: string): Promise<{ location: string; store: Store; cluster: PostgresCluster | null; size(): Promise<number> }> {
  if (BACKEND === 'sqlite') {
    const location = join(directory, 'portal.sqlite');
    return { location, store: new SqliteStore(openDatabase(location)), cluster: null, size: async () => statSync(location).size };
  }
  const cluster = await startPostgresCluster();
  const admin = await PostgresStore.openUnmigrated(cluster.url, { max: 1 });
  await admin.run('CREATE DATABASE portal_bench');
  await admin.close();
  const location = cluster.urlOf('portal_bench');
  const store = await PostgresStore.open(location, { max: 2 });
  const size = async () => (await store.get<{ n: number }>('SELECT pg_database_size(current_database())::bigint AS n'))!.n;
  return { location, store, cluster, size };
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'portal-bench-'));
  const servers: PortalProcess[] = [];
  let backend: Awaited<ReturnType<typeof openBackend>> | null = null;
  try {
    // 1. Seed, and check every number.
    backend = await openBackend(directory);
    const db = backend.store;
    const now = new Date();
    const seedStarted = performance.now();
    const seeded = await seedDemo(db, { employees: EMPLOYEES, companies: COMPANIES, now, dataKey: Buffer.alloc(32, 1) });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    if (BACKEND === 'postgres') await db.run('ANALYZE');
    const numbers = (await db.all<{ cell_phone: string }>('SELECT cell_phone FROM employees WHERE cell_phone IS NOT NULL')).map((row) => row.cell_phone);
    const checkStarted = performance.now();
    const invalid = numbers.filter((number) => !validatePhone(number, null).ok);
    const checkSeconds = (performance.now() - checkStarted) / 1000;
    const unique = new Set(numbers).size;
    const admin = (await db.get<{ id: string }>("SELECT id FROM employees WHERE email = 'admin@acme.test'"))!;
    const acmeSize = (await db.get<{ n: number }>("SELECT count(*) AS n FROM employees WHERE company_id = 'acme'"))!.n;
    console.log(`seeded ${seeded.employees.toLocaleString('en')} employees over ${COMPANIES} companies (Acme ${acmeSize.toLocaleString('en')}) on ${BACKEND} in ${seedSeconds.toFixed(2)} s; ` +
      `${numbers.length} numbers checked in ${checkSeconds.toFixed(2)} s: ${invalid.length} invalid, ${unique} distinct`);
    if (invalid.length > 0) throw new Error(`invalid demo numbers: ${invalid.slice(0, 10).join(', ')}`);
    // How PostgreSQL runs a substring search in the largest company (the trigram GIN index or not).
    const plan = BACKEND === 'postgres'
      ? (await db.all<{ 'QUERY PLAN': string }>("EXPLAIN SELECT count(*) FROM employees WHERE company_id = 'acme' AND search_text LIKE '%smith%'")).map((row) => row['QUERY PLAN'])
      : [];
    if (plan.length > 0) console.log(`search plan:\n  ${plan.join('\n  ')}`);

    // 2. The portal in its own process (two on PostgreSQL); a token minted straight into its database.
    const keyFile = join(directory, 'portal.datakey');
    const extra = BACKEND === 'postgres' ? ['--data-key', keyFile] : [];
    servers.push(await startPortalProcess(backend.location, extra));
    if (BACKEND === 'postgres') servers.push(await startPortalProcess(backend.location, extra));
    const token = (await issueTokenPair(db, admin.id, new Date())).accessToken;

    const agents = servers.map((server) => new Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca: server.cert }));
    const calls = servers.map((server, index) => (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> =>
      new Promise((resolvePromise, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = request(new URL(path, server.url), {
          method,
          agent: agents[index]!,
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
      }));
    const call = calls[0]!;
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
    const needed = (WARMUP_REQUESTS + LATENCY_REQUESTS + THROUGHPUT_REQUESTS) * (servers.length + 1) + (WARMUP_REQUESTS + LATENCY_REQUESTS + THROUGHPUT_REQUESTS) * BATCH_ITEMS * servers.length;
    while (targets.length < needed && (cursor !== null || targets.length === 0)) {
      const page = await call('GET', `/api/v1/employees?limit=1000&sort=email${cursor ? `&cursor=${cursor}` : ''}`);
      const parsed = JSON.parse(page.body) as { items: { id: string; version: number }[]; nextCursor: string | null };
      targets.push(...parsed.items.map((item) => ({ id: item.id, version: item.version })));
      cursor = parsed.nextCursor;
    }
    let next = 0;
    const take = () => {
      const target = targets[next++];
      if (!target) throw new Error(`Acme has too few employees for the patch loops (${targets.length})`);
      return { ...target, number: `+1646${String(2_000_000 + next).padStart(7, '0')}` };
    };
    // Requests go round-robin over the first `instances` portal processes.
    const patchOn = (instances: number) => (index: number) => {
      const target = take();
      return calls[index % instances]!('PATCH', `/api/v1/employees/${target.id}`, { cellPhone: target.number }, { 'if-match': `"${target.version}"`, 'idempotency-key': randomUUID() });
    };
    const batchOn = (instances: number) => (index: number) => {
      const items = Array.from({ length: BATCH_ITEMS }, () => {
        const target = take();
        return { id: target.id, ifMatch: `"${target.version}"`, idempotencyKey: randomUUID(), patch: { cellPhone: target.number } };
      });
      return calls[index % instances]!('POST', '/api/v1/employees/batch', { items });
    };
    for (const instances of servers.map((_, index) => index + 1)) {
      const label = servers.length > 1 ? `, ${instances} instance${instances > 1 ? 's' : ''}` : '';
      const patch = patchOn(instances);
      await loop(WARMUP_REQUESTS, 1, patch, 200);
      results[`patch (If-Match + Idempotency-Key${label})`] = {
        latency: await loop(instances === 1 ? LATENCY_REQUESTS : WARMUP_REQUESTS, 1, patch, 200),
        throughput: await loop(THROUGHPUT_REQUESTS, CONCURRENCY, patch, 200),
      };
      const batch = batchOn(instances);
      results[`batch of ${BATCH_ITEMS} (items/s = req/s × ${BATCH_ITEMS}${label})`] = {
        latency: await loop(WARMUP_REQUESTS, 1, batch, 200),
        throughput: await loop(THROUGHPUT_REQUESTS / 10, CONCURRENCY, batch, 200),
      };
    }
    for (const agent of agents) agent.destroy();

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
      loadAverage: loadavg(),
      backend: BACKEND,
      searchPlan: plan,
      seed: {
        employees: seeded.employees,
        companies: COMPANIES,
        largestCompany: acmeSize,
        seconds: Math.round(seedSeconds * 100) / 100,
        databaseBytes: await backend.size(),
        numbers: numbers.length,
        distinctNumbers: unique,
        invalidNumbers: invalid.length,
        checkSeconds: Math.round(checkSeconds * 100) / 100,
      },
      settings: { latencyRequests: LATENCY_REQUESTS, throughputRequests: THROUGHPUT_REQUESTS, concurrency: CONCURRENCY, loopTimeLimitMs: LOOP_TIME_LIMIT_MS, warmupRequests: WARMUP_REQUESTS },
      results,
    };
    const out = join(root, `bench/results/portal${BACKEND === 'postgres' ? '-postgres' : ''}.json`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nseed: ${seedSeconds.toFixed(2)} s for ${seeded.employees.toLocaleString('en')} employees; load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}; results written to ${out}`);
  } finally {
    for (const server of servers) await stopPortalProcess(server.child);
    await backend?.store.close();
    await backend?.cluster?.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench:portal failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
