import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Employee } from '../../../../common/api';
import { IpcFailure } from '../../../../common/ipc';
import { decodeEmployeeRows, encodeEmployeeRows } from '../../../../common/ipc/employee-rows';
import { silentLogger, type Logger } from '../../../../electron/main/log';
import { openEmployeeSnapshot, SNAPSHOT_SCHEMA_VERSION } from '../../../../electron/main/offline/employee-snapshot';
import { newDataKey, openCounted, seal } from '../../../../electron/main/offline/sealed-box';
import { createSnapshotSealer, type SnapshotSealer } from '../../../../electron/main/offline/snapshot-sealer';
import { T1, USER, useCleanups } from '../../../support/employee-snapshot';
import { offlineCopyEmployees } from '../../../support/offline-copy-employees';

/** The offline copy written and opened through its worker thread (a real one, running the worker's source through tsx). */
const employees = (count: number, version = 1): Employee[] => offlineCopyEmployees(count, { version });

const cleanups = useCleanups();

function setup(workerFile?: () => Promise<string | URL>) {
  const directory = mkdtempSync(join(tmpdir(), 'portal-admin-snapshot-'));
  const warnings: string[] = [];
  const log: Logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
  const sealer = createSnapshotSealer({ log, workerFile });
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }), () => sealer.dispose());
  return { directory, file: join(directory, 'employees.sealed'), key: newDataKey(), sealer, log, warnings };
}

function open(context: { file: string; key: Buffer; sealer: SnapshotSealer; log: Logger }, generations?: { minimum: number; beforeWrite: (generation: number) => Promise<unknown> }) {
  return openEmployeeSnapshot({ file: context.file, key: context.key, account: 'acct', log: context.log, sealer: context.sealer, writeDelayMs: 0, generations });
}

/** A worker that fails on its first message (a change, a seal, an open). */
function failingWorker(directory: string): () => Promise<string> {
  const file = join(directory, 'failing-worker.mjs');
  writeFileSync(file, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => { throw new Error('the worker broke'); });\n");
  return async () => file;
}

