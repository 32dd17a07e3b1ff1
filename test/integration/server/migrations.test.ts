import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/connection';
import { SCHEMA_VERSION } from '../../../server/db/migrations';
import { postgresMigrations } from '../../../server/db/migrations-postgres';
import { PostgresStore } from '../../../server/db/postgres-store';
import { describeEachBackend, freshPostgresDatabase } from '../../support/backends';

/** Tables of each dialect's own machinery, not of the portal's schema. */
const SQLITE_ONLY = /^sqlite_|^employees_search/; // FTS5's trigram table and its shadow tables
const POSTGRES_ONLY = /^portal_schema$/; // where PostgreSQL records the version (SQLite: PRAGMA user_version)

// "The same migrations in both dialects, versioned": migration N of one makes the schema migration N
// of the other makes. A migration added to one file only, or a column added on one side, fails here.
describeEachBackend('migrations in both dialects', () => {
  it('are as many, leave both at the same version, and make the same tables with the same columns', async () => {
    expect(postgresMigrations).toHaveLength(SCHEMA_VERSION);

    const directory = mkdtempSync(join(tmpdir(), 'portal-migrations-'));
    const sqlite = openDatabase(join(directory, 'portal.sqlite'));
    const url = await freshPostgresDatabase();
    const postgres = await PostgresStore.open(url);
    try {
      expect(sqlite.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect((await postgres.get<{ version: number }>('SELECT version FROM portal_schema'))?.version).toBe(SCHEMA_VERSION);

      const sqliteTables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[])
        .map((row) => row.name)
        .filter((name) => !SQLITE_ONLY.test(name));
      const sqliteSchema = Object.fromEntries(
        sqliteTables.map((table) => [table, (sqlite.pragma(`table_info(${table})`) as { name: string }[]).map((column) => column.name).sort()]),
      );
      const postgresColumns = await postgres.all<{ table_name: string; column_name: string }>(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name",
      );
      const postgresSchema: Record<string, string[]> = {};
      for (const { table_name: table, column_name: column } of postgresColumns) {
        // Every SQLite table has its hidden rowid; PostgreSQL spells it out where the portal uses it.
        if (!POSTGRES_ONLY.test(table) && column !== 'rowid') (postgresSchema[table] ??= []).push(column);
      }
      expect(Object.keys(postgresSchema).sort()).toEqual(Object.keys(sqliteSchema).sort());
      for (const [table, columns] of Object.entries(sqliteSchema)) expect(postgresSchema[table], table).toEqual(columns);

      // Both refuse to run against a schema newer than they know.
      await postgres.run('UPDATE portal_schema SET version = ?', SCHEMA_VERSION + 1);
      await expect(PostgresStore.open(url)).rejects.toThrow(/newer/);
    } finally {
      sqlite.close();
      await postgres.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
}, ['postgres']);
