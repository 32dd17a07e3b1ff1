/**
 * The portal's storage, one interface over two databases: the embedded SQLite file (the default) and
 * PostgreSQL (several portal instances on one database). Statements use `?` placeholders and the SQL
 * both dialects share; the few places that differ ask `dialect`.
 *
 * Guarantees both give (and the code relies on):
 * - `transaction(work)` runs `work` atomically; a nested call is a savepoint.
 * - Inside a transaction, `lock(key)` serialises every transaction that takes the same key until
 *   commit (PostgreSQL: a transaction-scoped advisory lock; SQLite: transactions already run one at a
 *   time). It makes check-then-insert steps (rate limits, idempotency claims, TOTP steps) atomic.
 * - A conditional UPDATE (`… WHERE version = ?`, `… AND state = 'open'`) changes a row for exactly
 *   one of any number of racing writers (PostgreSQL re-checks the WHERE on the latest row version).
 */
export type Dialect = 'sqlite' | 'postgres';

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

export interface Queryable {
  readonly dialect: Dialect;
  get<T>(sql: string, ...params: unknown[]): Promise<T | undefined>;
  all<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  run(sql: string, ...params: unknown[]): Promise<RunResult>;
  /** Atomic `work`; inside a transaction, a savepoint. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Inside a transaction: waits until no other transaction holds `key`, and holds it until commit. */
  lock(key: string): Promise<void>;
}

export interface Store extends Queryable {
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** How a `--db` value names its database: a postgres:// URL, or an SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** True when `store` answers a trivial query (what GET /health reports). */
export async function answers(store: Queryable): Promise<boolean> {
  try {
    return (await store.get<{ ok: number }>('SELECT 1 AS ok'))?.ok === 1;
  } catch {
    return false;
  }
}
