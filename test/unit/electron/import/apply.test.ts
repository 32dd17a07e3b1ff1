import { describe, expect, it } from 'vitest';
import type { EmployeeBatchRequest } from '../../../../common/api';
import { IpcFailure } from '../../../../common/ipc';
import { applyChanges, type ApplyOptions } from '../../../../electron/main/import/apply';
import type { PlannedChange } from '../../../../electron/main/import/check';
import { EMPLOYEES } from './support';

function planned(count: number): PlannedChange[] {
  return Array.from({ length: count }, (_, index) => ({
    row: index + 2,
    employeeId: `acme-${index}`,
    name: `Person ${index}`,
    email: `p${index}@acme.test`,
    oldPhone: null,
    newPhone: `+1212555${String(index).padStart(4, '0')}`,
    version: 1 + (index % 3),
    warning: null,
    status: 'pending',
    message: null,
    idempotencyKey: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    employee: { ...EMPLOYEES[0]!, id: `acme-${index}` },
  }));
}

function options(overrides: Partial<ApplyOptions> & { batches?: EmployeeBatchRequest['items'][] } = {}): ApplyOptions {
  const batches = overrides.batches ?? [];
  return {
    async sendBatch(items) {
      batches.push(items);
      return items.map((item) => ({ id: item.id, idempotencyKey: item.idempotencyKey, status: 200, body: { ...EMPLOYEES[0], id: item.id, cellPhone: item.patch.cellPhone } }));
    },
    saveDraft: async () => undefined,
    isCancelled: () => false,
    onProgress() {},
    onApplied() {},
    ...overrides,
  };
}

