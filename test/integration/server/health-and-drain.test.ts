import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { issueTokenPair } from '../../../server/auth/tokens';
import { PostgresStore } from '../../../server/db/postgres-store';
import type { SqliteStore } from '../../../server/db/sqlite-store';
import { startPortal, type RunningPortal } from '../../../server/server';
import { describeEachBackend, freshPostgresDatabase, postgresClusterUrl, type Backend } from '../../support/backends';
import { portalRequest } from '../../support/portal';

describeEachBackend('health and shutdown', (backend: Backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(): Promise<{ portal: RunningPortal; database: string | null }> {
    const directory = mkdtempSync(join(tmpdir(), 'portal-health-'));
    const database = backend === 'postgres' ? await freshPostgresDatabase() : null;
    const portal = await startPortal({
      port: 0, seed: 'demo', sms: { kind: 'demo' }, print: () => {}, dbFile: join(directory, 'portal.sqlite'), ...(database ? { database } : {}),
    });
    let closed = false;
    cleanups.push(async () => {
      if (!closed) await portal.close().catch(() => {});
      rmSync(directory, { recursive: true, force: true });
    });
    const close = portal.close.bind(portal);
    portal.close = async () => {
      closed = true;
      await close();
    };
    return { portal, database };
  }

  it('/health answers 200 with the database reachable, 503 once it is not', async () => {
    const { portal, database } = await start();
    const healthy = await portalRequest(portal, 'GET', '/api/v1/health');
    expect(healthy.status).toBe(200);
    expect(healthy.body).toMatchObject({ status: 'ok', database: 'ok' });

    if (backend === 'postgres') {
      const admin = await PostgresStore.openUnmigrated(postgresClusterUrl()!, { max: 1 });
      await admin.run(`DROP DATABASE ${new URL(database!).pathname.slice(1)} WITH (FORCE)`);
      await admin.close();
    } else {
      (portal.store as SqliteStore).connection.close();
    }
    const down = await portalRequest(portal, 'GET', '/api/v1/health');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'unavailable', database: 'unreachable' });
  });

  it('closing (what SIGTERM does) lets requests in flight finish before the process ends', async () => {
    const { portal } = await start();
    const token = (await issueTokenPair(portal.store, 'acme-0001', new Date())).accessToken;
    const list = await portalRequest(portal, 'GET', '/api/v1/employees?limit=100', { token });
    const items = (list.body as { items: { id: string; version: number }[] }).items;
    // Close the moment the server has the batch request (its own handler runs first).
    const events: string[] = [];
    const closing = new Promise<void>((resolve, reject) => {
      portal.app.server.once('request', () => {
        events.push('closing');
        portal.close().then(() => {
          events.push('closed');
          resolve();
        }, reject);
      });
    });
    const answered = await portalRequest(portal, 'POST', '/api/v1/employees/batch', {
      token,
      body: { items: items.map((item, index) => ({ id: item.id, idempotencyKey: randomUUID(), ifMatch: `"${item.version}"`, patch: { cellPhone: `+1212555${String(2000 + index)}` } })) },
    });
    events.push('answered');
    await closing;
    expect(events.slice(0, 2)).toEqual(['closing', 'answered']);
    expect(answered.status, answered.text).toBe(200);
    const results = (answered.body as { results: { status: number }[] }).results;
    expect(results).toHaveLength(items.length);
    expect(results.every((result) => result.status === 200)).toBe(true);
  });
});
