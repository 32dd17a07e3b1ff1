import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEmployeeRows } from '../../../../common/ipc';
import { silentLogger } from '../../../../electron/main/log';
import { HEADER_ONLY_WRITE_AFTER_MS, openEmployeeSnapshot } from '../../../../electron/main/offline/employee-snapshot';
import { newDataKey } from '../../../../electron/main/offline/sealed-box';
import { createSnapshotSealer } from '../../../../electron/main/offline/snapshot-sealer';
import { person, T1, USER, useCleanups } from '../../../support/employee-snapshot';

// The sign-in's delta that changes no row moves only the portal's time: the 40 MB copy is not sealed
// again for that while the file is recent; it still is once the file is old, and for any row change.
const at = (ms: number) => new Date(Date.parse(T1) + ms).toISOString();

const cleanups = useCleanups();

async function openCopy() {
  const directory = mkdtempSync(join(tmpdir(), 'portal-admin-snapshot-header-'));
  const sealer = createSnapshotSealer({ log: silentLogger });
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }), () => sealer.dispose());
  const writes: number[] = [];
  const file = join(directory, 'employees.sealed');
  const options = { file, key: newDataKey(), account: 'acct', log: silentLogger, sealer, writeDelayMs: 0, generations: { minimum: 0, beforeWrite: async (generation: number) => writes.push(generation) } };
  return { copy: await openEmployeeSnapshot(options), reopen: () => openEmployeeSnapshot({ ...options, generations: { ...options.generations, minimum: writes.at(-1) ?? 0 } }), writes, bytes: () => readFileSync(file, 'utf8') };
}

describe('a delta that changes no row', () => {
  it('is not written while the file is recent; the window still gets the new time; the file keeps its own, older one', async () => {
    const { copy, reopen, writes, bytes } = await openCopy();
    copy.replaceAll(USER, [person('a', 'Adams'), person('b', 'Baker')], T1, T1);
    await copy.flush();
    expect(writes).toEqual([1]);
    const written = bytes();

    const later = at(HEADER_ONLY_WRITE_AFTER_MS - 60_000);
    copy.applyDelta({ items: [], deleted: [], syncedAt: later, portalAsOf: later });
    await copy.flush();
    expect(writes).toEqual([1]);
    expect(bytes()).toBe(written);
    // In this session the copy is current to the delta's time (its rows did not change since T1).
    const page = await copy.pageRows(0, 10);
    expect(page).toMatchObject({ total: 2, syncedAt: later, portalAsOf: later });
    expect(decodeEmployeeRows(page.rows).map((employee) => employee.id)).toEqual(['a', 'b']);
    // After a restart, the file's time: older, and true (the next delta asks from T1).
    const reopened = await reopen();
    expect(reopened.portalAsOf()).toBe(T1);
    expect(reopened.syncedAt()).toBe(T1);
  });

  it('is written once the file is HEADER_ONLY_WRITE_AFTER_MS old in portal time, and a delta with a change always is', async () => {
    const { copy, reopen, writes } = await openCopy();
    copy.replaceAll(USER, [person('a', 'Adams'), person('b', 'Baker')], T1, T1);
    await copy.flush();
    const old = at(HEADER_ONLY_WRITE_AFTER_MS);
    copy.applyDelta({ items: [], deleted: [], syncedAt: old, portalAsOf: old });
    await copy.flush();
    expect(writes).toEqual([1, 2]);
    expect((await reopen()).portalAsOf()).toBe(old);

    const withDeletion = at(HEADER_ONLY_WRITE_AFTER_MS + 60_000);
    copy.applyDelta({ items: [], deleted: ['a'], syncedAt: withDeletion, portalAsOf: withDeletion });
    await copy.flush();
    expect(writes).toEqual([1, 2, 3]);
    const withChange = at(HEADER_ONLY_WRITE_AFTER_MS + 120_000);
    copy.applyDelta({ items: [person('b', 'Baker', 2)], deleted: [], syncedAt: withChange, portalAsOf: withChange });
    await copy.flush();
    expect(writes).toEqual([1, 2, 3, 4]);
    const reopened = await reopen();
    expect(reopened.portalAsOf()).toBe(withChange);
    expect((await reopened.items()).map((employee) => `${employee.id}@${employee.version}`)).toEqual(['b@2']);
  });

  it('a change pending when it arrives: the write that comes carries the new time', async () => {
    const { copy, reopen, writes } = await openCopy();
    copy.replaceAll(USER, [person('a', 'Adams')], T1, T1);
    await copy.flush();
    copy.merge([person('a', 'Adams', 2)]);
    const later = at(60_000);
    copy.applyDelta({ items: [], deleted: [], syncedAt: later, portalAsOf: later });
    await copy.flush();
    expect(writes).toEqual([1, 2]);
    expect((await reopen()).portalAsOf()).toBe(later);
  });
});
