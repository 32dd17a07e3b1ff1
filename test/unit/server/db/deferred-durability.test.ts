import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../server/db/connection';
import { SqliteStore } from '../../../../server/db/sqlite-store';

// TransactionOptions.durability on the SQLite store: `deferred` relaxes only its own commit.
describe('SqliteStore deferred commits', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  function openStore(): SqliteStore {
    const directory = mkdtempSync(join(tmpdir(), 'portal-deferred-'));
    directories.push(directory);
    return new SqliteStore(openDatabase(join(directory, 'portal.sqlite')));
  }
  const synchronous = (store: SqliteStore) => store.connection.pragma('synchronous', { simple: true });

  it('commits with synchronous=NORMAL, and every other commit (and the one after) with FULL', async () => {
    const store = openStore();
    expect(synchronous(store)).toBe(2);
    const seen = await store.transaction(async (tx) => {
      await tx.run("INSERT INTO sms_messages (at, channel, recipient, text) VALUES ('2026-01-01T00:00:00.000Z', 'sms', '+12125550100', 'x')");
      return synchronous(store);
    }, { durability: 'deferred' });
    expect(seen).toBe(1);
    expect(synchronous(store)).toBe(2);
    expect(await store.transaction(async () => synchronous(store))).toBe(2);
    expect(await store.get<{ n: number }>('SELECT count(*) AS n FROM sms_messages')).toEqual({ n: 1 });
    await store.close();
  });

  it('a deferred transaction that fails rolls back and leaves FULL in place', async () => {
    const store = openStore();
    await expect(store.transaction(async (tx) => {
      await tx.run("INSERT INTO sms_messages (at, channel, recipient, text) VALUES ('2026-01-01T00:00:00.000Z', 'sms', '+12125550100', 'x')");
      throw new Error('boom');
    }, { durability: 'deferred' })).rejects.toThrow('boom');
    expect(synchronous(store)).toBe(2);
    expect(await store.get<{ n: number }>('SELECT count(*) AS n FROM sms_messages')).toEqual({ n: 0 });
    await store.close();
  });
});
