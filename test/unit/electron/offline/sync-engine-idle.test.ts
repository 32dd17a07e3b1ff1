import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../electron/main/log';
import { openDraftStore } from '../../../../electron/main/offline/draft-store';
import { newDataKey } from '../../../../electron/main/offline/sealed-box';
import { createSyncEngine, type BatchItem, type BatchResult } from '../../../../electron/main/offline/sync-engine';
import { testDraft } from '../../../support/drafts';
import { sampleEmployee } from '../support/fixtures';

const NOW = Date.parse('2026-03-02T10:00:00.000Z');
const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('sync engine: whenIdle (quitting waits for a batch in flight)', () => {
  it('resolves at once when idle, and after the batch in flight when one is', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'portal-admin-sync-idle-'));
    directories.push(directory);
    const store = openDraftStore({ file: join(directory, 'drafts.sealed'), key: newDataKey(), account: 'a', log: silentLogger });
    const employee = sampleEmployee();
    const draft = testDraft(
      { employeeId: employee.id, employee: { firstName: employee.firstName, lastName: employee.lastName, email: employee.email }, cellPhone: '+12125550199', baseVersion: employee.version, basePhone: employee.cellPhone },
      NOW,
    );
    store.transact((document) => document.drafts.push(draft));
    let answer: (results: BatchResult[]) => void = () => undefined;
    let sent: BatchItem[] = [];
    const engine = createSyncEngine({
      store: () => store,
      gate: () => ({
        ok: true,
        transport: {
          sendBatch: (items) => {
            sent = items;
            return new Promise<BatchResult[]>((resolve) => (answer = resolve));
          },
        },
      }),
      log: silentLogger,
      clock: () => NOW,
      isAutomatic: false,
    });
    await expect(engine.whenIdle()).resolves.toBeUndefined();

    const run = engine.run();
    await expect.poll(() => sent.length).toBe(1);
    engine.stop();
    let isIdle = false;
    const idle = engine.whenIdle().then(() => (isIdle = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isIdle).toBe(false);
    answer(sent.map((item) => ({ id: item.id, idempotencyKey: item.idempotencyKey, status: 200, body: { ...employee, cellPhone: item.patch.cellPhone, version: employee.version + 1 } })));
    await idle;
    await expect(run).resolves.toMatchObject({ synced: 1 });
    expect(engine.status().state).not.toBe('running');
  });
});
