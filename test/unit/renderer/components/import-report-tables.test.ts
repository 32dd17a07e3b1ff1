import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ImportChange, ImportError, ImportReport } from '../../../../common/ipc';
import ImportReportTables from '../../../../renderer/components/import/ImportReportTables.vue';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { createFakePortal, signedIn } from '../support/fake-portal';
import { mountWithApp, setUpPortal, type Harness } from '../support/mount';

/**
 * The report's tables render only the rows in view (a report carries up to 2,000 rows a table):
 * the table still says how many rows it has and where each rendered row is, and scrolling brings
 * the other rows in. happy-dom has no layout, so the rows keep their estimated heights and the
 * viewport is the fallback 600 px.
 */
let harness: Harness;
beforeEach(() => {
  document.body.innerHTML = '';
  harness = setUpPortal(createFakePortal());
  useAuthStore().applyState(signedIn());
});

function change(index: number): ImportChange {
  return { row: index + 2, employeeId: `e-${index}`, name: `Person ${index}`, email: `p${index}@acme.test`, oldPhone: null, newPhone: '+4930901820', version: 1, warning: null, status: 'pending', message: null };
}
function error(index: number): ImportError {
  return { row: 100_000 + index, message: `Unknown employee ${index}`, code: 'unknown_email', value: `nobody${index}@acme.test` };
}

function mountReport(changes: number, errors: number) {
  const report: ImportReport = { changes: Array.from({ length: changes }, (_, index) => change(index)), errors: Array.from({ length: errors }, (_, index) => error(index)), totalChanges: changes, totalErrors: errors };
  return mountWithApp(ImportReportTables, harness, { props: { report, isApplied: false } });
}

const bodyRows = (table: Element) => [...table.querySelectorAll('tbody tr:not([aria-hidden="true"])')];

describe('the import report tables', () => {
  it('2,000 changes: a few dozen rows rendered, the table counts all of them, and scrolling brings the others in', async () => {
    const wrapper = mountReport(2000, 5);
    await flushPromises();
    const table = wrapper.find('[data-testid="import-changes"]').element;
    expect(table.tagName).toBe('TABLE');
    expect(table.getAttribute('aria-rowcount')).toBe('2001');
    const first = bodyRows(table);
    expect(first.length).toBeGreaterThan(5);
    expect(first.length).toBeLessThan(60);
    expect(first[0]!.getAttribute('aria-rowindex')).toBe('2');
    expect(first[0]!.getAttribute('data-employee-id')).toBe('e-0');
    expect(first[0]!.textContent).toContain('Person 0');
    // The rows not rendered are stood for by space below (the scrollbar reflects the whole list).
    const below = table.querySelector<HTMLElement>('tbody tr[aria-hidden="true"]:last-child');
    expect(Number.parseFloat(below!.style.height)).toBeGreaterThan(1900 * 50);

    const scroller = table.closest<HTMLElement>('[role="region"]')!;
    scroller.scrollTop = 58 * 1500;
    scroller.dispatchEvent(new Event('scroll'));
    await flushPromises();
    const later = bodyRows(table);
    const indexes = later.map((row) => Number(row.getAttribute('aria-rowindex')));
    expect(indexes).toContain(1500 + 2);
    expect(indexes.every((index, at) => at === 0 || index === indexes[at - 1]! + 1)).toBe(true);
    expect(later.find((row) => row.getAttribute('aria-rowindex') === '1502')!.textContent).toContain('Person 1500');
    expect(later.length).toBeLessThan(60);
    // Space above stands for the rows before the first rendered one.
    const above = table.querySelector<HTMLElement>('tbody tr[aria-hidden="true"]:first-child');
    expect(Number.parseFloat(above!.style.height)).toBe(58 * (indexes[0]! - 2));
  });

  it('a short report renders every row, with no space rows, and the errors table counts its own rows', async () => {
    const wrapper = mountReport(3, 4);
    await flushPromises();
    const changes = wrapper.find('[data-testid="import-changes"]').element;
    expect(bodyRows(changes).map((row) => row.getAttribute('aria-rowindex'))).toEqual(['2', '3', '4']);
    expect(changes.querySelectorAll('tbody tr[aria-hidden="true"]')).toHaveLength(0);
    const errors = wrapper.find('[data-testid="import-errors"]').element;
    expect(errors.getAttribute('aria-rowcount')).toBe('5');
    expect(bodyRows(errors).map((row) => row.querySelector('td')!.textContent)).toEqual(['100000', '100001', '100002', '100003']);
    // Each table is one region, named by its heading (the section around it is not a second one of the same name).
    for (const table of [changes, errors]) {
      const region = table.closest('[role="region"]')!;
      const heading = document.getElementById(region.getAttribute('aria-labelledby')!)!;
      expect(heading.tagName).toBe('H3');
      expect(wrapper.element.querySelectorAll(`[aria-labelledby="${heading.id}"]`)).toHaveLength(1);
    }
  });
});
