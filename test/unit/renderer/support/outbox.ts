import { DOMWrapper, flushPromises } from '@vue/test-utils';
import type { Employee } from '../../../../common/api';
import { ok } from '../../../../common/ipc';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { useDraftsStore } from '../../../../renderer/stores/drafts';
import OutboxView from '../../../../renderer/views/OutboxView.vue';
import { NO_DRAFTS, createFakePortal, makeEmployee, signedIn } from './fake-portal';
import { mountWithApp, setUpPortal, type Harness } from './mount';

/** The Outbox's tests: three employees (Cy has no number), signed in as an admin. */
export function setUpOutbox(): { harness: Harness; ada: Employee; bob: Employee; cy: Employee } {
  document.body.innerHTML = '';
  const harness = setUpPortal(createFakePortal());
  const ada = makeEmployee({ id: 'ada', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.test', cellPhone: '+12125550100', version: 3 });
  const bob = makeEmployee({ id: 'bob', firstName: 'Bob', lastName: 'Stone', email: 'bob@acme.test', cellPhone: '+12125550111', version: 5 });
  const cy = makeEmployee({ id: 'cy', firstName: 'Cy', lastName: 'Young', email: 'cy@acme.test', cellPhone: null, version: 2 });
  harness.portal.api.employees.list.mockResolvedValue(ok({ items: [ada, bob, cy], nextCursor: null, total: 3 }));
  useAuthStore().applyState(signedIn());
  return { harness, ada, bob, cy };
}

/** The Outbox view over main's drafts state `state`. */
export async function mountOutbox(harness: Harness, state = NO_DRAFTS) {
  harness.portal.api.drafts.getState.mockResolvedValue(ok(state));
  await useDraftsStore().start();
  const wrapper = mountWithApp(OutboxView, harness);
  await flushPromises();
  return wrapper;
}

export const body = () => new DOMWrapper(document.body);

/** The button with this text or accessible name (throws when there is none). */
export function button(root: Pick<DOMWrapper<Element>, 'findAll'>, name: string) {
  const found = root.findAll('button').find((candidate) => candidate.text() === name || candidate.attributes('aria-label') === name);
  if (!found) throw new Error(`no button ${name}`);
  return found;
}
