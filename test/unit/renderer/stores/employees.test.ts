import { beforeEach, describe, expect, it } from 'vitest';
import type { Employee } from '../../../../common/api';
import { fail, ok } from '../../../../common/ipc';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { ADMIN, createFakePortal, makeEmployee, signedIn } from '../support/fake-portal';
import { setUpPortal, type Harness } from '../support/mount';

let harness: Harness;
beforeEach(() => {
  harness = setUpPortal(createFakePortal());
});

/** A fake portal list: honours limit and a numeric cursor. */
function pages(all: Employee[]): void {
  harness.portal.api.employees.list.mockImplementation(async (input) => {
    const start = input.cursor ? Number(input.cursor) : 0;
    const end = Math.min(all.length, start + (input.limit ?? 100));
    return ok({ items: all.slice(start, end), nextCursor: end < all.length ? String(end) : null, total: all.length });
  });
}

describe('useEmployeesStore', () => {
  it('loads a first page of 100 then pages of 1,000 with cursors, in the portal name order', async () => {
    const all = Array.from({ length: 2500 }, (_, i) => makeEmployee({ lastName: `N${String(i).padStart(5, '0')}` }));
    pages(all);
    const store = useEmployeesStore();
    await store.load();
    const calls = harness.portal.api.employees.list.mock.calls.map(([input]) => input);
    expect(calls).toEqual([
      { limit: 100, sort: 'name', order: 'asc' },
      { limit: 1000, sort: 'name', order: 'asc', cursor: '100' },
      { limit: 1000, sort: 'name', order: 'asc', cursor: '1100' },
      { limit: 1000, sort: 'name', order: 'asc', cursor: '2100' },
    ]);
    expect(store.status).toBe('loaded');
    expect(store.size).toBe(2500);
    expect(store.loadedCount).toBe(2500);
    expect(store.resultCount).toBe(2500);
    expect(store.rowAt(store.results[0]!).lastName).toBe('N00000');
    // Rows stay plain frozen data, never Vue proxies.
    expect(Object.isFrozen(store.rowAt(0))).toBe(true);
  });

  it('filters, counts and sorts through the query', async () => {
    pages([makeEmployee({ firstName: 'Zoe', email: 'zoe@acme.test' }), makeEmployee({ firstName: 'Yan', role: 'admin' })]);
    const store = useEmployeesStore();
    await store.load();
    store.setQuery({ text: 'zoe' });
    expect(store.resultCount).toBe(1);
    expect(store.isFiltered).toBe(true);
    store.setQuery({ text: '', role: 'admin' });
    expect(store.rowAt(store.results[0]!).firstName).toBe('Yan');
    store.setQuery({ role: null });
    store.toggleSort('email');
    expect(store.query).toMatchObject({ sort: 'email', order: 'asc' });
    store.toggleSort('email');
    expect(store.query.order).toBe('desc');
  });

  it('reads a national number in the search in the signed-in company’s country', async () => {
    pages([makeEmployee({ lastName: 'Adler', cellPhone: '+442079460000' }), makeEmployee({ lastName: 'Chen', cellPhone: '+12125550199' })]);
    useAuthStore().applyState(signedIn({ ...ADMIN, company: { ...ADMIN.company, country: 'GB' } }));
    const store = useEmployeesStore();
    await store.load();
    store.setQuery({ text: '020 7946' });
    expect(Array.from(store.results, (position) => store.rowAt(position).lastName)).toEqual(['Adler']);
  });

  it('shows a plain error when a page fails, and can try again', async () => {
    harness.portal.api.employees.list.mockResolvedValueOnce(fail('offline', 'ETIMEDOUT'));
    const store = useEmployeesStore();
    await store.load();
    expect(store.status).toBe('error');
    expect(store.error).toBe('The employee list could not be loaded. The portal cannot be reached. Check the network connection and try again.');
    pages([makeEmployee()]);
    await store.load({ force: true });
    expect(store.status).toBe('loaded');
    expect(store.size).toBe(1);
  });

  it('saves a number and updates the row in place, without reloading', async () => {
    const ada = makeEmployee({ id: 'ada', cellPhone: '+12125550100', version: 3 });
    pages([makeEmployee(), ada]);
    const store = useEmployeesStore();
    await store.load();
    const revision = store.revision;
    const saved = { ...ada, cellPhone: '+442079460000', version: 4 };
    harness.portal.api.employees.update.mockResolvedValueOnce(ok(saved));
    const idempotencyKey = '11111111-1111-4111-8111-111111111111';
    const result = await store.saveCellPhone({ id: 'ada', version: 3, cellPhone: '+442079460000', idempotencyKey });
    expect(result.ok).toBe(true);
    expect(harness.portal.api.employees.update).toHaveBeenCalledWith({ id: 'ada', version: 3, cellPhone: '+442079460000', idempotencyKey });
    expect(store.findById('ada')).toEqual(saved);
    expect(store.rowAt(1)).toEqual(saved);
    expect(store.revision).toBeGreaterThan(revision);
    expect(harness.portal.api.employees.list).toHaveBeenCalledTimes(1);
  });

  it('forgets everything on reset (sign-out)', async () => {
    pages([makeEmployee()]);
    const store = useEmployeesStore();
    await store.load();
    store.setQuery({ text: 'ada' });
    store.reset();
    expect(store.size).toBe(0);
    expect(store.resultCount).toBe(0);
    expect(store.query.text).toBe('');
    expect(store.status).toBe('idle');
  });
});
