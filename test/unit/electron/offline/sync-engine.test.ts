import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Employee } from '../../../../common/api';
import type { Draft } from '../../../../common/drafts';
import { IpcFailure } from '../../../../common/ipc';
import { silentLogger } from '../../../../electron/main/log';
import { retryDelayMs } from '../../../../electron/main/offline/backoff';
import { HISTORY_LIMIT, openDraftStore, type DraftStore } from '../../../../electron/main/offline/draft-store';
import { newDataKey } from '../../../../electron/main/offline/sealed-box';
import { createSyncEngine, type BatchItem, type BatchResult, type SyncTransport } from '../../../../electron/main/offline/sync-engine';
import { testDraft } from '../../../support/drafts';
import { sampleEmployee } from '../support/fixtures';

/** The engine against a scripted transport: what each answer does to the drafts, and what is sent. */
const NOW = Date.parse('2026-03-02T10:00:00.000Z');
const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function newStore(): DraftStore {
  const directory = mkdtempSync(join(tmpdir(), 'portal-admin-sync-'));
  directories.push(directory);
  return openDraftStore({ file: join(directory, 'drafts.sealed'), key: newDataKey(), account: 'a', log: silentLogger });
}

function draftFor(employee: Employee, cellPhone: string): Draft {
  return testDraft(
    { employeeId: employee.id, employee: { firstName: employee.firstName, lastName: employee.lastName, email: employee.email }, cellPhone, baseVersion: employee.version, basePhone: employee.cellPhone },
    NOW,
  );
}

type Answer = (items: BatchItem[]) => BatchResult[] | Promise<BatchResult[]>;
function scripted(...answers: Answer[]) {
  const sent: BatchItem[][] = [];
  const transport: SyncTransport = {
    async sendBatch(items) {
      sent.push(items);
      const answer = answers.shift();
      if (!answer) throw new Error('no more answers scripted');
      return answer(items);
    },
  };
  return { transport, sent };
}
const applied = (item: BatchItem, version = 8): BatchResult => ({
  id: item.id,
  idempotencyKey: item.idempotencyKey,
  status: 200,
  body: { ...sampleEmployee({ id: item.id }), cellPhone: item.patch.cellPhone, version },
});

function engineFor(store: DraftStore, transport: SyncTransport, clock = () => NOW) {
  return createSyncEngine({ store: () => store, gate: () => ({ ok: true, transport }), log: silentLogger, clock, random: () => 0.5, isAutomatic: false });
}

