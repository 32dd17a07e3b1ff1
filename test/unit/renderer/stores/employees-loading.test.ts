import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Employee, EmployeeList } from '../../../../common/api';
import { ok, type IpcResult } from '../../../../common/ipc';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { createFakePortal, makeEmployee } from '../support/fake-portal';
import { setUpPortal, type Harness } from '../support/mount';

/** A search or a sort chosen while the pages arrive: the results follow every page, and the last one. */

let harness: Harness;
let release: () => void = () => undefined;
const ALL: Employee[] = Array.from({ length: 3100 }, (_, i) =>
  makeEmployee({
    id: `r${i}`,
    firstName: i % 7 === 0 ? 'Zed' : 'Ada',
    lastName: `L${String(i).padStart(5, '0')}`,
    email: `${String(3100 - i).padStart(5, '0')}@acme.test`,
  }),
);

beforeEach(() => {
  harness = setUpPortal(createFakePortal());
  // The first page at once; every later page waits for release().
  harness.portal.api.employees.list.mockImplementation(async (input) => {
    const start = input.cursor ? Number(input.cursor) : 0;
    const end = Math.min(ALL.length, start + (input.limit ?? 100));
    const answer: IpcResult<EmployeeList> = ok({ items: ALL.slice(start, end), nextCursor: end < ALL.length ? String(end) : null, total: ALL.length });
    if (start === 0) return answer;
    await new Promise<void>((resolve) => {
      const previous = release;
      release = () => {
        previous();
        resolve();
      };
    });
    return answer;
  });
});
afterEach(() => {
  release();
  vi.useRealTimers();
});

const ids = (store: ReturnType<typeof useEmployeesStore>): string[] => Array.from(store.results, (position) => store.rowAt(position).id);
const matching = (rows: Employee[], text: string): string[] => rows.filter((row) => `${row.firstName} ${row.lastName}`.toLowerCase().includes(text)).map((row) => row.id);

describe('searching while the list loads', () => {
  it('a search typed after the first page shows that page’s matches at once, and every page’s once the load ends', async () => {
    const store = useEmployeesStore();
    const loading = store.load();
    await vi.waitFor(() => expect(store.loadedCount).toBe(100));
    store.setQuery({ text: 'zed' });
    expect(ids(store)).toEqual(matching(ALL.slice(0, 100), 'zed'));
    expect(store.status).toBe('loading');
    // Each page waits for the one before it is in: release until the last page is in.
    while (store.status === 'loading') {
      release();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await loading;
    expect(store.size).toBe(ALL.length);
    expect(ids(store)).toEqual(matching(ALL, 'zed'));
    expect(store.resultCount).toBe(Math.ceil(ALL.length / 7));
    // Typing on narrows the whole list, not the rows of the first page.
    store.setQuery({ text: 'zed l030' });
    expect(ids(store)).toEqual(['r3003', 'r3010', 'r3017', 'r3024', 'r3031', 'r3038', 'r3045', 'r3052', 'r3059', 'r3066', 'r3073', 'r3080', 'r3087', 'r3094']);
  });

  it('rows shown while the pages arrive are the loaded rows that match, in the sort chosen meanwhile', async () => {
    const store = useEmployeesStore();
    const loading = store.load();
    await vi.waitFor(() => expect(store.loadedCount).toBe(100));
    store.setQuery({ text: 'zed', sort: 'email', order: 'asc' });
    // Emails run backwards to names: the first page's matches, last name first.
    expect(ids(store)).toEqual(matching(ALL.slice(0, 100), 'zed').reverse());
    while (store.status === 'loading') {
      release();
      await new Promise((resolve) => setTimeout(resolve, 0));
      // Whatever has been shown so far: every match among the rows of the pages shown, in email order.
      const shown = ids(store);
      const loaded = ALL.findIndex((row) => row.id === shown[0]) + 1;
      expect(shown).toEqual(matching(ALL.slice(0, loaded), 'zed').reverse());
    }
    await loading;
    expect(ids(store)).toEqual(matching(ALL, 'zed').reverse());
  });
});
