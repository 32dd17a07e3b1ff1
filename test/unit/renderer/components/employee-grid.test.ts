import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Employee } from '../../../../common/api';
import { ok } from '../../../../common/ipc';
import EmployeeFilters from '../../../../renderer/components/employees/EmployeeFilters.vue';
import EmployeeGrid from '../../../../renderer/components/employees/EmployeeGrid.vue';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { createFakePortal, makeEmployee } from '../support/fake-portal';
import { mountWithApp, setUpPortal, type Harness } from '../support/mount';

let harness: Harness;

async function loadEmployees(count: number): Promise<Employee[]> {
  const all = Array.from({ length: count }, (_, i) =>
    makeEmployee({ id: `p${i}`, firstName: `First${i}`, lastName: `Last${String(i).padStart(5, '0')}`, cellPhone: i === 1 ? null : '+442079460000' }),
  );
  harness.portal.api.employees.list.mockImplementation(async (input) => {
    const start = input.cursor ? Number(input.cursor) : 0;
    const end = Math.min(all.length, start + (input.limit ?? 100));
    return ok({ items: all.slice(start, end), nextCursor: end < all.length ? String(end) : null, total: all.length });
  });
  await useEmployeesStore().load();
  return all;
}

beforeEach(() => {
  document.body.innerHTML = '';
  harness = setUpPortal(createFakePortal());
});

