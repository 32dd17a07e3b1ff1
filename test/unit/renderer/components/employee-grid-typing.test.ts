import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ok } from '../../../../common/ipc';
import EmployeeFilters from '../../../../renderer/components/employees/EmployeeFilters.vue';
import EmployeeGrid from '../../../../renderer/components/employees/EmployeeGrid.vue';
import ExportEmployeesButton from '../../../../renderer/components/import/ExportEmployeesButton.vue';
import { setLocale } from '../../../../renderer/i18n';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { usePrivacyStore } from '../../../../renderer/stores/privacy';
import { createFakePortal, makeEmployee } from '../support/fake-portal';
import { mountWithApp, setUpPortal, type Harness } from '../support/mount';

/** What a search repaints: the rows' words (looked up once per language) and the search field itself. */

let harness: Harness;
beforeEach(async () => {
  document.body.innerHTML = '';
  harness = setUpPortal(createFakePortal());
  const employees = [
    makeEmployee({ id: 'w0', firstName: 'Ana', lastName: 'Seller', role: 'sales', twoFactor: { status: 'active', method: 'sms' }, cellPhone: '+447400123456', phoneVerifiedAt: '2030-01-01T09:00:00.000Z' }),
    makeEmployee({ id: 'w1', firstName: 'Tom', lastName: 'Tech', role: 'tech', twoFactor: { status: 'pending', method: null }, cellPhone: null }),
    makeEmployee({ id: 'w2', firstName: 'Lou', lastName: 'Locked', role: 'sales', twoFactor: { status: 'active', method: 'sms', lockedOut: true } }),
  ];
  harness.portal.api.employees.list.mockResolvedValue(ok({ items: employees, nextCursor: null, total: employees.length }));
  await useEmployeesStore().load();
});
afterEach(async () => {
  await setLocale('en');
});

