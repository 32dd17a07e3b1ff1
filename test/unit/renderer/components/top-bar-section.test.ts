import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ok } from '../../../../common/ipc';
import App from '../../../../renderer/App.vue';
import { ADMIN, TECH, createFakePortal, signedIn } from '../support/fake-portal';
import { mountWithApp, setUpPortal, settle, type Harness } from '../support/mount';

let harness: Harness;
let unmount: (() => void) | null = null;
beforeEach(() => {
  document.body.innerHTML = '';
  harness = setUpPortal(createFakePortal());
});
afterEach(() => {
  unmount?.();
  unmount = null;
});

async function tabsFor(user: typeof ADMIN): Promise<string[]> {
  harness.portal.api.auth.getState.mockResolvedValue(ok(signedIn(user)));
  const wrapper = mountWithApp(App, harness);
  unmount = () => wrapper.unmount();
  await settle();
  await flushPromises();
  return new DOMWrapper(document.body).findAll('[role="tab"]').map((tab) => tab.text());
}

describe('The top bar’s sections', () => {
  it('an admin sees the portal’s "Admin" tab', async () => {
    expect(await tabsFor(ADMIN)).toEqual(['Home', 'Admin']);
  });

  it('a technician (not an admin) sees "Employees", not "Admin"', async () => {
    expect(await tabsFor(TECH)).toEqual(['Home', 'Employees']);
  });
});

describe('Opening the section menu', () => {
  const openMenu = async (): Promise<void> => {
    await new DOMWrapper(document.body).findAll('[role="tab"]').find((tab) => tab.text() === 'Admin')!.trigger('click');
    await settle();
    await flushPromises();
  };

  it('asks for the first page of employees before an item is chosen, once per first opening', async () => {
    await tabsFor(ADMIN);
    const list = harness.portal.api.employees.list;
    expect(list).not.toHaveBeenCalled();
    await openMenu();
    expect(new DOMWrapper(document.body).findAll('[role="menuitem"]').map((item) => item.text())).toContain('Manage Employees');
    expect(list).toHaveBeenCalledTimes(1);
    expect(list.mock.calls[0]![0]).toMatchObject({ limit: 100, sort: 'name', order: 'asc' });
    expect(list.mock.calls[0]![0]).not.toHaveProperty('cursor');

    // The list is loaded: opening the menu again asks neither for a new list nor for its changes (Manage Employees does, when opened).
    await new DOMWrapper(document.body).findAll('[role="menuitem"]').find((item) => item.text() === 'Outbox')!.trigger('click');
    await settle();
    await openMenu();
    expect(list).toHaveBeenCalledTimes(1);
    expect(harness.portal.api.employees.changes).not.toHaveBeenCalled();
  });
});