describe('EmployeeGrid', () => {
  it('renders only the rows in view of 10,000, as an ARIA grid with a row count', async () => {
    await loadEmployees(10_000);
    const wrapper = mountWithApp(EmployeeGrid, harness, { props: { canEdit: true } });
    await flushPromises();
    const grid = wrapper.get('[role="grid"]');
    expect(grid.attributes('aria-rowcount')).toBe('10001');
    const rows = wrapper.findAll('[role="rowgroup"] + [role="rowgroup"] [role="row"]');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(60);
    expect(rows[0]!.attributes('aria-rowindex')).toBe('2');
    const headers = wrapper.findAll('[role="columnheader"]').map((header) => header.text());
    expect(headers).toEqual(['Name', 'Email', 'Role', '2FA status', 'Cell Phone Number', 'Last login', 'Edit']);
    expect(wrapper.get('[role="columnheader"][aria-sort="ascending"]').text()).toBe('Name');
    // International format, left to right; "No number" where there is none.
    const phone = rows[0]!.get('.phone-number');
    expect(phone.text()).toBe('+44 20 7946 0000');
    expect(phone.attributes('dir')).toBe('ltr');
    expect(rows[1]!.text()).toContain('No number');
    expect(rows[0]!.get('button').attributes('aria-label')).toBe('Edit First0 Last00000');
  });

  it('scrolling shows the next rows in the same row elements, in order, with their own offsets', async () => {
    await loadEmployees(1000);
    const wrapper = mountWithApp(EmployeeGrid, harness, { props: { canEdit: true } });
    await flushPromises();
    const rows = () => wrapper.findAll('.grid__body [role="row"]').map((row) => row.element as HTMLElement);
    const before = rows();
    const grid = wrapper.get('[role="grid"]');
    (grid.element as HTMLElement).scrollTop = 20 * 44;
    await grid.trigger('scroll');
    await flushPromises();
    const after = rows();
    // Rows 16 (20 less the overscan of 5, aria-rowindex counts the header) onwards, top to bottom.
    expect(after.map((row) => row.getAttribute('aria-rowindex'))).toEqual(after.map((_, slot) => String(15 + slot + 2)));
    expect(after[0]!.style.transform).toBe(`translateY(${15 * 44}px)`);
    expect(after[0]!.textContent).toContain('Last00015');
    // No row element was replaced: the scroll patched them in place (and added the overscan above).
    expect(after.length).toBeGreaterThanOrEqual(before.length);
    expect(before.every((row, slot) => row === after[slot])).toBe(true);
  });

  it('a click on another row’s pencil moves the highlight to that row', async () => {
    await loadEmployees(20);
    const wrapper = mountWithApp(EmployeeGrid, harness, { props: { canEdit: true } });
    await flushPromises();
    const rows = () => wrapper.findAll('[role="rowgroup"] + [role="rowgroup"] [role="row"]');
    expect(rows()[0]!.classes()).toContain('grid__row--active');
    await rows()[3]!.get('button').trigger('click');
    await flushPromises();
    expect(wrapper.emitted('edit')?.[0]?.[0]).toMatchObject({ id: 'p3' });
    expect(rows()[3]!.classes()).toContain('grid__row--active');
    expect(rows()[0]!.classes()).not.toContain('grid__row--active');
    expect(wrapper.get('[role="grid"]').attributes('aria-activedescendant')).toBe(rows()[3]!.attributes('id'));
  });

  it('labels the 2FA status chips in plain words', async () => {
    const employees = [
      makeEmployee({ id: 's0', lastName: 'Active', twoFactor: { status: 'active', method: 'sms' } }),
      makeEmployee({ id: 's1', lastName: 'Enrolling', twoFactor: { status: 'not_enrolled', method: null } }),
      makeEmployee({ id: 's2', lastName: 'Waiting', twoFactor: { status: 'pending', method: null } }),
    ];
    harness.portal.api.employees.list.mockResolvedValue(ok({ items: employees, nextCursor: null, total: employees.length }));
    await useEmployeesStore().load();
    const wrapper = mountWithApp(EmployeeGrid, harness, { props: { canEdit: true } });
    await flushPromises();
    const chips = wrapper.findAll('.grid__body [role="row"] .chip');
    expect(chips.map((chip) => chip.text())).toEqual(['Active', 'Not enrolled', 'Pending']);
    expect(chips.map((chip) => chip.classes())).toEqual([
      expect.arrayContaining(['chip--active']),
      expect.arrayContaining(['chip--not-enrolled']),
      expect.arrayContaining(['chip--pending']),
    ]);
  });

  it('marks a verified number beside its 2FA status, and "Never verified" lists numbers nobody checked', async () => {
    const employees = [
      makeEmployee({ id: 'v0', lastName: 'Checked', cellPhone: '+442079460000', phoneVerifiedAt: '2030-01-01T09:00:00.000Z' }),
      makeEmployee({ id: 'v1', lastName: 'Unchecked', cellPhone: '+442079460001', phoneVerifiedAt: null }),
      makeEmployee({ id: 'v2', lastName: 'Nonumber', cellPhone: null, phoneVerifiedAt: null }),
    ];
    harness.portal.api.employees.list.mockResolvedValue(ok({ items: employees, nextCursor: null, total: employees.length }));
    const store = useEmployeesStore();
    await store.load();
    const wrapper = mountWithApp(EmployeeGrid, harness, { props: { canEdit: true } });
    await flushPromises();
    const rows = () => wrapper.findAll('.grid__body [role="row"]');
    expect(rows().map((row) => row.find('[data-testid="number-verified"]').exists())).toEqual([true, false, false]);
    expect(rows()[0]!.get('[data-testid="number-verified"]').text()).toBe('✓ Verified');

    store.setQuery({ neverVerified: true });
    await flushPromises();
    expect(rows().map((row) => row.text())).toEqual([expect.stringContaining('Unchecked')]);
  });

  it('shows no pencil to a non-admin', async () => {
    await loadEmployees(20);
    const wrapper = mountWithApp(EmployeeGrid, harness, { props: { canEdit: false } });
    await flushPromises();
    expect(wrapper.findAll('button[aria-label^="Edit "]')).toHaveLength(0);
    expect(wrapper.findAll('[role="columnheader"]').map((header) => header.text())).not.toContain('Edit');
    await wrapper.get('[role="grid"]').trigger('keydown', { key: 'Enter' });
    expect(wrapper.emitted('edit')).toBeUndefined();
  });

  it('moves between rows with the arrow keys and opens the current row with Enter', async () => {
    const all = await loadEmployees(200);
    const wrapper = mountWithApp(EmployeeGrid, harness, { props: { canEdit: true } });
    await flushPromises();
    const grid = wrapper.get('[role="grid"]');
    expect(grid.attributes('tabindex')).toBe('0');
    expect(grid.attributes('aria-activedescendant')).toBe('employee-row-p0');
    await grid.trigger('keydown', { key: 'ArrowDown' });
    await grid.trigger('keydown', { key: 'ArrowDown' });
    await grid.trigger('keydown', { key: 'ArrowUp' });
    expect(grid.attributes('aria-activedescendant')).toBe('employee-row-p1');
    // Only the current row's pencil is in the Tab order.
    expect(wrapper.findAll('button[aria-label^="Edit "][tabindex="0"]').map((b) => b.attributes('aria-label'))).toEqual(['Edit First1 Last00001']);
    await grid.trigger('keydown', { key: 'Enter' });
    expect(wrapper.emitted('edit')).toEqual([[all[1]]]);
    await grid.trigger('keydown', { key: 'End' });
    await flushPromises();
    expect(grid.attributes('aria-activedescendant')).toBe('employee-row-p199');
  });

  it('sorts when a header is clicked and follows the store’s search', async () => {
    await loadEmployees(30);
    const wrapper = mountWithApp(EmployeeGrid, harness, { props: { canEdit: true } });
    await flushPromises();
    await wrapper.findAll('[role="columnheader"] button')[0]!.trigger('click');
    await flushPromises();
    expect(wrapper.get('[role="columnheader"][aria-sort="descending"]').text()).toBe('Name');
    expect(wrapper.findAll('.grid__body [role="row"]')[0]!.text()).toContain('Last00029');
    useEmployeesStore().setQuery({ text: 'last00007' });
    await flushPromises();
    const rows = wrapper.findAll('.grid__body [role="row"]');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.text()).toContain('First7 Last00007');
    useEmployeesStore().setQuery({ text: 'nobody at all' });
    await flushPromises();
    expect(wrapper.text()).toContain('No employees match the search and filters.');
  });

  it('"No results" offers Clear filters: search and every filter go, the sort stays, the keyboard stays in the grid', async () => {
    await loadEmployees(30);
    const wrapper = mountWithApp(EmployeeGrid, harness, { props: { canEdit: true } });
    await flushPromises();
    const store = useEmployeesStore();
    store.toggleSort('email');
    store.setQuery({ text: 'nobody at all', role: 'tech', needsAttention: true, neverVerified: true, status: 'pending' });
    await flushPromises();
    const empty = wrapper.get('[data-testid="no-results"]');
    expect(empty.text()).toContain('No employees match the search and filters.');
    const clear = empty.findAll('button').find((candidate) => candidate.text() === 'Clear filters');
    expect(clear).toBeDefined();
    await clear!.trigger('click');
    await flushPromises();
    expect(store.query).toMatchObject({ text: '', role: null, status: null, needsAttention: false, neverVerified: false, sort: 'email', order: 'asc' });
    expect(wrapper.findAll('.grid__body [role="row"]').length).toBeGreaterThan(5);
    expect(document.activeElement).toBe(wrapper.get('[role="grid"]').element);
    wrapper.unmount();
  });

  it('with no employees at all there is nothing to clear', async () => {
    await loadEmployees(0);
    const wrapper = mountWithApp(EmployeeGrid, harness, { props: { canEdit: true } });
    await flushPromises();
    expect(wrapper.get('[data-testid="no-results"]').text()).toBe('There are no employees to show.');
  });
});