describe('sync engine', () => {
  it('sends oldest first, at most 100 a batch, with If-Match of the base version and each draft’s own key', async () => {
    const store = newStore();
    const drafts = Array.from({ length: 150 }, (_, index) => draftFor(sampleEmployee({ id: `e-${index}`, version: 3 + (index % 4) }), `+121255501${String(index).padStart(2, '0').slice(-2)}`));
    store.transact((document) => document.drafts.push(...drafts));
    const { transport, sent } = scripted((items) => items.map((item) => applied(item)), (items) => items.map((item) => applied(item)));
    const report = await engineFor(store, transport).run();
    expect(sent.map((batch) => batch.length)).toEqual([100, 50]);
    expect(sent.flat().map((item) => item.idempotencyKey)).toEqual(drafts.map((draft) => draft.idempotencyKey));
    expect(sent.flat().map((item) => item.ifMatch)).toEqual(drafts.map((draft) => `"${draft.baseVersion}"`));
    expect(report).toMatchObject({ batches: 2, synced: 150 });
    expect(store.drafts()).toEqual([]);
    expect(store.history()).toHaveLength(150);
  });

  it('412 → conflict with the portal’s copy; 422 → rejected with the reason; 404 → rejected; 503 → failed and retried later', async () => {
    const store = newStore();
    const [conflicted, invalid, gone, busy] = ['e-1', 'e-2', 'e-3', 'e-4'].map((id) => draftFor(sampleEmployee({ id }), '+12125550177'));
    store.transact((document) => document.drafts.push(conflicted!, invalid!, gone!, busy!));
    const theirs = { ...sampleEmployee({ id: 'e-1' }), cellPhone: '+12125550999', version: 9 };
    const { transport } = scripted((items) => [
      { id: items[0]!.id, idempotencyKey: items[0]!.idempotencyKey, status: 412, body: { code: 'precondition_failed', message: 'stale', current: theirs } },
      { id: items[1]!.id, idempotencyKey: items[1]!.idempotencyKey, status: 422, body: { code: 'validation_failed', message: 'The change was not saved.', errors: [{ field: 'cellPhone', code: 'unreachable_type', message: 'Premium-rate numbers cannot receive a login code.' }] } },
      { id: items[2]!.id, idempotencyKey: items[2]!.idempotencyKey, status: 404, body: { code: 'not_found', message: 'No such employee.' } },
      { id: items[3]!.id, idempotencyKey: items[3]!.idempotencyKey, status: 503, body: { code: 'server_error', message: 'busy' } },
    ]);
    await engineFor(store, transport).run();
    const byId = new Map(store.drafts().map((draft) => [draft.employeeId, draft]));
    expect(byId.get('e-1')).toMatchObject({ state: 'conflict', portal: theirs, cellPhone: '+12125550177' });
    expect(byId.get('e-2')).toMatchObject({ state: 'rejected', error: { code: 'unreachable_type', message: 'Premium-rate numbers cannot receive a login code.' } });
    expect(byId.get('e-3')?.state).toBe('rejected');
    expect(byId.get('e-3')?.error?.message).toContain('no longer exists');
    expect(byId.get('e-4')).toMatchObject({ state: 'failed', attempts: 1 });
    expect(Date.parse(byId.get('e-4')!.nextAttemptAt!)).toBeGreaterThan(NOW);
    expect(store.history()).toEqual([]);
  });

  it('a whole-request failure keeps every draft, with the same key, retried no sooner than Retry-After', async () => {
    const store = newStore();
    const draft = draftFor(sampleEmployee(), '+12125550177');
    store.transact((document) => document.drafts.push(draft));
    let now = NOW;
    const { transport, sent } = scripted(
      () => {
        throw new IpcFailure('rate_limited', 'Too many requests.', { retryAfterSeconds: 120 });
      },
      (items) => items.map((item) => applied(item)),
    );
    const engine = engineFor(store, transport, () => now);
    await engine.run();
    const failed = store.drafts()[0]!;
    expect(failed).toMatchObject({ state: 'failed', attempts: 1, idempotencyKey: draft.idempotencyKey });
    expect(Date.parse(failed.nextAttemptAt!) - NOW).toBeGreaterThanOrEqual(120_000);
    // Not due yet: nothing is sent.
    await engine.run();
    expect(sent).toHaveLength(1);
    now = Date.parse(failed.nextAttemptAt!);
    await engine.run();
    expect(sent.map((batch) => batch[0]!.idempotencyKey)).toEqual([draft.idempotencyKey, draft.idempotencyKey]);
    expect(store.drafts()).toEqual([]);
  });

  it('"Sync now" sends a failed draft ahead of its retry time, once per run (no loop while the portal keeps failing)', async () => {
    const store = newStore();
    store.transact((document) => document.drafts.push({ ...draftFor(sampleEmployee(), '+12125550177'), state: 'failed', attempts: 3, nextAttemptAt: new Date(NOW + 3_600_000).toISOString() }));
    const { transport, sent } = scripted(() => {
      throw new IpcFailure('offline', 'The portal cannot be reached.');
    });
    const engine = engineFor(store, transport);
    await engine.run();
    expect(sent).toHaveLength(0);
    await engine.run({ retryNow: true });
    expect(sent).toHaveLength(1);
    expect(store.drafts()[0]).toMatchObject({ state: 'failed', attempts: 4 });
  });

  it('a session that ended leaves the drafts pending, untouched, and says to sign in', async () => {
    const store = newStore();
    const draft = draftFor(sampleEmployee(), '+12125550177');
    store.transact((document) => document.drafts.push(draft));
    const { transport } = scripted(() => {
      throw new IpcFailure('unauthenticated', 'Your session has ended.');
    });
    const engine = engineFor(store, transport);
    await engine.run();
    expect(store.drafts()).toEqual([draft]);
    expect(engine.status()).toMatchObject({ state: 'waiting', reason: expect.stringContaining('Sign in') as unknown });
  });

  it('a portal asking for a fresh code (step_up_required) keeps the drafts pending and says so; the next run sends them', async () => {
    const store = newStore();
    const draft = draftFor(sampleEmployee(), '+12125550177');
    store.transact((document) => document.drafts.push(draft));
    const { transport } = scripted(
      () => {
        throw new IpcFailure('step_up_required', 'Confirm it is you.');
      },
      (items) => items.map((item) => applied(item)),
    );
    const engine = engineFor(store, transport);
    await engine.run();
    expect(store.drafts()).toEqual([draft]);
    expect(engine.status()).toMatchObject({ state: 'waiting', needsStepUp: true, reason: expect.stringContaining('Confirm it is you') as unknown });
    await engine.run();
    expect(store.drafts()).toEqual([]);
    expect(engine.status().needsStepUp).toBeUndefined();
  });

  it('a draft edited while its batch was out: the old value’s success moves the new draft’s base on, the new value is sent next', async () => {
    const store = newStore();
    const employee = sampleEmployee({ version: 4, cellPhone: '+12125550100' });
    const draft = draftFor(employee, '+12125550111');
    store.transact((document) => document.drafts.push(draft));
    const editedKey = randomUUID();
    const { transport, sent } = scripted(
      (items) => {
        // The admin edits the draft meanwhile (as drafts:save does: new number, new key).
        store.transact((document) => {
          document.drafts[0] = { ...document.drafts[0]!, cellPhone: '+12125550222', idempotencyKey: editedKey, state: 'pending' };
        });
        return items.map((item) => applied(item, 5));
      },
      (items) => items.map((item) => applied(item, 6)),
    );
    await engineFor(store, transport).run();
    expect(sent.map((batch) => [batch[0]!.patch.cellPhone, batch[0]!.ifMatch, batch[0]!.idempotencyKey])).toEqual([
      ['+12125550111', '"4"', draft.idempotencyKey],
      ['+12125550222', '"5"', editedKey],
    ]);
    expect(store.history().map((entry) => entry.cellPhone)).toEqual(['+12125550222', '+12125550111']);
    expect(store.drafts()).toEqual([]);
  });

  it('a 412 whose current number is already mine counts as applied (no conflict to ask about)', async () => {
    const store = newStore();
    const draft = draftFor(sampleEmployee({ version: 4 }), '+12125550177');
    store.transact((document) => document.drafts.push(draft));
    const current = { ...sampleEmployee(), cellPhone: '+12125550177', version: 5 };
    const { transport } = scripted((items) => [{ id: items[0]!.id, idempotencyKey: items[0]!.idempotencyKey, status: 412, body: { code: 'precondition_failed', message: 'stale', current } }]);
    const report = await engineFor(store, transport).run();
    expect(report).toMatchObject({ synced: 1, conflicts: 0 });
    expect(store.drafts()).toEqual([]);
    expect(store.history()[0]).toMatchObject({ cellPhone: '+12125550177', version: 5 });
  });

  it('drafts left `syncing` by a crash are sent again with the same keys', async () => {
    const store = newStore();
    const draft = { ...draftFor(sampleEmployee(), '+12125550177'), state: 'syncing' as const };
    store.transact((document) => document.drafts.push(draft));
    const { transport, sent } = scripted((items) => items.map((item) => applied(item)));
    await engineFor(store, transport).run();
    expect(sent[0]![0]!.idempotencyKey).toBe(draft.idempotencyKey);
    expect(store.drafts()).toEqual([]);
  });

  it('inFlight 2: two batches on their way at once, never with the same draft; every draft synced once', async () => {
    const store = newStore();
    const drafts = Array.from({ length: 250 }, (_, index) => draftFor(sampleEmployee({ id: `e-${index}` }), `+1212555${String(1000 + index)}`));
    store.transact((document) => document.drafts.push(...drafts));
    const onTheirWay = new Set<string>();
    let most = 0;
    let overlaps = 0;
    let sentBeforeWritten = 0;
    const sent: BatchItem[][] = [];
    const transport: SyncTransport = {
      async sendBatch(items) {
        sent.push(items);
        // Written before it was sent: the drafts file has the batch as `syncing`.
        const keys = new Set(items.map((item) => item.idempotencyKey));
        sentBeforeWritten += store.drafts().filter((draft) => keys.has(draft.idempotencyKey) && draft.state !== 'syncing').length;
        for (const item of items) {
          if (onTheirWay.has(item.id)) overlaps++;
          onTheirWay.add(item.id);
        }
        most = Math.max(most, onTheirWay.size);
        // The answer comes a few turns later: the engine may send the next batch meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 5));
        for (const item of items) onTheirWay.delete(item.id);
        return items.map((item) => applied(item));
      },
    };
    const report = await createSyncEngine({ store: () => store, gate: () => ({ ok: true, transport }), log: silentLogger, clock: () => NOW, random: () => 0.5, isAutomatic: false, inFlight: 2 }).run();
    expect(most).toBe(200);
    expect(overlaps).toBe(0);
    expect(sentBeforeWritten).toBe(0);
    expect(sent.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(sent.flat().map((item) => item.idempotencyKey)).toEqual(drafts.map((draft) => draft.idempotencyKey));
    expect(report).toMatchObject({ batches: 3, synced: 250 });
    expect(store.drafts()).toEqual([]);
    expect(new Set(store.history().map((entry) => entry.draftId)).size).toBe(HISTORY_LIMIT);
  });

  it('inFlight 2: a batch that fails while the next is on its way: the next is still written as answered, and nothing more is sent', async () => {
    const store = newStore();
    const drafts = Array.from({ length: 6 }, (_, index) => draftFor(sampleEmployee({ id: `e-${index}` }), `+1212555${String(1000 + index)}`));
    store.transact((document) => document.drafts.push(...drafts));
    const { transport, sent } = scripted(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new IpcFailure('offline', 'The portal cannot be reached.');
      },
      (items) => items.map((item) => applied(item)),
    );
    const engine = createSyncEngine({ store: () => store, gate: () => ({ ok: true, transport }), log: silentLogger, clock: () => NOW, random: () => 0.5, isAutomatic: false, batchSize: 2, inFlight: 2 });
    const report = await engine.run();
    expect(sent.map((batch) => batch.map((item) => item.id))).toEqual([['e-0', 'e-1'], ['e-2', 'e-3']]);
    expect(report).toMatchObject({ batches: 2, synced: 2, failed: 2 });
    expect(store.history().map((entry) => entry.employeeId).sort()).toEqual(['e-2', 'e-3']);
    expect(store.drafts().map((draft) => [draft.employeeId, draft.state, draft.attempts])).toEqual([
      ['e-0', 'failed', 1],
      ['e-1', 'failed', 1],
      ['e-4', 'pending', 0],
      ['e-5', 'pending', 0],
    ]);
    expect(engine.status()).toMatchObject({ state: 'waiting', reasonCode: 'send_failed' });
  });

  it('waits (and sends nothing) while the gate is closed', async () => {
    const store = newStore();
    store.transact((document) => document.drafts.push(draftFor(sampleEmployee(), '+12125550177')));
    const engine = createSyncEngine({ store: () => store, gate: () => ({ ok: false, reason: 'Sign in with the portal.' }), log: silentLogger, isAutomatic: false });
    await engine.run();
    expect(engine.status()).toMatchObject({ state: 'waiting', reason: 'Sign in with the portal.' });
    expect(store.drafts()[0]?.state).toBe('pending');
  });
});

describe('retry delays', () => {
  it('grow exponentially with jitter between half and all of the ceiling, capped, and never below Retry-After', () => {
    const policy = { baseMs: 1_000, maxMs: 60_000 };
    expect(retryDelayMs(1, () => 0, policy)).toBe(500);
    expect(retryDelayMs(1, () => 1, policy)).toBe(1_000);
    expect(retryDelayMs(4, () => 0, policy)).toBe(4_000);
    expect(retryDelayMs(4, () => 1, policy)).toBe(8_000);
    expect(retryDelayMs(30, () => 1, policy)).toBe(60_000);
    expect(retryDelayMs(1, () => 0.5, policy, 30)).toBe(30_000);
  });
});