describe('applying checked changes', () => {
  it('sends batches of at most 100, each item with If-Match of the checked version and its own key', async () => {
    const batches: EmployeeBatchRequest['items'][] = [];
    const changes = planned(250);
    const outcome = await applyChanges(changes, options({ batches }));
    expect(batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(batches[0]![1]).toEqual({ id: 'acme-1', ifMatch: '"2"', idempotencyKey: changes[1]!.idempotencyKey, patch: { cellPhone: '+12125550001' } });
    expect(new Set(batches.flat().map((item) => item.idempotencyKey)).size).toBe(250);
    expect(outcome).toEqual({ applied: 250, conflicts: 0, refused: 0, notSent: 0, drafted: 0, isCancelled: false, requests: 3 });
    expect(changes.every((change) => change.status === 'applied')).toBe(true);
  });

  it('reports conflicts (412) and refusals per item, and overwrites nothing', async () => {
    const changes = planned(3);
    const outcome = await applyChanges(changes, options({
      async sendBatch(items) {
        return [
          { id: items[0]!.id, idempotencyKey: items[0]!.idempotencyKey, status: 200, body: { ...EMPLOYEES[0], id: items[0]!.id } },
          { id: items[1]!.id, idempotencyKey: items[1]!.idempotencyKey, status: 412, body: { code: 'precondition_failed', message: 'stale', current: { ...EMPLOYEES[0], cellPhone: '+442079460000', version: 9 } } },
          { id: items[2]!.id, idempotencyKey: items[2]!.idempotencyKey, status: 403, body: { code: 'forbidden', message: 'Admins only.' } },
        ];
      },
    }));
    expect(outcome).toMatchObject({ applied: 1, conflicts: 1, refused: 1 });
    expect(changes[1]).toMatchObject({ status: 'conflict', message: 'Changed on the portal since the check (it now has +44 20 7946 0000); nothing was overwritten. Check the file again.' });
    // The number itself, for the window to show through privacy mode.
    expect(changes[1]!.portalPhone).toBe('+442079460000');
    expect(changes[2]!.portalPhone).toBeUndefined();
    expect(changes[2]).toMatchObject({ status: 'refused', message: 'Admins only.', errorCode: 'forbidden' });
  });

  it('Cancel (one batch at a time): the batch in flight finishes, the rest is not sent', async () => {
    let isCancelled = false;
    const batches: EmployeeBatchRequest['items'][] = [];
    const base = options({ batches });
    const changes = planned(350);
    const outcome = await applyChanges(changes, {
      ...base,
      async sendBatch(items) {
        const answer = await base.sendBatch(items);
        if (batches.length === 2) isCancelled = true;
        return answer;
      },
      isCancelled: () => isCancelled,
      concurrency: 1,
    });
    expect(batches).toHaveLength(2);
    expect(outcome).toEqual({ applied: 200, conflicts: 0, refused: 0, notSent: 150, drafted: 0, isCancelled: true, requests: 2 });
    expect(changes[200]).toMatchObject({ status: 'not_sent', message: 'Not sent: the import was cancelled.', notSentCode: 'cancelled' });
  });

  it('offline: what was not applied becomes drafts in the Outbox', async () => {
    const drafted: string[] = [];
    const batches: EmployeeBatchRequest['items'][] = [];
    const base = options({ batches });
    const changes = planned(150);
    const outcome = await applyChanges(changes, {
      ...base,
      async sendBatch(items) {
        if (batches.length === 1) throw new IpcFailure('offline', 'The portal cannot be reached.');
        return base.sendBatch(items);
      },
      async saveDraft(change) {
        drafted.push(change.employeeId);
      },
    });
    expect(outcome).toMatchObject({ applied: 100, drafted: 50, notSent: 0 });
    expect(drafted).toEqual(changes.slice(100).map((change) => change.employeeId));
    expect(changes[149]!.status).toBe('drafted');
  });

  it('a refused request (signed out) leaves the rest not sent, with the reason', async () => {
    const changes = planned(120);
    const outcome = await applyChanges(changes, options({
      sendBatch: () => Promise.reject(new IpcFailure('unauthenticated', 'Your session has ended. Sign in again.')),
    }));
    // Both batches were in flight together, and both were refused.
    expect(outcome).toMatchObject({ applied: 0, notSent: 120, requests: 2 });
    expect(changes[0]!.message).toBe('Your session has ended. Sign in again.');
    expect(changes[0]).toMatchObject({ notSentCode: 'request_refused', errorCode: 'unauthenticated' });
  });

  it('the portal unreachable and no draft possible: not sent, with the reason as a code', async () => {
    const changes = planned(2);
    const outcome = await applyChanges(changes, options({
      sendBatch: () => Promise.reject(new IpcFailure('offline', 'The portal cannot be reached.')),
      saveDraft: () => Promise.reject(new IpcFailure('keychain_unavailable', 'No keychain.')),
    }));
    expect(outcome).toMatchObject({ applied: 0, drafted: 0, notSent: 2 });
    expect(changes[1]).toMatchObject({ status: 'not_sent', notSentCode: 'draft_failed', errorCode: 'keychain_unavailable' });
  });

  it('keeps at most 4 batches in flight; answers in any order still apply every change once, progress only grows', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const sent: string[] = [];
    const progress: number[] = [];
    const base = options();
    const changes = planned(1000);
    const outcome = await applyChanges(changes, {
      ...base,
      async sendBatch(items) {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        sent.push(...items.map((item) => item.idempotencyKey));
        // Later batches answer first now and then.
        await new Promise((resolve) => setTimeout(resolve, (items[0]!.id.length * 7 + sent.length) % 5));
        inFlight -= 1;
        return base.sendBatch(items);
      },
      onProgress: (done) => progress.push(done),
    });
    expect(mostInFlight).toBe(4);
    expect(outcome).toEqual({ applied: 1000, conflicts: 0, refused: 0, notSent: 0, drafted: 0, isCancelled: false, requests: 10 });
    expect(new Set(sent).size).toBe(1000);
    expect(sent).toHaveLength(1000);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(1000);
  });

  it('Cancel with 4 batches in flight: they finish and stay applied, no other batch starts', async () => {
    let isCancelled = false;
    const batches: EmployeeBatchRequest['items'][] = [];
    const base = options({ batches });
    const changes = planned(1000);
    const outcome = await applyChanges(changes, {
      ...base,
      async sendBatch(items) {
        const answer = await base.sendBatch(items);
        await new Promise((resolve) => setTimeout(resolve, 5));
        isCancelled = true; // pressed while the first answers come back
        return answer;
      },
      isCancelled: () => isCancelled,
    });
    expect(batches).toHaveLength(4);
    expect(outcome).toEqual({ applied: 400, conflicts: 0, refused: 0, notSent: 600, drafted: 0, isCancelled: true, requests: 4 });
    expect(changes.filter((change) => change.status === 'applied')).toHaveLength(400);
    expect(changes[999]).toMatchObject({ status: 'not_sent', message: 'Not sent: the import was cancelled.' });
  });

  /** A portal whose second factor goes stale after `freshBatches` batches, until a code is entered. */
  function portalWithSudo(freshBatches: number) {
    let isFresh = true;
    let accepted = 0;
    const appliedKeys = new Map<string, number>();
    const refusedKeys: string[] = [];
    const base = options();
    return {
      appliedKeys,
      refusedKeys,
      renew: () => {
        isFresh = true;
      },
      async sendBatch(items: EmployeeBatchRequest['items']) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (!isFresh || accepted >= freshBatches) {
          isFresh = false;
          accepted = -Infinity;
          refusedKeys.push(...items.map((item) => item.idempotencyKey));
          throw new IpcFailure('step_up_required', 'Confirm it is you: enter a code from your second factor to continue.');
        }
        accepted += 1;
        for (const item of items) appliedKeys.set(item.idempotencyKey, (appliedKeys.get(item.idempotencyKey) ?? 0) + 1);
        return base.sendBatch(items);
      },
    };
  }

  it('step_up_required pauses the apply: one prompt, then the refused batches go again with the same keys; none applied twice, none lost', async () => {
    const portal = portalWithSudo(2);
    let prompts = 0;
    const changes = planned(1000);
    const outcome = await applyChanges(changes, {
      ...options(),
      sendBatch: (items) => portal.sendBatch(items),
      async confirmStepUp() {
        prompts += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
        portal.renew();
        return true;
      },
    });
    expect(prompts).toBe(1);
    expect(outcome).toMatchObject({ applied: 1000, notSent: 0, isCancelled: false });
    expect(portal.refusedKeys.length).toBeGreaterThan(0);
    expect([...portal.appliedKeys.values()].every((count) => count === 1)).toBe(true);
    expect(portal.appliedKeys.size).toBe(1000);
    // Every refused item was sent again with the key it had.
    for (const key of portal.refusedKeys) expect(portal.appliedKeys.get(key)).toBe(1);
    expect(changes.every((change) => change.status === 'applied')).toBe(true);
  });

  it('no code entered (the prompt cancelled): what was applied stays applied, the rest is not sent', async () => {
    const portal = portalWithSudo(3);
    const changes = planned(1000);
    const outcome = await applyChanges(changes, { ...options(), sendBatch: (items) => portal.sendBatch(items), confirmStepUp: async () => false });
    expect(outcome).toMatchObject({ applied: 300, notSent: 700, isCancelled: true });
    expect(portal.appliedKeys.size).toBe(300);
    const applied = changes.filter((change) => change.status === 'applied').map((change) => change.idempotencyKey);
    expect(applied.sort()).toEqual([...portal.appliedKeys.keys()].sort());
    expect(changes.filter((change) => change.status === 'not_sent').every((change) => change.message === 'Not sent: the import was cancelled.')).toBe(true);
  });

  it('a batch that timed out (it may have been applied) goes again with the same keys before anything becomes a draft', async () => {
    const base = options();
    const sentKeys: string[][] = [];
    let timeouts = 0;
    const changes = planned(250);
    const outcome = await applyChanges(changes, {
      ...base,
      async sendBatch(items) {
        sentKeys.push(items.map((item) => item.idempotencyKey));
        if (items[0]!.id === 'acme-100' && timeouts < 2) {
          timeouts += 1;
          throw new IpcFailure('timeout', 'The portal did not answer in time.');
        }
        return base.sendBatch(items);
      },
      saveDraft: () => Promise.reject(new Error('nothing should become a draft')),
    });
    expect(outcome).toMatchObject({ applied: 250, drafted: 0, notSent: 0, requests: 5 });
    const second = sentKeys.filter((keys) => keys[0] === changes[100]!.idempotencyKey);
    expect(second).toHaveLength(3);
    expect(second[2]).toEqual(second[0]);
  });
});