describe('the offline copy on its worker thread', () => {
  it('writes a sealed file that opens again whole and in order, hands out copies, and holds no copy of the key', async () => {
    const context = setup();
    const first = await open(context);
    const items = employees(5_000);
    first.replaceAll(USER, items, '2026-12-01T10:00:00.000Z');
    await first.flush();

    const text = readFileSync(context.file, 'utf8');
    // The employees are held as one row block, the form the window reads them in.
    const opened = JSON.parse(openCounted(context.key, text, 'employees|acct').plaintext) as { schemaVersion: number; rows: string };
    expect(opened.schemaVersion).toBe(SNAPSHOT_SCHEMA_VERSION);
    expect(decodeEmployeeRows(opened.rows)).toEqual(items);
    for (const name of readdirSync(context.directory)) {
      const bytes = readFileSync(join(context.directory, name));
      expect(bytes.includes(context.key)).toBe(false);
      expect(bytes.toString('utf8')).not.toContain(context.key.toString('base64'));
      expect(bytes.toString('utf8')).not.toContain(context.key.toString('hex'));
    }

    const again = await open(context);
    expect(again.problem).toBeNull();
    expect(again.user()).toEqual(USER);
    expect(again.syncedAt()).toBe('2026-12-01T10:00:00.000Z');
    const read = await again.items();
    expect(read).toEqual(items);
    // What a read hands out is a copy: changing it changes nothing in the offline copy.
    (read[4_999] as { cellPhone: string | null }).cellPhone = '+12125550000';
    expect((await again.items())[4_999]).toEqual(items[4_999]);
    // A merge after the open writes again through the worker.
    again.merge([{ ...items[42]!, cellPhone: '+12125550999', version: 2 }]);
    await again.flush();
    expect((await (await open(context)).items())[42]!.cellPhone).toBe('+12125550999');
  });

  it('a damaged file is kept aside with the same words as before, and the copy starts empty', async () => {
    const context = setup();
    writeFileSync(context.file, 'not a sealed file at all');
    const snapshot = await open(context);
    expect(snapshot.size()).toBe(0);
    expect(snapshot.problemDetail).toMatchObject({ code: 'file_kept_aside', file: 'employees', reason: 'undecryptable', keptAs: expect.stringMatching(/\.unreadable-/) as unknown as string });
    expect(snapshot.problem).toMatch(/^The saved offline employee list file could not be decrypted \(it was changed, damaged, or its key is gone\)\. It was kept aside as .*\.unreadable-.* and nothing was deleted; Portal Admin started with an empty one\.$/);
    expect(existsSync(context.file)).toBe(false);
    const aside = readdirSync(context.directory).filter((name) => name.includes('.unreadable-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(context.directory, aside[0]!), 'utf8')).toBe('not a sealed file at all');
  });

  it('a file sealed with the right key but of another shape is kept aside as a format this version cannot read', async () => {
    const context = setup();
    writeFileSync(context.file, seal(context.key, JSON.stringify({ schemaVersion: SNAPSHOT_SCHEMA_VERSION, items: 'no' }), 'employees|acct'));
    const snapshot = await open(context);
    expect(snapshot.problem).toContain('is in a format this version cannot read');
    expect(readdirSync(context.directory).some((name) => name.includes('.unreadable-'))).toBe(true);
  });

  it('a copy written by the previous version (employees as JSON objects) opens whole, and the next write stores rows', async () => {
    const context = setup();
    const items = employees(300);
    const header = { user: USER, syncedAt: T1, portalAsOf: T1 };
    writeFileSync(context.file, seal(context.key, JSON.stringify({ schemaVersion: 1, ...header, items }), 'employees|acct'));
    const snapshot = await open(context);
    expect(snapshot.problem).toBeNull();
    expect(snapshot.user()).toEqual(USER);
    expect(snapshot.portalAsOf()).toBe(T1);
    expect(await snapshot.items()).toEqual(items);
    const page = await snapshot.pageRows(100, 50);
    expect(decodeEmployeeRows(page.rows)).toEqual(items.slice(100, 150));
    snapshot.merge([{ ...items[7]!, cellPhone: '+12125550999', version: 2 }]);
    await snapshot.flush();
    const written = JSON.parse(openCounted(context.key, readFileSync(context.file, 'utf8'), 'employees|acct').plaintext) as { schemaVersion: number; rows: string };
    expect(written.schemaVersion).toBe(2);
    expect(decodeEmployeeRows(written.rows)[7]!.cellPhone).toBe('+12125550999');
  });

  it('a copy of the previous version with an employee that breaks the schema is kept aside as a format this version cannot read', async () => {
    const context = setup();
    const items: unknown[] = employees(3);
    items[1] = { ...(items[1] as Employee), role: 'owner' };
    writeFileSync(context.file, seal(context.key, JSON.stringify({ schemaVersion: 1, user: USER, syncedAt: T1, items }), 'employees|acct'));
    const snapshot = await open(context);
    expect(snapshot.size()).toBe(0);
    expect(snapshot.problem).toContain('is in a format this version cannot read');
  });

  it('rows that break the employee schema, though sealed with the right key, are kept aside as a format this version cannot read', async () => {
    const context = setup();
    const rows = encodeEmployeeRows(employees(3)).replace('acme-000001', 'not an id');
    writeFileSync(context.file, seal(context.key, JSON.stringify({ schemaVersion: SNAPSHOT_SCHEMA_VERSION, user: USER, syncedAt: T1, rows }), 'employees|acct'));
    const snapshot = await open(context);
    expect(snapshot.size()).toBe(0);
    expect(snapshot.problem).toContain('is in a format this version cannot read');
    expect(readdirSync(context.directory).some((name) => name.includes('.unreadable-'))).toBe(true);
  });

  it('counts writes: the keychain’s count is raised before the file is written, and an older file is refused', async () => {
    const context = setup();
    const stored: number[] = [];
    const generationOnDisk = () => (existsSync(context.file) ? openCounted(context.key, readFileSync(context.file, 'utf8'), 'employees|acct').generation : null);
    const seenOnDisk: (number | null)[] = [];
    const generations = {
      minimum: 0,
      beforeWrite: async (generation: number) => {
        seenOnDisk.push(generationOnDisk());
        stored.push(generation);
      },
    };
    const snapshot = await open(context, generations);
    snapshot.replaceAll(USER, employees(10), '2026-12-01T10:00:00.000Z');
    await snapshot.flush();
    const olderCopy = readFileSync(context.file, 'utf8');
    snapshot.merge(employees(3, 2));
    await snapshot.flush();
    expect(stored).toEqual([1, 2]);
    // When the count was stored, the file on disk was still the one before.
    expect(seenOnDisk).toEqual([null, 1]);
    expect(generationOnDisk()).toBe(2);

    writeFileSync(context.file, olderCopy);
    const rolledBack = await open(context, { minimum: 2, beforeWrite: async () => undefined });
    expect(rolledBack.size()).toBe(0);
    expect(rolledBack.problem).toContain('is an older copy than the one Portal Admin last wrote');
  });

  it('a keychain that cannot store the count: nothing is written, the previous file stays', async () => {
    const context = setup();
    const snapshot = await open(context, { minimum: 0, beforeWrite: async () => Promise.reject(new Error('keychain locked')) });
    snapshot.replaceAll(USER, employees(10), '2026-12-01T10:00:00.000Z');
    await snapshot.flush();
    expect(existsSync(context.file)).toBe(false);
    expect(context.warnings).toContain('offline: could not write the offline employee list');
  });

  it('a worker that fails during a write: the old file stays whole and the failure is logged', async () => {
    const context = setup();
    const broken = setup(failingWorker(context.directory));
    // Opened while there is no file yet (no worker needed), then a good copy is written by another sealer.
    const snapshot = await openEmployeeSnapshot({ file: context.file, key: context.key, account: 'acct', log: broken.log, sealer: broken.sealer, writeDelayMs: 0 });
    const good = await open(context);
    good.replaceAll(USER, employees(50), '2026-12-01T10:00:00.000Z');
    await good.flush();
    const before = readFileSync(context.file, 'utf8');

    snapshot.replaceAll(USER, employees(80), '2026-12-02T10:00:00.000Z');
    await snapshot.flush();
    expect(broken.warnings).toContain('offline: could not write the offline employee list');
    expect(readFileSync(context.file, 'utf8')).toBe(before);
    expect(readdirSync(context.directory).filter((name) => name.startsWith('employees.sealed'))).toEqual(['employees.sealed']);
    expect((await open(context)).size()).toBe(50);
  });

  it('a worker that fails during an open: the storage error of an unreadable file, and the file stays where it is', async () => {
    const context = setup();
    const first = await open(context);
    first.replaceAll(USER, employees(50), '2026-12-01T10:00:00.000Z');
    await first.flush();
    const before = readFileSync(context.file, 'utf8');

    const broken = setup(failingWorker(context.directory));
    const failure = await open({ ...broken, file: context.file, key: context.key }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(IpcFailure);
    expect((failure as IpcFailure).code).toBe('storage');
    expect((failure as IpcFailure).message).toMatch(/^Portal Admin cannot read its offline employee list file \(.+\)\. Nothing was changed; check the disk and try again\.$/);
    expect(readFileSync(context.file, 'utf8')).toBe(before);
    expect(readdirSync(context.directory).some((name) => name.includes('.unreadable-'))).toBe(false);
  });

  it('a worker that cannot start: the same storage error; the file stays', async () => {
    const context = setup();
    const first = await open(context);
    first.replaceAll(USER, employees(5), '2026-12-01T10:00:00.000Z');
    await first.flush();
    const missing = setup(async () => join(context.directory, 'no-such-worker.mjs'));
    await expect(open({ ...missing, file: context.file, key: context.key })).rejects.toMatchObject({ code: 'storage' });
    expect(existsSync(context.file)).toBe(true);
  });
});
