import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { answers, type Queryable, type RunResult, type Store, type TransactionOptions } from './store';

/** A better-sqlite3 connection to the portal's file. */
export type Db = Database.Database;

const MAX_CACHED_STATEMENTS = 500;

/**
 * The Store over one better-sqlite3 connection. better-sqlite3 is synchronous, and one connection has
 * one transaction: while an (asynchronous) transaction is open, every other statement and transaction
 * of this process waits for it, so nothing runs inside a transaction that is not part of it. BEGIN
 * IMMEDIATE takes the file's write lock at once (other processes on the same file wait, busy_timeout).
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Statement>();
  private tail: Promise<void> = Promise.resolve();
  private holders = 0;
  private readonly direct: Queryable;

  constructor(readonly connection: Db) {
    this.direct = this.view(0);
  }

  private prepared(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      // List queries vary with the filters used; a bound keeps odd combinations from piling up.
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      statement = this.connection.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work` when no transaction of this process is open (at once when none is). */
  private async exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    this.holders++;
    try {
      await previous;
      return await work();
    } finally {
      this.holders--;
      release();
    }
  }

  /** A Queryable that runs statements straight on the connection; `depth` > 0 inside a transaction. */
  private view(depth: number): Queryable {
    const prepared = (sql: string) => this.prepared(sql);
    const connection = this.connection;
    const nested = (next: number) => this.view(next);
    return {
      dialect: 'sqlite',
      get: async <T>(sql: string, ...params: unknown[]) => prepared(sql).get(...params) as T | undefined,
      all: async <T>(sql: string, ...params: unknown[]) => prepared(sql).all(...params) as T[],
      run: async (sql: string, ...params: unknown[]): Promise<RunResult> => ({ changes: prepared(sql).run(...params).changes }),
      lock: async () => {},
      transaction: async <T>(work: (tx: Queryable) => Promise<T>): Promise<T> => {
        const name = `portal_savepoint_${depth}`;
        connection.exec(`SAVEPOINT ${name}`);
        try {
          const result = await work(nested(depth + 1));
          connection.exec(`RELEASE ${name}`);
          return result;
        } catch (error) {
          connection.exec(`ROLLBACK TO ${name}`);
          connection.exec(`RELEASE ${name}`);
          throw error;
        }
      },
    };
  }

  private whenIdle<T>(work: () => Promise<T>): Promise<T> {
    return this.holders === 0 ? work() : this.exclusive(work);
  }

  get<T>(sql: string, ...params: unknown[]): Promise<T | undefined> {
    return this.whenIdle(() => this.direct.get<T>(sql, ...params));
  }

  all<T>(sql: string, ...params: unknown[]): Promise<T[]> {
    return this.whenIdle(() => this.direct.all<T>(sql, ...params));
  }

  run(sql: string, ...params: unknown[]): Promise<RunResult> {
    return this.whenIdle(() => this.direct.run(sql, ...params));
  }

  async lock(): Promise<void> {
    throw new Error('lock() is for use inside a transaction.');
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.exclusive(async () => {
      // The setting cannot change inside a transaction; no other statement of this process runs
      // until this one ends (exclusive), and the next `full` commit's fsync takes this one's WAL
      // frames to disk too.
      const deferred = options.durability === 'deferred' && this.fullSync();
      if (deferred) this.connection.pragma('synchronous = NORMAL');
      try {
        this.connection.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(this.view(1));
          this.connection.exec('COMMIT');
          return result;
        } catch (error) {
          if (this.connection.inTransaction) this.connection.exec('ROLLBACK');
          throw error;
        }
      } finally {
        if (deferred) this.connection.pragma('synchronous = FULL');
      }
    });
  }

  private isFullSync: boolean | null = null;

  /** The connection commits with `synchronous=FULL` (openDatabase's setting; 2). */
  private fullSync(): boolean {
    this.isFullSync ??= this.connection.pragma('synchronous', { simple: true }) === 2;
    return this.isFullSync;
  }

  ping(): Promise<boolean> {
    return answers(this);
  }

  async close(): Promise<void> {
    await this.exclusive(() => undefined);
    if (this.connection.open) this.connection.close();
  }
}
