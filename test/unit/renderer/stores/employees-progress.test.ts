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
let harness: ReturnType<typeof setUpPortal>;

beforeEach(() => {
  clock = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  harness = setUpPortal(createFakePortal());
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
  it('a count held back is shown when its time is up, even while the next page is slow to come', async () => {
    const store = useEmployeesStore();
    let release: (value: IpcResult<EmployeeList>) => void = () => undefined;
    const list = harness.portal.api.employees.list;
    const fast = list.getMockImplementation()!;
    let page = 0;
    list.mockImplementation((input) => {
      if (++page !== 3) return fast(input);
      // The third page is slow to come.
      return new Promise((resolve) => (release = resolve));
    });
    const loading = store.load();
    // Pages 1 and 2 (100 + 1,000 rows) came 60 ms apart: the second count is held back…
    await vi.waitFor(() => expect(page).toBe(3));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.loadedCount).toBe(100);
    // …and shown once 250 ms have passed since the first, though no page came meanwhile.
    clock += 300;
    await vi.waitFor(() => expect(store.loadedCount).toBe(1_100), { timeout: 5_000 });
    expect(store.status).toBe('loading');
    release(ok({ items: [], nextCursor: null, total: 1_100 }));
    await loading;
  });
});
