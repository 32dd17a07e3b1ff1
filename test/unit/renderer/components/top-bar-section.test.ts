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
