import Database from 'better-sqlite3';
import { migrate } from './migrations';

export type Db = Database.Database;

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
