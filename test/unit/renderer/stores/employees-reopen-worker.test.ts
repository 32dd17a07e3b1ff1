import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Employee } from '../../../../common/api';
import { compareByName } from '../../../../common/api/employee-order';
import { encodeEmployeeRows, ok } from '../../../../common/ipc';
import { DEFAULT_QUERY, EmployeeIndex } from '../../../../renderer/lib/employee-index';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { useOfflineStore } from '../../../../renderer/stores/offline';
import { answerColumns, transferablesOf, type ColumnsAnswer, type ColumnsRequest } from '../../../../renderer/workers/index-columns-job';
import { ADMIN, signedIn, createFakePortal } from '../support/fake-portal';
import { setUpPortal, type Harness } from '../support/mount';
import { randomEmployee } from '../support/random-employees';
import { randomSource } from '../support/random-source';

/*
 * The first opening after a restart reads the offline copy and has its pages indexed by a Web Worker
 * (services/index-columns-client.ts). The window has no real Worker under test: a stand-in runs the
 * worker's own code (answerColumns) after a task, its answer through structured clone as postMessage
 * does. However the worker behaves, the rows, counts and search results are those of the copy.
 */

const T1 = '2026-01-15T09:00:00.000Z';
const T2 = '2026-01-15T09:05:00.000Z';

type Behaviour = 'answers' | 'fails to start' | 'breaks' | 'answers nonsense';

class StandInWorker {
  static behaviour: Behaviour = 'answers';
  static requests: number[] = [];
  static made = 0;
  static terminated = 0;
  onmessage: ((event: MessageEvent<ColumnsAnswer>) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  constructor(readonly url: URL | string, readonly options: WorkerOptions) {
    if (StandInWorker.behaviour === 'fails to start') throw new Error('workers are not allowed here');
    StandInWorker.made++;
  }
  postMessage(request: ColumnsRequest): void {
    const rows = request.rows.split('\u007f')[1];
    StandInWorker.requests.push(Number(rows));
    setTimeout(() => {
      if (StandInWorker.behaviour === 'breaks') return this.onerror?.(new Event('error'));
      const answer = answerColumns(request);
      if (StandInWorker.behaviour === 'answers nonsense' && 'columns' in answer) answer.columns.haystacks.pop();
      this.onmessage?.(new MessageEvent('message', { data: structuredClone(answer, { transfer: transferablesOf(answer) }) }));
    }, 0);
  }
  terminate(): void {
    StandInWorker.terminated++;
  }
}

let harness: Harness;
beforeEach(() => {
  harness = setUpPortal(createFakePortal());
  StandInWorker.behaviour = 'answers';
  StandInWorker.requests = [];
  StandInWorker.made = 0;
  StandInWorker.terminated = 0;
  vi.stubGlobal('Worker', StandInWorker);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** Restarted, signed in with an account that keeps an offline copy of `copy`; the portal's delta since the copy: one added, one deleted. */
async function openAfterRestart(copy: readonly Employee[], added: Employee, deleted: string) {
  useAuthStore().applyState(signedIn(ADMIN));
  useOfflineStore().applyState({ accounts: [{ email: ADMIN.email, asOf: T1, isLocked: false }], user: null, asOf: null });
  harness.portal.api.employees.listOffline.mockImplementation(async ({ offset, limit }) =>
    ok({ rows: encodeEmployeeRows(copy.slice(offset, offset + limit)), total: copy.length, asOf: T1, since: T1 }),
  );
  harness.portal.api.employees.changes.mockResolvedValue(ok({ complete: true, items: [added], deleted: [deleted], asOf: T2 }));
  const store = useEmployeesStore();
  await store.load();
  return store;
}

describe('the first opening after a restart, its pages indexed in a worker', () => {
  const random = randomSource(11);
  const copy = Array.from({ length: 5600 }, (_, k) => randomEmployee(random, `r-${k}`)).sort(compareByName);
  const added = randomEmployee(random, 'r-new');
  const expected = [...copy.filter((employee) => employee.id !== copy[7]!.id), added].sort(compareByName);

  it.each<Behaviour>(['answers', 'fails to start', 'breaks', 'answers nonsense'])('a worker that %s: the copy plus its delta, searched as a scratch build', async (behaviour) => {
    StandInWorker.behaviour = behaviour;
    const store = await openAfterRestart(copy, added, copy[7]!.id);
    expect(harness.portal.api.employees.list).not.toHaveBeenCalled();
    expect(store.status).toBe('loaded');
    // The first page (100 rows, shown at once) is indexed in the window; the copy's larger pages went to the worker.
    // (A worker that broke gets no request after it broke, and no second worker starts.)
    expect(StandInWorker.requests).toEqual(behaviour === 'fails to start' ? [] : [5000, 500]);
    expect(StandInWorker.made).toBe(behaviour === 'fails to start' ? 0 : 1);
    // The worker does not outlive the load.
    expect(StandInWorker.terminated).toBe(StandInWorker.made);

    const scratch = new EmployeeIndex();
    scratch.append(expected);
    expect(Array.from(store.results, (position) => store.rowAt(position).id)).toEqual(expected.map((employee) => employee.id));
    expect(store.attentionCount).toBe(scratch.attentionCount);
    for (const patch of [{ text: 'smith' }, { text: 'zoe' }, { text: '7946' }, { needsAttention: true }, { needsAttention: true, role: 'tech' as const }, { text: 'ma', sort: 'cellPhone' as const }]) {
      store.setQuery({ ...DEFAULT_QUERY, ...patch });
      await vi.waitFor(() => expect(store.isSorting).toBe(false));
      expect(Array.from(store.results, (position) => store.rowAt(position).id), JSON.stringify(patch)).toEqual(
        Array.from(scratch.filter({ ...DEFAULT_QUERY, ...patch }), (position) => scratch.at(position).id),
      );
    }
  });
});
