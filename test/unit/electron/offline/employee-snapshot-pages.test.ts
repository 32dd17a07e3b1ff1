import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Employee } from '../../../../common/api';
import { silentLogger } from '../../../../electron/main/log';
import { openEmployeeSnapshot } from '../../../../electron/main/offline/employee-snapshot';
import { newDataKey } from '../../../../electron/main/offline/sealed-box';
import { createSnapshotSealer, SnapshotWorkerError } from '../../../../electron/main/offline/snapshot-sealer';
import { person, T1, USER, useCleanups } from '../../../support/employee-snapshot';

/** The offline copy as the window reads it after a restart: in the portal's name order, a page at a time. */
const T2 = '2026-12-01T11:00:00.000Z';

const cleanups = useCleanups();

async function openCopy(options: { writeDelayMs?: number; workerFile?: (directory: string) => string } = {}) {
  const directory = mkdtempSync(join(tmpdir(), 'portal-admin-snapshot-pages-'));
  const workerFile = options.workerFile?.(directory);
  const sealer = createSnapshotSealer({ log: silentLogger, ...(workerFile ? { workerFile: async () => workerFile } : {}) });
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }), () => sealer.dispose());
  const snapshotOptions = { file: join(directory, 'employees.sealed'), key: newDataKey(), account: 'acct', log: silentLogger, sealer, writeDelayMs: options.writeDelayMs ?? 0 };
  return { copy: await openEmployeeSnapshot(snapshotOptions), reopen: () => openEmployeeSnapshot(snapshotOptions), directory };
}

/** The real worker, except that its second answer with a page ends the thread instead (as a crash would); once. */
function workerThatStopsOnce(directory: string): string {
  const file = join(directory, 'stopping-worker.mjs');
  const marker = JSON.stringify(join(directory, 'stop-once'));
  writeFileSync(join(directory, 'stop-once'), '');
  const source = JSON.stringify(new URL('../../../../electron/main/offline/snapshot-worker-source.mjs', import.meta.url).href);
  writeFileSync(
    file,
    [
      "import { existsSync, rmSync } from 'node:fs';",
      "import { parentPort } from 'node:worker_threads';",
      `await import(${source});`,
      'const send = parentPort.postMessage.bind(parentPort);',
      'let pages = 0;',
      `parentPort.postMessage = (message, transfer) => { if (message.type === 'page' && ++pages === 2 && existsSync(${marker})) { rmSync(${marker}); process.exit(7); } else send(message, transfer); };`,
    ].join('\n'),
  );
  return file;
}

const ids = (rows: readonly Employee[]) => rows.map((employee) => employee.id);

describe('the offline copy, read by the window', () => {
  it('keeps the portal’s name order: employees a delta adds land in their places, on disk too', async () => {
    const { copy, reopen } = await openCopy();
    copy.replaceAll(USER, [person('b', 'Baker'), person('c', 'Clark'), person('e', 'Evans')], T1, T1);
    copy.applyDelta({ items: [person('f', 'Fox'), person('a', 'Adams'), person('d', 'Dunn'), person('b', 'Baker', 2), person('a', 'Adams', 2)], deleted: ['c'], syncedAt: T2, portalAsOf: T2 });
    const afterDelta = await copy.items();
    expect(ids(afterDelta)).toEqual(['a', 'b', 'd', 'e', 'f']);
    expect(afterDelta[0]!.version).toBe(2);
    expect(afterDelta[1]!.version).toBe(2);
    // A save of an employee the copy does not hold yet goes in order as well.
    copy.merge([person('cc', 'Carter')]);
    expect(ids(await copy.items())).toEqual(['a', 'b', 'cc', 'd', 'e', 'f']);
    await copy.flush();
    expect(ids(await (await reopen()).items())).toEqual(['a', 'b', 'cc', 'd', 'e', 'f']);
  });

  it('a read by pages sees the copy as it was at its first page, whatever changes meanwhile', async () => {
    const { copy } = await openCopy();
    copy.replaceAll(USER, ['a', 'b', 'c', 'd', 'e'].map((id) => person(id, id.toUpperCase())), T1, T1);
    const first = await copy.page(0, 2);
    expect(ids(first.items)).toEqual(['a', 'b']);
    expect(first).toMatchObject({ total: 5, portalAsOf: T1 });
    // The sign-in's own delta lands half-way: one deleted before the read's position, one added.
    copy.applyDelta({ items: [person('aa', 'AA')], deleted: ['a'], syncedAt: T2, portalAsOf: T2 });
    const second = await copy.page(2, 2);
    expect(ids(second.items)).toEqual(['c', 'd']);
    expect(second).toMatchObject({ total: 5, portalAsOf: T1 });
    expect(ids((await copy.page(4, 2)).items)).toEqual(['e']);
    // The next read starts from the copy as it is now.
    const again = await copy.page(0, 10);
    expect(ids(again.items)).toEqual(['aa', 'b', 'c', 'd', 'e']);
    expect(again).toMatchObject({ total: 5, portalAsOf: T2 });
  });

  it('a page past the first without a read in progress comes from the copy as it is', async () => {
    const { copy } = await openCopy();
    copy.replaceAll(USER, ['a', 'b', 'c'].map((id) => person(id, id.toUpperCase())), T1, T1);
    expect((await copy.page(0, 3)).total).toBe(3);
    copy.applyDelta({ items: [], deleted: ['b'], syncedAt: T2, portalAsOf: T2 });
    expect(await copy.page(1, 5)).toMatchObject({ total: 2, portalAsOf: T2 });
    expect(ids((await copy.page(1, 5)).items)).toEqual(['c']);
  });

  it('a worker that stops half-way through a read: that page fails, and the next calls open the copy again with every change not yet written', async () => {
    const { copy, reopen } = await openCopy({ writeDelayMs: 60_000, workerFile: workerThatStopsOnce });
    copy.replaceAll(USER, ['a', 'b', 'c', 'd'].map((id) => person(id, id.toUpperCase())), T1, T1);
    await copy.flush();
    // Changes after the last write: only main and the worker that is about to stop hold them.
    copy.applyDelta({ items: [person('b', 'B', 2), person('bb', 'BB')], deleted: ['d'], syncedAt: T2, portalAsOf: T2 });
    expect(ids((await copy.page(0, 2)).items)).toEqual(['a', 'b']);
    const failure = await copy.page(2, 2).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SnapshotWorkerError);
    expect((failure as Error).message).toMatch(/the worker exited \(7\)/);

    // A new worker opens the file again and applies the unwritten delta: nothing is lost.
    const again = await copy.page(0, 10);
    expect(ids(again.items)).toEqual(['a', 'b', 'bb', 'c']);
    expect(again.items[1]!.version).toBe(2);
    expect(again).toMatchObject({ total: 4, portalAsOf: T2 });
    copy.merge([person('a', 'A', 3)]);
    await copy.flush();
    const reopened = await reopen();
    expect(reopened.portalAsOf()).toBe(T2);
    expect((await reopened.items()).map((employee) => `${employee.id}@${employee.version}`)).toEqual(['a@3', 'b@2', 'bb@1', 'c@1']);
  });
});
