import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watch } from 'vue';
import type { Employee, EmployeeList } from '../../../../common/api';
import { ok, type IpcResult } from '../../../../common/ipc';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { createFakePortal, makeEmployee } from '../support/fake-portal';
import { setUpPortal } from '../support/mount';

/*
 * The count of rows read while the list loads re-renders the view's progress each time it changes:
 * it changes for the first page and the last at once, and in between at most every 250 ms, however
 * fast the pages arrive.
 */

const ALL: Employee[] = Array.from({ length: 12_100 }, (_, i) => makeEmployee({ id: `p${i}`, lastName: `L${String(i).padStart(6, '0')}` }));
/** The page clock: each page takes 60 ms to arrive. */
let clock = 0;

beforeEach(() => {
  clock = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  const harness = setUpPortal(createFakePortal());
  harness.portal.api.employees.list.mockImplementation(async (input) => {
    clock += 60;
    const start = input.cursor ? Number(input.cursor) : 0;
    const end = Math.min(ALL.length, start + (input.limit ?? 100));
    const answer: IpcResult<EmployeeList> = ok({ items: ALL.slice(start, end), nextCursor: end < ALL.length ? String(end) : null, total: ALL.length });
    return answer;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('the progress of a load', () => {
  it('shows the first page and the last at once, and the count in between at most every 250 ms', async () => {
    const store = useEmployeesStore();
    const seen: { count: number; at: number }[] = [];
    const stop = watch(
      () => store.loadedCount,
      (count) => seen.push({ count, at: clock }),
      { flush: 'sync' },
    );
    await store.load();
    stop();
    expect(store.status).toBe('loaded');
    expect(store.size).toBe(ALL.length);
    // 100, then 12 pages of 1,000: 13 pages, 60 ms apart.
    expect(seen[0]!.count).toBe(100);
    expect(seen.at(-1)!.count).toBe(ALL.length);
    for (let k = 1; k < seen.length - 1; k++) expect(seen[k]!.at - seen[k - 1]!.at).toBeGreaterThanOrEqual(250);
    expect(seen.map((entry) => entry.count)).toEqual([...seen.map((entry) => entry.count)].sort((a, b) => a - b));
    expect(seen.length).toBeLessThan(13);
  });
});
