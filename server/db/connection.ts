import Database from 'better-sqlite3';
import { migrate } from './migrations';
import { PostgresStore } from './postgres-store';
import { SqliteStore, type Db } from './sqlite-store';
import { isPostgresUrl, type Store } from './store';

export type { Db } from './sqlite-store';

/** Opens (creating if needed) the portal database and brings its schema up to date. */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  // WAL lets readers run beside the one writer; FULL makes every commit durable.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/** The portal's store: PostgreSQL for a postgres:// URL, else the SQLite file at `location`. */
export async function openStore(location: string): Promise<Store> {
  if (isPostgresUrl(location)) return PostgresStore.open(location);
  return new SqliteStore(openDatabase(location));
}
