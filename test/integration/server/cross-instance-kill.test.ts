import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { employeeBatchResponseSchema, type Employee, type EmployeeBatchResponse } from '../../../common/api';
import { issueTokenPair } from '../../../server/auth/tokens';
import { PostgresStore } from '../../../server/db/postgres-store';
import { describeEachBackend, freshPostgresDatabase } from '../../support/backends';
import { portalRequest, type HttpsResponse, type PortalAddress } from '../../support/portal';

/** A real `npm run portal` process on the shared database, in a folder of its own (certificate, …). */
interface Instance extends PortalAddress {
  child: ChildProcessWithoutNullStreams;
  output: string[];
}

const TSX = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;
const CLI = resolve('server/cli.ts');
const STARTUP_MS = 120_000;

function startInstance(database: string, directory: string, dataKeyFile: string): Promise<Instance> {
  mkdirSync(directory, { recursive: true });
  const child = spawn(process.execPath, ['--import', TSX, CLI, '--db', database, '--data-key', dataKeyFile, '--port', '0', '--seed', 'demo'], {
    cwd: directory,
    env: { ...process.env, PORTAL_LOG_LEVEL: 'warn' },
  });
  const output: string[] = [];
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no portal within ${STARTUP_MS} ms:\n${output.join('')}`)), STARTUP_MS);
    let url: string | null = null;
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString('utf8'));
      const text = output.join('');
      url ??= /Portal API listening on (\S+)/.exec(text)?.[1] ?? null;
      const certPath = /Certificate: (\S+)/.exec(text)?.[1];
      if (url && certPath) {
        clearTimeout(timer);
        resolvePromise({ child, output, url, tls: { cert: readFileSync(certPath, 'utf8') } });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the portal exited (${code ?? signal}) before it served:\n${output.join('')}`));
    });
  });
}

/**
 * "A process can be killed at any moment without losing an acknowledged change": two portal processes on
 * one PostgreSQL database; one is killed with SIGKILL while a batch is inside its transaction.
 */
