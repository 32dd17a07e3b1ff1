import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Employee } from '../../../../common/api';
import { encodeEmployeeRows, fail, ok } from '../../../../common/ipc';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { useOfflineStore } from '../../../../renderer/stores/offline';
import { ADMIN, createFakePortal, makeEmployee, signedIn } from '../support/fake-portal';
import { setUpPortal, type Harness } from '../support/mount';

let harness: Harness;
beforeEach(() => {
  harness = setUpPortal(createFakePortal());
});

const T1 = '2026-01-15T09:00:00.000Z';
const T2 = '2026-01-15T09:05:00.000Z';
const person = (id: string, lastName: string, extra: Partial<Employee> = {}) => makeEmployee({ id, lastName, firstName: 'A', ...extra });

function portalList(all: Employee[], asOf = T1): void {
  harness.portal.api.employees.list.mockImplementation(async (input) => {
    const start = input.cursor ? Number(input.cursor) : 0;
    const end = Math.min(all.length, start + (input.limit ?? 100));
    return ok({ items: all.slice(start, end), nextCursor: end < all.length ? String(end) : null, total: all.length, asOf });
  });
}

const namesOf = (store: ReturnType<typeof useEmployeesStore>) => Array.from(store.results, (position) => store.rowAt(position).id);

type OfflinePage = Awaited<ReturnType<Harness['portal']['api']['employees']['listOffline']>>;

/**
 * After a restart, signed in with an account whose offline copy holds Adams, Baker and Clark, two to a
 * page; `secondPage` answers for the copy's second page. The portal no longer has Adams (a row left
 * from the copy would show it) and holds a newer Clark. The reopen falls back to the portal's whole list.
 */
async function reopenFallingBackToThePortal(secondPage: (copy: Employee[]) => OfflinePage) {
  useAuthStore().applyState(signedIn(ADMIN));
  useOfflineStore().applyState({ accounts: [{ email: ADMIN.email, asOf: T1, isLocked: false }], user: null, asOf: null });
  const copy = [person('a', 'Adams'), person('b', 'Baker'), person('c', 'Clark')];
  harness.portal.api.employees.listOffline.mockImplementation(async ({ offset, limit }) =>
    offset === 0 ? ok({ rows: encodeEmployeeRows(copy.slice(0, Math.min(limit, 2))), total: copy.length, asOf: T1, since: T1 }) : secondPage(copy),
  );
  portalList([person('b', 'Baker'), person('c', 'Clark', { cellPhone: '+12125550199', version: 2 })], T2);
  const store = useEmployeesStore();
  await store.load();
  expect(harness.portal.api.employees.listOffline).toHaveBeenCalledTimes(2);
  expect(harness.portal.api.employees.list).toHaveBeenCalled();
  expect(store.status).toBe('loaded');
  expect(namesOf(store)).toEqual(['b', 'c']);
  expect(store.source).toBe('portal');
  return store;
}

