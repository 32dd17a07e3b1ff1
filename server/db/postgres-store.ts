import pg from 'pg';
import { migratePostgres } from './migrations-postgres';
import { answers, type Queryable, type RunResult, type Store, type TransactionOptions } from './store';

/** int8 (count(*), sums) as a number, like SQLite gives it; the portal's counts stay far below 2^53. */
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

const converted = new Map<string, string>();

/** `?` placeholders (outside quotes) as PostgreSQL's `$1, $2, …`. */
export function toPostgresPlaceholders(sql: string): string {
  let cached = converted.get(sql);
  if (cached !== undefined) return cached;
  let index = 0;
  let out = '';
  let quote: string | null = null;
  for (const character of sql) {
    if (quote) {
      if (character === quote) quote = null;
      out += character;
    } else if (character === "'" || character === '"') {
      quote = character;
      out += character;
    } else if (character === '?') {
      out += `$${++index}`;
    } else {
      out += character;
    }
  }
  cached = out;
  if (converted.size > 1000) converted.clear();
  converted.set(sql, cached);
  return cached;
}

type Runner = Pick<pg.Pool, 'query'> | pg.PoolClient;

async function query<T>(runner: Runner, sql: string, params: unknown[]): Promise<pg.QueryResult<T & pg.QueryResultRow>> {
  // Without parameters, the simple protocol: a migration may hold several statements.
  if (params.length === 0) return runner.query<T & pg.QueryResultRow>(sql);
  return runner.query<T & pg.QueryResultRow>(toPostgresPlaceholders(sql), params);
}

/** Errors after which a whole transaction may run again: a serialization failure or a deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_TRANSACTION_ATTEMPTS = 5;

function view(runner: Runner, depth: number): Queryable {
  return {
    dialect: 'postgres',
    get: async <T>(sql: string, ...params: unknown[]) => (await query<T>(runner, sql, params)).rows[0] as T | undefined,
    all: async <T>(sql: string, ...params: unknown[]) => (await query<T>(runner, sql, params)).rows as T[],
    run: async (sql: string, ...params: unknown[]): Promise<RunResult> => ({ changes: (await query(runner, sql, params)).rowCount ?? 0 }),
    lock: async (key: string) => {
      if (depth === 0) throw new Error('lock() is for use inside a transaction.');
      await runner.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
    },
    transaction: async <T>(work: (tx: Queryable) => Promise<T>): Promise<T> => {
      const name = `portal_savepoint_${depth}`;
      await runner.query(`SAVEPOINT ${name}`);
      try {
        const result = await work(view(runner, depth + 1));
        await runner.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await runner.query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw error;
      }
    },
  };
}

/**
 * The Store on PostgreSQL through a pool of connections. Transactions run at READ COMMITTED: the
 * portal's writes are conditional UPDATEs (re-checked on the latest row) and claims under advisory
 * locks or unique constraints, which need nothing stronger; a deadlock or serialization failure
 * reruns the whole transaction.
 */
export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  private readonly top: Queryable;

  private constructor(readonly pool: pg.Pool) {
    this.top = view(pool, 0);
  }

  /** A store without migrating (for tools that create databases). */
  static async openUnmigrated(url: string, options: { max?: number } = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url, types, max: options.max ?? 10, connectionTimeoutMillis: 10_000 });
    // An idle connection that breaks (database restarted) is dropped by the pool; without a listener
    // its error would end the process.
    pool.on('error', () => {});
    return new PostgresStore(pool);
  }

  static async open(url: string, options: { max?: number } = {}): Promise<PostgresStore> {
    const store = await PostgresStore.openUnmigrated(url, options);
    const { pool } = store;
    try {
      await migratePostgres(store);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  get<T>(sql: string, ...params: unknown[]): Promise<T | undefined> {
    return this.top.get<T>(sql, ...params);
  }

  all<T>(sql: string, ...params: unknown[]): Promise<T[]> {
    return this.top.all<T>(sql, ...params);
  }

  run(sql: string, ...params: unknown[]): Promise<RunResult> {
    return this.top.run(sql, ...params);
  }

  lock(key: string): Promise<void> {
    return this.top.lock(key);
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query(options.durability === 'deferred' ? 'BEGIN; SET LOCAL synchronous_commit = off' : 'BEGIN');
        const result = await work(view(client, 1));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'string' && RETRYABLE.has(code) && attempt < MAX_TRANSACTION_ATTEMPTS) continue;
        throw error;
      } finally {
        client.release(broken);
      }
    }
  }

  ping(): Promise<boolean> {
    return answers(this);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
