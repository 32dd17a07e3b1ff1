import { randomBytes } from 'node:crypto';
import { describe, inject } from 'vitest';
import { PostgresStore } from '../../server/db/postgres-store';

/** The databases every server integration test runs on. */
export type Backend = 'sqlite' | 'postgres';
export const BACKENDS: readonly Backend[] = ['sqlite', 'postgres'];

const TEMPLATE_DATABASE = 'portal_template';

/** The cluster of this Vitest run (test/support/postgres-global-setup.ts), or null when it has none. */
export function postgresClusterUrl(): string | null {
  return inject('postgresUrl');
}

/** A new database copied from the migrated template (fast: no migrations run); its URL. */
export async function freshPostgresDatabase(): Promise<string> {
  const base = postgresClusterUrl();
  if (base === null) throw new Error(`PostgreSQL is not available: ${inject('postgresSkipReason')}`);
  const name = `portal_test_${randomBytes(6).toString('hex')}`;
  const admin = await PostgresStore.openUnmigrated(base, { max: 1 });
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.run(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
        break;
      } catch (error) {
        // 55006: another file's copy of the template is being made at this moment.
        if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  } finally {
    await admin.close();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * One suite per backend: `describe` for SQLite, and for PostgreSQL unless this run has no cluster
 * (then it is skipped, with the reason printed by the global setup).
 */
export function describeEachBackend(name: string, body: (backend: Backend) => void, backends: readonly Backend[] = BACKENDS): void {
  for (const backend of backends) {
    const skip = backend === 'postgres' && postgresClusterUrl() === null;
    describe.skipIf(skip)(`${name} [${backend}]`, () => body(backend));
  }
}