describe('reopening Manage Employees', () => {
  it('in the session: the rows held stay, and the delta since the portal’s asOf adds, changes and deletes in name order', async () => {
    portalList([person('b', 'Baker'), person('d', 'Dunn'), person('f', 'Fox')]);
    const store = useEmployeesStore();
    await store.load();
    expect(namesOf(store)).toEqual(['b', 'd', 'f']);

    harness.portal.api.employees.changes.mockResolvedValue(
      ok({ complete: true, items: [person('a', 'Adams'), person('e', 'Evans'), person('f', 'Fox', { cellPhone: '+12125550199', version: 2 })], deleted: ['d'], asOf: T2 }),
    );
    await store.load();
    expect(harness.portal.api.employees.changes).toHaveBeenLastCalledWith({ since: T1 });
    expect(harness.portal.api.employees.list).toHaveBeenCalledTimes(1);
    expect(namesOf(store)).toEqual(['a', 'b', 'e', 'f']);
    expect(store.findById('f')?.cellPhone).toBe('+12125550199');
    expect(store.isUpdating).toBe(false);

    // The next reopen asks from the delta's own time.
    harness.portal.api.employees.changes.mockResolvedValue(ok({ complete: true, items: [], deleted: [], asOf: T2 }));
    await store.load();
    expect(harness.portal.api.employees.changes).toHaveBeenLastCalledWith({ since: T2 });
  });

  it('in the session: the delta is asked for once the rows held are painted (at most 100 ms later in a window that paints nothing)', async () => {
    portalList([person('b', 'Baker')]);
    const store = useEmployeesStore();
    await store.load();
    harness.portal.api.employees.changes.mockResolvedValue(ok({ complete: true, items: [person('a', 'Adams')], deleted: [], asOf: T2 }));
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
    try {
      const reopening = store.load();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(harness.portal.api.employees.changes).not.toHaveBeenCalled();
      expect(store.isUpdating).toBe(true);
      expect(namesOf(store)).toEqual(['b']);
      frames.shift()!(performance.now());
      await reopening;
      expect(harness.portal.api.employees.changes).toHaveBeenCalledTimes(1);
      expect(namesOf(store)).toEqual(['a', 'b']);

      // No frame comes (a hidden window): the delta is asked for all the same.
      harness.portal.api.employees.changes.mockResolvedValue(ok({ complete: true, items: [], deleted: ['a'], asOf: T2 }));
      await store.load();
      expect(harness.portal.api.employees.changes).toHaveBeenCalledTimes(2);
      expect(namesOf(store)).toEqual(['b']);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('after a restart, a page of the copy with a row that is not valid: refused, the portal’s whole list instead, nothing of the copy left', async () => {
    const store = await reopenFallingBackToThePortal((copy) => {
      // The second page's block says version 0 for Clark (the employee schema wants a positive version).
      const broken = encodeEmployeeRows(copy.slice(2)).split('\u007f');
      broken[2 + 8] = '0';
      return ok({ rows: broken.join('\u007f'), total: copy.length, asOf: T1, since: T1 });
    });
    expect(store.findById('a')).toBeUndefined();
    expect(store.findById('c')?.version).toBe(2);
  });

  it('a list too old for a delta is loaded again whole; an unreachable portal leaves the rows held', async () => {
    portalList([person('b', 'Baker'), person('d', 'Dunn')]);
    const store = useEmployeesStore();
    await store.load();
    harness.portal.api.employees.changes.mockResolvedValueOnce(fail('offline', 'ECONNREFUSED'));
    await store.load();
    expect(namesOf(store)).toEqual(['b', 'd']);
    expect(store.source).toBe('offline');

    const after = [person('b', 'Baker')];
    portalList(after);
    // Reload: the whole list, whatever is held.
    await store.load({ force: true });
    expect(namesOf(store)).toEqual(['b']);
    // A reopen whose delta is refused: the whole list again (one more full walk).
    expect(harness.portal.api.employees.list).toHaveBeenCalledTimes(2);
    harness.portal.api.employees.changes.mockResolvedValueOnce(ok({ complete: false }));
    await store.load();
    expect(harness.portal.api.employees.list).toHaveBeenCalledTimes(3);
    expect(namesOf(store)).toEqual(['b']);
  });

  it('after a restart: the offline copy, then its delta — no full download', async () => {
    // Signed in with an account that keeps an offline copy here (main lists it).
    useAuthStore().applyState(signedIn(ADMIN));
    useOfflineStore().applyState({ accounts: [{ email: ADMIN.email.toUpperCase(), asOf: T1, isLocked: false }], user: null, asOf: null });
    const copy = [person('b', 'Baker'), person('d', 'Dunn')];
    harness.portal.api.employees.listOffline.mockImplementation(async ({ offset, limit }) =>
      ok({ rows: encodeEmployeeRows(copy.slice(offset, offset + limit)), total: copy.length, asOf: T1, since: T1 }),
    );
    harness.portal.api.employees.changes.mockResolvedValue(ok({ complete: true, items: [person('c', 'Clark')], deleted: ['b'], asOf: T2 }));
    const store = useEmployeesStore();
    await store.load();
    expect(harness.portal.api.employees.list).not.toHaveBeenCalled();
    expect(harness.portal.api.employees.changes).toHaveBeenCalledWith({ since: T1 });
    expect(namesOf(store)).toEqual(['c', 'd']);
    expect(store.source).toBe('portal');
  });

  it('after a restart, a copy that fails half-way (its worker stopped): the portal’s whole list instead, nothing of the copy left', async () => {
    const store = await reopenFallingBackToThePortal(() => fail('storage', 'The offline copy could not be read.'));
    expect(store.error).toBeNull();
    expect(store.findById('c')?.cellPhone).toBe('+12125550199');
    // Its reopen asks from the portal list's own time.
    harness.portal.api.employees.changes.mockResolvedValue(ok({ complete: true, items: [], deleted: [], asOf: T2 }));
    await store.load();
    expect(harness.portal.api.employees.changes).toHaveBeenLastCalledWith({ since: T2 });
  });
});