describe('Needs attention says why', () => {
  async function loadRows(rows: Employee[]): Promise<void> {
    harness.portal.api.employees.list.mockResolvedValue(ok({ items: rows, nextCursor: null, total: rows.length }));
    await useEmployeesStore().load();
  }
  const rows = [
    makeEmployee({ id: 'a1', firstName: 'Fay', lastName: 'Fine', cellPhone: '+447400123456' }),
    makeEmployee({ id: 'a2', firstName: 'Lia', lastName: 'Landline', cellPhone: '+442079460000', twoFactor: { status: 'pending', method: 'voice' } }),
    makeEmployee({ id: 'a3', firstName: 'Ned', lastName: 'Nothing', cellPhone: null, twoFactor: { status: 'not_enrolled', method: null } }),
    makeEmployee({ id: 'a4', firstName: 'Pat', lastName: 'Pending', cellPhone: '+447400123457', twoFactor: { status: 'pending', method: 'sms' } }),
  ];

  it('marks each row with its reasons (tooltip and screen-reader text), the number’s reason as a chip beside it', async () => {
    await loadRows(rows);
    const wrapper = mountWithApp(EmployeeGrid, harness, { props: { canEdit: true } });
    await flushPromises();
    const row = (id: string) => wrapper.get(`#employee-row-${id}`);
    expect(row('a1').find('[data-testid="attention-reasons"]').exists()).toBe(false);
    expect(row('a1').text()).not.toContain('Landline');
    const landline = row('a2').get('[data-testid="attention-reasons"]');
    expect(landline.attributes('title')).toBe('Needs attention: a landline: codes come by voice call only, not by text; two-factor enrolment not finished');
    expect(landline.get('.visually-hidden').text()).toBe(`${landline.attributes('title')}.`);
    expect(row('a2').findAll('[role="gridcell"]')[4]!.text()).toBe('+44 20 7946 0000Landline');
    expect(row('a3').get('[data-testid="attention-reasons"]').attributes('title')).toBe(
      'Needs attention: no number: sign-in codes cannot be sent; not enrolled in two-factor sign-in',
    );
    expect(row('a4').get('[data-testid="attention-reasons"]').attributes('title')).toBe('Needs attention: two-factor enrolment not finished');
  });

  it('the filter shows its count before it is ticked, and ticking it keeps Pending', async () => {
    await loadRows(rows);
    const wrapper = mountWithApp(EmployeeFilters, harness);
    await flushPromises();
    const checkbox = wrapper.findAll('.v-checkbox').find((candidate) => candidate.text().startsWith('Needs attention'))!;
    expect(checkbox.text()).toBe('Needs attention (3)');
    await checkbox.get('input').setValue(true);
    const store = useEmployeesStore();
    expect(store.query.needsAttention).toBe(true);
    expect(Array.from(store.results, (position) => store.rowAt(position).lastName)).toEqual(['Landline', 'Nothing', 'Pending']);
  });
});
