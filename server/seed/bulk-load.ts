import type { Queryable } from '../db/store';

/**
 * Bulk loading for the demo seed (up to 1,000,000 employees): rows go in large batches inside the
 * seed's one transaction, and the table's secondary indexes are dropped first and built once at the
 * end (building an index over loaded rows is far cheaper than updating it row by row, above all the
 * trigram index that search uses). Indexes that back a constraint (primary key, unique e-mail) stay,
 * so the load is checked as any insert is.
 */

/** The columns of one employee row, in this order. */
export const EMPLOYEE_COLUMNS = [
  'id', 'company_id', 'first_name', 'last_name', 'email', 'role', 'cell_phone', 'two_factor_status',
  'two_factor_method', 'totp_secret', 'password_hash', 'locked', 'last_login_at', 'updated_at', 'version', 'search_text',
] as const;
/** PostgreSQL array types of EMPLOYEE_COLUMNS, for unnest(). */
const POSTGRES_TYPES: Record<(typeof EMPLOYEE_COLUMNS)[number], string> = {
  id: 'text', company_id: 'text', first_name: 'text', last_name: 'text', email: 'text', role: 'text', cell_phone: 'text',
  two_factor_status: 'text', two_factor_method: 'text', totp_secret: 'text', password_hash: 'text', locked: 'int4',
  last_login_at: 'text', updated_at: 'text', version: 'int4', search_text: 'text',
};

/** Rows per statement: PostgreSQL takes one array per column (any length); SQLite one parameter per value (at most 32,766). */
export const ROWS_PER_STATEMENT = { postgres: 5000, sqlite: 2000 } as const;

/** Inserts `rows` (values in EMPLOYEE_COLUMNS order) with one statement. */
export async function insertEmployeeRows(tx: Queryable, rows: readonly unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const columns = EMPLOYEE_COLUMNS.join(', ');
  if (tx.dialect === 'postgres') {
    // One array per column, unnested into rows: 16 parameters whatever the number of rows.
    const arrays = EMPLOYEE_COLUMNS.map((_, column) => rows.map((row) => row[column]));
    const unnest = EMPLOYEE_COLUMNS.map((name) => `?::${POSTGRES_TYPES[name]}[]`).join(', ');
    await tx.run(`INSERT INTO employees (${columns}) SELECT * FROM unnest(${unnest})`, ...arrays);
    return;
  }
  const row = `(${EMPLOYEE_COLUMNS.map(() => '?').join(', ')})`;
  await tx.run(`INSERT INTO employees (${columns}) VALUES ${rows.map(() => row).join(', ')}`, ...rows.flat());
}

interface DeferredIndex {
  name: string;
  definition: string;
}

/** The table's indexes that back no constraint, with the statement that creates each. */
async function secondaryIndexes(tx: Queryable, table: string): Promise<DeferredIndex[]> {
  if (tx.dialect === 'postgres') {
    return tx.all<DeferredIndex>(
      `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = ?::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        ORDER BY c.relname`,
      table);
  }
  // Automatic indexes (PRIMARY KEY, UNIQUE) have no SQL of their own.
  return tx.all<DeferredIndex>("SELECT name, sql AS definition FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name", table);
}

/** Runs `load` with the employees table's secondary indexes dropped, and builds them again after it (inside `tx`). */
export async function withEmployeeIndexesDeferred<T>(tx: Queryable, load: () => Promise<T>): Promise<T> {
  const indexes = await secondaryIndexes(tx, 'employees');
  for (const index of indexes) await tx.run(`DROP INDEX ${index.name}`);
  if (tx.dialect === 'postgres') await tx.run("SET LOCAL maintenance_work_mem = '256MB'");
  const result = await load();
  for (const index of indexes) await tx.run(index.definition);
  return result;
}
