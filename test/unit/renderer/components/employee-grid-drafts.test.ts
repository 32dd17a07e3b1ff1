import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Employee } from '../../../../common/api';
import { ok } from '../../../../common/ipc';
import EmployeeGrid from '../../../../renderer/components/employees/EmployeeGrid.vue';
import { useDraftsStore } from '../../../../renderer/stores/drafts';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { NO_DRAFTS, createFakePortal, makeDraft, makeEmployee } from '../support/fake-portal';
import { mountWithApp, setUpPortal, type Harness } from '../support/mount';

let harness: Harness;
let ada: Employee;
let bob: Employee;
let cy: Employee;

beforeEach(async () => {
  document.body.innerHTML = '';
  harness = setUpPortal(createFakePortal());
  ada = makeEmployee({ id: 'ada', firstName: 'Ada', lastName: 'Aaron', cellPhone: '+12125550100' });
  bob = makeEmployee({ id: 'bob', firstName: 'Bob', lastName: 'Baker', cellPhone: '+12125550111' });
  cy = makeEmployee({ id: 'cy', firstName: 'Cy', lastName: 'Cole', cellPhone: null });
  harness.portal.api.employees.list.mockResolvedValue(ok({ items: [ada, bob, cy], nextCursor: null, total: 3 }));
  await useEmployeesStore().load();
  await useDraftsStore().start();
});

const rows = (wrapper: ReturnType<typeof mountWithApp>) => wrapper.findAll('.grid__body [role="row"]');

describe('EmployeeGrid with drafts', () => {
  it('shows a badge with the state and the drafted number beside the portal’s, named for screen readers', async () => {
    harness.portal.emitDrafts({
      ...NO_DRAFTS,
      drafts: [makeDraft(ada, { cellPhone: '+12125550177' }), makeDraft(cy, { cellPhone: '+442079460000', state: 'conflict' })],
    });
    const wrapper = mountWithApp(EmployeeGrid, harness, { props: { canEdit: true } });
    await flushPromises();
    const [first, second, third] = rows(wrapper);
    const badge = first!.get('[data-testid="draft-badge"]');
    expect(badge.text()).toBe('Draft');
    expect(badge.attributes('role')).toBe('img');
    expect(badge.attributes('aria-label')).toBe('Draft: +1 212 555 0177, not yet synced');
    expect(first!.get('[data-testid="draft-portal-value"]').text()).toBe('Portal: +1 212 555 0100');
    expect(first!.get('[data-testid="draft-mine-value"]').text()).toBe('+1 212 555 0177');
    // No draft: the number as before, no badge.
    expect(second!.find('[data-testid="draft-badge"]').exists()).toBe(false);
    expect(second!.get('.phone-number').text()).toBe('+1 212 555 0111');
    expect(third!.get('[data-testid="draft-badge"]').text()).toBe('Conflict');
    expect(third!.get('[data-testid="draft-portal-value"]').text()).toBe('Portal: No number');
  });

  it('follows drafts:changed: the state word changes, and the badge goes once the draft is synced', async () => {
    const draft = makeDraft(bob);
    harness.portal.emitDrafts({ ...NO_DRAFTS, drafts: [draft] });
    const wrapper = mountWithApp(EmployeeGrid, harness, { props: { canEdit: true } });
    await flushPromises();
    harness.portal.emitDrafts({ ...NO_DRAFTS, drafts: [{ ...draft, state: 'failed' }] });
    await flushPromises();
    expect(rows(wrapper)[1]!.get('[data-testid="draft-badge"]').text()).toBe('Retrying');
    harness.portal.emitDrafts({ ...NO_DRAFTS, drafts: [{ ...draft, state: 'rejected' }] });
    await flushPromises();
    expect(rows(wrapper)[1]!.get('[data-testid="draft-badge"]').attributes('aria-label')).toBe('Draft: +1 212 555 0177, rejected by the portal');
    harness.portal.emitDrafts(NO_DRAFTS);
    await flushPromises();
    expect(wrapper.find('[data-testid="draft-badge"]').exists()).toBe(false);
  });
});
