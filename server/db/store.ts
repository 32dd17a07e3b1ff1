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
  /** Atomic `work`; inside a transaction, a savepoint (and `options` do not apply). */
  transaction<T>(work: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Inside a transaction: waits until no other transaction holds `key`, and holds it until commit. */
  lock(key: string): Promise<void>;
}

export interface TransactionOptions {
  /**
   * `full` (the default): the commit returns once it is on disk (SQLite `synchronous=FULL`, an fsync of
   * the WAL; PostgreSQL's default). `deferred`: the commit does not wait for the disk (SQLite
   * `synchronous=NORMAL` for this commit, PostgreSQL `SET LOCAL synchronous_commit = off`). It still
   * survives a crash of the portal's process; a power cut or crash of the computer may undo it, together
   * with anything committed after it and before the next `full` commit (both databases replay their log
   * in order and stop at its end, so what is left is always an earlier, whole state). Only for
   * bookkeeping whose loss is safe to redo: the notice dispatcher's claims and outcomes, the demo
   * carriers' records. Never for a change a client is answered about.
   */
  durability?: 'full' | 'deferred';
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

/** `(?, ?, …), (?, ?, …)`: `rows` groups of `columns` placeholders, for a multi-row INSERT. */
export function valuesList(rows: number, columns: number): string {
  const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => row).join(', ');
}

/** True when `store` answers a trivial query (what GET /health reports). */
export async function answers(store: Queryable): Promise<boolean> {
  try {
    return (await store.get<{ ok: number }>('SELECT 1 AS ok'))?.ok === 1;
  } catch {
    return false;
  }
}