describeEachBackend('an instance killed mid-batch', () => {
  let directory: string;
  let database: string;
  let store: PostgresStore;
  let a: Instance;
  let b: Instance;
  let token: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'portal-kill-'));
    database = await freshPostgresDatabase();
    const dataKeyFile = join(directory, 'shared.datakey');
    a = await startInstance(database, join(directory, 'a'), dataKeyFile);
    b = await startInstance(database, join(directory, 'b'), dataKeyFile);
    store = await PostgresStore.open(database, { max: 4 });
    // A fresh session: batches need a second factor from the last two hours.
    token = (await issueTokenPair(store, 'acme-0001', new Date())).accessToken;
  }, 2 * STARTUP_MS + 30_000);

  afterAll(async () => {
    for (const instance of [a, b]) if (instance && instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill('SIGKILL');
    await store?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const row = (id: string) => store.get<{ cell_phone: string | null; version: number }>('SELECT cell_phone, version FROM employees WHERE id = ?', id);
  const auditCount = async (id: string) => (await store.get<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE employee_id = ?', id))!.n;
  const idOf = (index: number) => `acme-${String(150 + index).padStart(4, '0')}`;
  const phoneOf = (index: number, round: number) => `+1212555${String(round * 100 + index).padStart(4, '0')}`;
  const batch = async (instance: Instance, items: { id: string; version: number; cellPhone: string; key: string }[]) =>
    portalRequest(instance, 'POST', '/api/v1/employees/batch', {
      token,
      body: { items: items.map((item) => ({ id: item.id, ifMatch: `"${item.version}"`, idempotencyKey: item.key, patch: { cellPhone: item.cellPhone } })) },
    });
  const results = (response: HttpsResponse) => {
    expect(response.status, response.text).toBe(200);
    return (employeeBatchResponseSchema.parse(response.body) as EmployeeBatchResponse).results;
  };

  it('keeps every acknowledged change, applies none of the unacknowledged batch, and its retry on the other instance once', async () => {
    // Acknowledged before the kill: a batch and single PATCHes answered by the instance that dies.
    const acknowledged: { id: string; cellPhone: string; version: number }[] = [];
    const first = Array.from({ length: 5 }, (_, index) => index);
    const firstItems = await Promise.all(
      first.map(async (index) => ({ id: idOf(index), version: (await row(idOf(index)))!.version, cellPhone: phoneOf(index, 1), key: randomUUID() })),
    );
    for (const result of results(await batch(a, firstItems))) {
      expect(result.status).toBe(200);
      const body = result.body as Employee;
      acknowledged.push({ id: body.id, cellPhone: body.cellPhone!, version: body.version });
    }

    // The batch that will be in flight: 10 items; the 6th employee's row is locked by another
    // session, so the instance applies items 1–5 inside its transaction and then waits there.
    const inflight = await Promise.all(
      Array.from({ length: 10 }, (_, offset) => 10 + offset).map(async (index) => ({
        id: idOf(index), version: (await row(idOf(index)))!.version, cellPhone: phoneOf(index, 2), key: randomUUID(),
      })),
    );
    const before = new Map(await Promise.all(inflight.map(async (item) => [item.id, (await row(item.id))!] as const)));
    const auditBefore = new Map(await Promise.all(inflight.map(async (item) => [item.id, await auditCount(item.id)] as const)));
    const blocker = await store.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM employees WHERE id = $1 FOR UPDATE', [inflight[5]!.id]);
      const lost = batch(a, inflight).then(
        (response) => ({ answered: response }),
        (error: unknown) => ({ error: error as Error }),
      );
      // Wait until the batch's connection is blocked on the row lock: items 1–5 are applied, not committed.
      for (let waited = 0; ; waited += 50) {
        const waiting = await store.get<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE employees%'",
        );
        if (waiting!.n > 0) break;
        if (waited > 60_000) throw new Error(`the batch never reached the locked row:\n${a.output.join('')}`);
        await new Promise((done) => setTimeout(done, 50));
      }

      // More changes acknowledged by the same instance while the batch waits (other rows).
      const singles = await Promise.all(
        [30, 31, 32].map(async (index) => {
          const current = (await row(idOf(index)))!;
          const response = await portalRequest(a, 'PATCH', `/api/v1/employees/${idOf(index)}`, {
            token, body: { cellPhone: phoneOf(index, 3) }, headers: { 'if-match': `"${current.version}"`, 'idempotency-key': randomUUID() },
          });
          expect(response.status, response.text).toBe(200);
          return response.body as Employee;
        }),
      );
      for (const body of singles) acknowledged.push({ id: body.id, cellPhone: body.cellPhone!, version: body.version });

      const exited = new Promise((done) => a.child.once('exit', done));
      a.child.kill('SIGKILL');
      await exited;
      const outcome = await lost;
      expect('error' in outcome, 'the killed instance cannot have answered').toBe(true);
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }

    // Every acknowledged change is in the database.
    for (const change of acknowledged) {
      expect(await row(change.id)).toEqual({ cell_phone: change.cellPhone, version: change.version });
    }

    // The unacknowledged batch left nothing behind (one transaction: all or nothing); its connection's
    // transaction is rolled back when PostgreSQL notices the client is gone, so wait for that.
    for (let waited = 0; ; waited += 100) {
      const open = await store.get<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND (state LIKE 'idle in transaction%' OR wait_event_type = 'Lock')",
      );
      if (open!.n === 0 || waited > 30_000) break;
      await new Promise((done) => setTimeout(done, 100));
    }
    for (const item of inflight) {
      expect(await row(item.id)).toEqual(before.get(item.id));
      expect(await auditCount(item.id)).toBe(auditBefore.get(item.id));
    }

    // The client retries the same batch (same keys) on the surviving instance: done exactly once.
    const retried = results(await batch(b, inflight));
    expect(retried.map((result) => result.status)).toEqual(inflight.map(() => 200));
    for (const item of inflight) {
      expect(await row(item.id)).toEqual({ cell_phone: item.cellPhone, version: item.version + 1 });
    }
    // And again: the stored answers, nothing applied twice.
    const again = results(await batch(b, inflight));
    expect(again).toEqual(retried);
    for (const item of inflight) {
      expect(await row(item.id)).toEqual({ cell_phone: item.cellPhone, version: item.version + 1 });
      expect(await auditCount(item.id)).toBe(auditBefore.get(item.id)! + 1);
    }
    const keys = await store.all<{ state: string }>(
      `SELECT state FROM idempotency_keys WHERE key IN (${inflight.map(() => '?').join(', ')})`, ...inflight.map((item) => item.key));
    expect(keys.map((key) => key.state)).toEqual(inflight.map(() => 'done'));
  }, 180_000);
}, ['postgres']);
