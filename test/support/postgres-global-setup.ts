import type { TestProject } from 'vitest/node';
import { PostgresStore } from '../../server/db/postgres-store';
import { postgresUnavailableReason, startPostgresCluster } from './postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated template database's cluster (postgres://…/postgres), or null when PostgreSQL is not available. */
    postgresUrl: string | null;
    postgresSkipReason: string | null;
  }
}

export const TEMPLATE_DATABASE = 'portal_template';

/** One throwaway cluster per Vitest run, with a migrated template that each test file copies. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const reason = postgresUnavailableReason();
  if (reason) {
    if (process.env.PORTAL_REQUIRE_POSTGRES === '1') throw new Error(`PORTAL_REQUIRE_POSTGRES=1 but PostgreSQL cannot run: ${reason}.`);
    console.warn(`Skipping the PostgreSQL half of the server tests: ${reason}.`);
    project.provide('postgresUrl', null);
    project.provide('postgresSkipReason', reason);
    return async () => {};
  }
  const cluster = await startPostgresCluster();
  const admin = await PostgresStore.openUnmigrated(cluster.url);
  await admin.run(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.close();
  const template = await PostgresStore.open(cluster.urlOf(TEMPLATE_DATABASE));
  await template.close();
  project.provide('postgresUrl', cluster.url);
  project.provide('postgresSkipReason', null);
  return () => cluster.stop();
}