describe('typing in the search', () => {
  it('rows show their role, status, chips and pencil in the language shown, and follow a change of language', async () => {
    const wrapper = mountWithApp(EmployeeGrid, harness, { props: { canEdit: true } });
    await flushPromises();
    const cells = (id: string) => wrapper.get(`#employee-row-${id}`).findAll('[role="gridcell"]').map((cell) => cell.text());
    const pencil = (id: string) => wrapper.get(`#employee-row-${id} .grid__pencil`);
    expect(cells('w0').slice(2, 5)).toEqual(['Sales', 'Active✓ Verified', '+44 7400 123456']);
    expect(cells('w1').slice(2, 5)).toEqual(['Technician', 'Pending', 'No number']);
    expect(cells('w2')[3]).toBe('Locked out');
    expect(pencil('w0').attributes('aria-label')).toBe('Edit Ana Seller');
    expect(pencil('w0').attributes('title')).toBe('Edit Ana Seller');

    await setLocale('de');
    await flushPromises();
    expect(cells('w0').slice(2, 4)).toEqual(['Vertrieb', 'Aktiv✓ Bestätigt']);
    expect(cells('w1').slice(2, 5)).toEqual(['Techniker', 'Ausstehend', 'Keine Nummer']);
    expect(cells('w2')[3]).toBe('Gesperrt');
    expect(pencil('w0').attributes('aria-label')).toBe('Ana Seller bearbeiten');
    expect(pencil('w0').attributes('title')).toBe('Ana Seller bearbeiten');
  });

  it('a row’s words and the headers are kept across searches, and follow a changed employee, a new language and privacy mode', async () => {
    const store = useEmployeesStore();
    const wrapper = mountWithApp(EmployeeGrid, harness, { props: { canEdit: true } });
    await flushPromises();
    const cells = (id: string) => wrapper.get(`#employee-row-${id}`).findAll('[role="gridcell"]').map((cell) => cell.text());
    const verified = () => wrapper.get('#employee-row-w0 [data-testid="number-verified"]').attributes('title');
    expect(verified()).toMatch(/^Number verified .*2030/);
    expect(cells('w2')[0]).toContain('Needs attention: locked out');
    // A search and back: the same employees, the same words.
    store.setQuery({ text: 'tom' });
    await flushPromises();
    expect(wrapper.findAll('.grid__body [role="row"]')).toHaveLength(1);
    store.setQuery({ text: '' });
    await flushPromises();
    expect(cells('w0')[4]).toBe('+44 7400 123456');

    // The portal's new copy of the employee (a save, a conflict): its new number and name.
    const before = store.findById('w0')!;
    store.applyEmployee({ ...before, firstName: 'Anna', cellPhone: '+447400654321', version: before.version + 1 });
    await flushPromises();
    expect(cells('w0')[0]).toBe('Anna Seller');
    expect(cells('w0')[4]).toBe('+44 7400 654321');
    expect(wrapper.get('#employee-row-w0 .grid__pencil').attributes('aria-label')).toBe('Edit Anna Seller');

    const headers = () => wrapper.findAll('[role="columnheader"] .grid__sort').map((button) => [button.text(), button.attributes('title')]);
    expect(headers().slice(0, 2)).toEqual([
      ['Name', 'Sorts by last name, then first name (the portal’s order)'],
      ['Email', 'Email'],
    ]);
    await setLocale('de');
    await flushPromises();
    expect(headers().slice(0, 3)).toEqual([
      ['Name', 'Sortiert nach Nachname, dann Vorname (wie im Portal)'],
      ['E-Mail', 'E-Mail'],
      ['Rolle', 'Rolle'],
    ]);
    expect(verified()).toMatch(/^Nummer bestätigt am .*2030/);
    expect(wrapper.get('#employee-row-w0 .grid__pencil').attributes('aria-label')).toBe('Anna Seller bearbeiten');
    expect(cells('w2')[0]).toContain('Handlungsbedarf: nach zu vielen falschen Codes gesperrt');

    await usePrivacyStore().setOn(true);
    await flushPromises();
    expect(cells('w0')[4]).toBe('+44 •••• ••4321');
    await usePrivacyStore().setOn(false);
    await flushPromises();
    expect(cells('w0')[4]).toBe('+44 7400 654321');
    wrapper.unmount();
  });

  it('Export CSV is offered while the search finds anyone, and not when it finds no one', async () => {
    const store = useEmployeesStore();
    const wrapper = mountWithApp(ExportEmployeesButton, harness);
    const button = () => wrapper.get('[data-testid="export-csv"]');
    expect(button().attributes('disabled')).toBeUndefined();
    store.setQuery({ text: 't' });
    await flushPromises();
    expect(button().attributes('disabled')).toBeUndefined();
    expect(button().attributes('title')).toBe('Save the employees that match the search and filters as a CSV file');
    store.setQuery({ text: 'nobody here' });
    await flushPromises();
    expect(button().attributes('disabled')).toBeDefined();
    store.setQuery({ text: '' });
    await flushPromises();
    expect(button().attributes('disabled')).toBeUndefined();
    wrapper.unmount();
  });

  it('the clear button appears with the first key and goes with the text, without an animation', async () => {
    // Real transitions (the test utils stub them by default).
    const wrapper = mountWithApp(EmployeeFilters, harness, { global: { stubs: { transition: false } } });
    await flushPromises();
    const clearable = () => wrapper.get('.filters__search .v-field__clearable');
    expect((clearable().element as HTMLElement).style.display).toBe('none');
    await wrapper.get('input[type="search"]').setValue('a');
    expect(useEmployeesStore().query.text).toBe('a');
    // Shown in the keystroke's own update: no enter transition measuring and growing it.
    expect((clearable().element as HTMLElement).style.display).toBe('');
    expect(clearable().classes().filter((name) => name.startsWith('expand-x-transition'))).toEqual([]);
    await wrapper.get('input[type="search"]').setValue('');
    expect((clearable().element as HTMLElement).style.display).toBe('none');
    expect(clearable().classes().filter((name) => name.startsWith('expand-x-transition'))).toEqual([]);
  });
});
