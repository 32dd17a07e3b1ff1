import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fail, ok } from '../../../../common/ipc';
import App from '../../../../renderer/App.vue';
import { lockedMessage } from '../../../../renderer/stores/offline';
import { ADMIN, NO_DRAFTS, NO_OFFLINE, createFakePortal, makeDraft, makeEmployee, signedIn } from '../support/fake-portal';
import { mountWithApp, setUpPortal, settle, type Harness } from '../support/mount';

let harness: Harness;
const ACCOUNT = { email: ADMIN.email, asOf: '2030-01-01T08:00:00.000Z', isLocked: false };

let unmount: (() => void) | null = null;

beforeEach(() => {
  document.body.innerHTML = '';
  harness = setUpPortal(createFakePortal());
});
// The app listens on the window (online/offline): each test's app stops before the next starts.
afterEach(() => {
  unmount?.();
  unmount = null;
});

async function mountApp() {
  const wrapper = mountWithApp(App, harness);
  unmount = () => wrapper.unmount();
  await settle();
  await flushPromises();
  return { wrapper, root: new DOMWrapper(document.body) };
}

const buttons = (root: Pick<DOMWrapper<Element>, 'findAll'>, name: string) =>
  root.findAll('button').filter((candidate) => candidate.text() === name || candidate.attributes('aria-label') === name);
const button = (root: Pick<DOMWrapper<Element>, 'findAll'>, name: string) => {
  const found = buttons(root, name)[0];
  if (!found) throw new Error(`no button ${name}`);
  return found;
};
const byLabel = (root: DOMWrapper<Element>, label: string) => {
  const labelElement = root.findAll('label').find((candidate) => candidate.text() === label && candidate.attributes('for'));
  if (!labelElement) throw new Error(`no field labelled ${label}`);
  return root.get<HTMLInputElement>(`#${labelElement.attributes('for')}`);
};

describe('Work offline', () => {
  it('is offered only while the portal is unreachable and an offline copy exists', async () => {
    harness.portal.api.offline.getState.mockResolvedValue(ok({ ...NO_OFFLINE, accounts: [ACCOUNT] }));
    const { root } = await mountApp();
    expect(buttons(root, 'Work offline')).toHaveLength(0);
    harness.portal.emitConnection({ state: 'offline', checkedAt: '2030-01-01T00:00:00.000Z' });
    await flushPromises();
    expect(buttons(root, 'Work offline')).toHaveLength(1);
  });

  it('with the portal down at start, the form says so and Work offline is the main button', async () => {
    harness.portal.api.offline.getState.mockResolvedValue(ok({ ...NO_OFFLINE, accounts: [ACCOUNT] }));
    harness.portal.api.connection.getState.mockResolvedValue(ok({ state: 'offline', checkedAt: '2030-01-01T00:00:00.000Z' }));
    const { root } = await mountApp();
    expect(root.get('[data-testid="portal-unreachable"]').text()).toContain('The portal cannot be reached right now.');
    const workOffline = button(root, 'Work offline');
    const signIn = button(root, 'Sign in');
    expect(workOffline.classes()).toContain('bg-primary');
    expect(workOffline.classes()).toContain('v-btn--variant-flat');
    expect(signIn.classes()).not.toContain('bg-primary');
    expect(signIn.classes()).toContain('v-btn--variant-outlined');
    // The portal answers again: Sign in is the main button, and nothing says it is away.
    harness.portal.emitConnection({ state: 'online', checkedAt: '2030-01-01T00:01:00.000Z' });
    await flushPromises();
    expect(root.find('[data-testid="portal-unreachable"]').exists()).toBe(false);
    expect(buttons(root, 'Work offline')).toHaveLength(0);
    expect(button(root, 'Sign in').classes()).toContain('bg-primary');
  });

  it('with the portal down and no offline copy, the form still says the portal cannot be reached', async () => {
    harness.portal.api.connection.getState.mockResolvedValue(ok({ state: 'offline', checkedAt: '2030-01-01T00:00:00.000Z' }));
    const { root } = await mountApp();
    expect(root.get('[data-testid="portal-unreachable"]').text()).toContain('The portal cannot be reached right now.');
    expect(buttons(root, 'Work offline')).toHaveLength(0);
    expect(button(root, 'Sign in').classes()).toContain('bg-primary');
  });

  it('is offered after a sign-in that found the portal unreachable', async () => {
    harness.portal.api.offline.getState.mockResolvedValue(ok({ ...NO_OFFLINE, accounts: [ACCOUNT] }));
    harness.portal.api.auth.startLogin.mockResolvedValueOnce(fail('offline', 'ECONNREFUSED'));
    const { root } = await mountApp();
    await byLabel(root, 'Email').setValue('admin@acme.test');
    await byLabel(root, 'Password').setValue('pw');
    await root.get('form').trigger('submit');
    await flushPromises();
    expect(root.text()).toContain('The portal cannot be reached.');
    expect(buttons(root, 'Work offline')).toHaveLength(1);
  });

  it('unlocks with the password: attempts left, then locked, then the shell with the offline banner', async () => {
    harness.portal.api.offline.getState.mockResolvedValue(ok({ ...NO_OFFLINE, accounts: [ACCOUNT] }));
    harness.portal.api.connection.getState.mockResolvedValue(ok({ state: 'offline', checkedAt: '2030-01-01T00:00:00.000Z' }));
    const { root } = await mountApp();
    await button(root, 'Work offline').trigger('click');
    await settle();
    await flushPromises();
    expect(root.get('h1').text()).toBe('Work offline');
    expect(root.get('[data-testid="work-offline-form"] .v-select__selection-text').text()).toBe('admin@acme.test');

    const submit = async (password: string) => {
      await byLabel(root, 'Password').setValue(password);
      await root.get('[data-testid="work-offline-form"]').trigger('submit');
      await flushPromises();
    };
    harness.portal.api.offline.unlock.mockResolvedValueOnce(ok({ step: 'invalid_password', attemptsLeft: 2 }));
    await submit('wrong');
    expect(harness.portal.api.offline.unlock).toHaveBeenCalledWith({ email: 'admin@acme.test', password: 'wrong' });
    expect(root.get('[data-testid="work-offline-error"]').text()).toBe('The password is not right. 2 attempts left.');
    expect(byLabel(root, 'Password').element.value).toBe('');

    harness.portal.api.offline.unlock.mockResolvedValueOnce(ok({ step: 'locked' }));
    await submit('wrong again');
    expect(root.get('[data-testid="work-offline-error"]').text()).toBe(lockedMessage());

    harness.portal.api.offline.unlock.mockResolvedValueOnce(ok({ step: 'unlocked', user: ADMIN }));
    harness.portal.api.drafts.getState.mockResolvedValue(ok({ ...NO_DRAFTS, drafts: [makeDraft(makeEmployee())] }));
    await submit('right');
    await settle();
    expect(buttons(root, 'Sign out')).toHaveLength(1);
    expect(root.get('[data-testid="offline-banner"]').text()).toContain('Offline — showing employees as of');
    expect(root.get('[data-testid="signed-in-user"]').text()).toContain('working offline');
    expect(buttons(root, 'Outbox, 1 unsynced draft')).toHaveLength(1);
  });

  it('when the portal is reachable again: a banner with the drafts count; "Sign in" leaves offline work for the sign-in page', async () => {
    harness.portal.api.offline.getState.mockResolvedValue(ok({ accounts: [ACCOUNT], user: ADMIN, asOf: ACCOUNT.asOf }));
    harness.portal.api.drafts.getState.mockResolvedValue(ok({ ...NO_DRAFTS, drafts: [makeDraft(makeEmployee()), makeDraft(makeEmployee())] }));
    const { root } = await mountApp();
    expect(root.find('[data-testid="reachable-again-banner"]').exists()).toBe(false);
    harness.portal.emitConnection({ state: 'online', checkedAt: '2030-01-01T00:00:00.000Z' });
    await flushPromises();
    const banner = root.get('[data-testid="reachable-again-banner"]');
    expect(banner.text()).toContain('The portal is reachable again. Sign in to sync your 2 drafts.');
    harness.portal.api.offline.leave.mockResolvedValueOnce(ok({ accounts: [ACCOUNT], user: null, asOf: null }));
    await button(banner, 'Sign in').trigger('click');
    await settle();
    expect(harness.portal.api.offline.leave).toHaveBeenCalledTimes(1);
    expect(root.get('h1').text()).toBe('Sign in');
    expect(byLabel(root, 'Email').element.value).toBe('admin@acme.test');
  });
});

describe('One connection state, one message', () => {
  const indicator = (root: DOMWrapper<Element>) => root.get('[data-testid="connection-indicator"]');
  const banners = (root: DOMWrapper<Element>) => root.findAll('.status-banner');

  it('working offline: offline, then reachable again, then offline again — the indicator and the one banner agree each time', async () => {
    harness.portal.api.offline.getState.mockResolvedValue(ok({ accounts: [ACCOUNT], user: ADMIN, asOf: ACCOUNT.asOf }));
    harness.portal.api.connection.getState.mockResolvedValue(ok({ state: 'offline', checkedAt: '2030-01-01T00:00:00.000Z' }));
    const { root } = await mountApp();
    expect(banners(root)).toHaveLength(1);
    expect(root.get('[data-testid="offline-banner"]').text()).toContain('Offline — showing employees as of');
    expect(indicator(root).text()).toBe('Offline');

    harness.portal.emitConnection({ state: 'online', checkedAt: '2030-01-01T00:01:00.000Z' });
    await flushPromises();
    expect(banners(root)).toHaveLength(1);
    expect(root.find('[data-testid="offline-banner"]').exists()).toBe(false);
    expect(root.get('[data-testid="reachable-again-banner"]').text()).toContain('The portal is reachable again.');
    // Not "Online": the work is still on the offline copy until a sign-in.
    expect(indicator(root).text()).toBe('Reachable');
    expect(indicator(root).attributes('aria-label')).toContain('reachable again');

    harness.portal.emitConnection({ state: 'offline', checkedAt: '2030-01-01T00:02:00.000Z' });
    await flushPromises();
    expect(banners(root)).toHaveLength(1);
    expect(root.find('[data-testid="reachable-again-banner"]').exists()).toBe(false);
    expect(indicator(root).text()).toBe('Offline');
  });

  it('signed in with the portal: a banner only while it cannot be reached', async () => {
    harness.portal.api.auth.getState.mockResolvedValue(ok(signedIn()));
    harness.portal.api.connection.getState.mockResolvedValue(ok({ state: 'online', checkedAt: '2030-01-01T00:00:00.000Z' }));
    const { root } = await mountApp();
    expect(banners(root)).toHaveLength(0);
    expect(indicator(root).text()).toBe('Online');
    harness.portal.emitConnection({ state: 'offline', checkedAt: '2030-01-01T00:01:00.000Z' });
    await flushPromises();
    expect(banners(root)).toHaveLength(1);
    expect(root.get('[data-testid="offline-banner"]').text()).toContain('Offline');
    expect(indicator(root).text()).toBe('Offline');
    harness.portal.emitConnection({ state: 'online', checkedAt: '2030-01-01T00:02:00.000Z' });
    await flushPromises();
    expect(banners(root)).toHaveLength(0);
    expect(indicator(root).text()).toBe('Online');
  });
});

describe('Signing out with unsynced drafts', () => {
  async function signedInWith(draftCount: number) {
    harness.portal.api.auth.getState.mockResolvedValue(ok(signedIn()));
    const employee = makeEmployee();
    harness.portal.api.drafts.getState.mockResolvedValue(ok({ ...NO_DRAFTS, drafts: Array.from({ length: draftCount }, () => makeDraft(employee)) }));
    const mounted = await mountApp();
    await button(mounted.root, 'Sign out').trigger('click');
    await flushPromises();
    return mounted;
  }
  const dialog = (root: DOMWrapper<Element>) => root.find('[data-testid="sign-out-drafts-dialog"]');

  it('without drafts signs out as before', async () => {
    const { root } = await signedInWith(0);
    expect(dialog(root).exists()).toBe(false);
    expect(harness.portal.api.auth.signOut).toHaveBeenCalledWith({});
  });

  it('asks first; Cancel stays signed in', async () => {
    const { root } = await signedInWith(2);
    expect(dialog(root).get('h2').text()).toBe('You have 2 unsynced drafts');
    expect(harness.portal.api.auth.signOut).not.toHaveBeenCalled();
    await button(dialog(root), 'Cancel').trigger('click');
    await flushPromises();
    expect(harness.portal.api.auth.signOut).not.toHaveBeenCalled();
    expect(buttons(root, 'Sign out')).toHaveLength(1);
  });

  it('one draft: the title, the text and the buttons all speak of one', async () => {
    const { root } = await signedInWith(1);
    expect(dialog(root).get('h2').text()).toBe('You have 1 unsynced draft');
    const text = dialog(root).text();
    expect(text).toContain('This change has not been sent to the portal yet. Keep it for your next sign-in');
    expect(text).toContain('or discard it.');
    expect(text).not.toMatch(/\bthem\b/);
    await button(dialog(root), 'Discard it').trigger('click');
    await flushPromises();
    expect(harness.portal.api.auth.signOut).toHaveBeenCalledWith({ drafts: 'discard' });
  });

  it('"Keep them for next sign-in" signs out keeping them', async () => {
    const { root } = await signedInWith(2);
    await button(dialog(root), 'Keep them for next sign-in').trigger('click');
    await settle();
    expect(harness.portal.api.auth.signOut).toHaveBeenCalledWith({ drafts: 'keep' });
    expect(root.get('h1').text()).toBe('Sign in');
  });

  it('"Discard them" signs out discarding them', async () => {
    const { root } = await signedInWith(3);
    expect(dialog(root).get('h2').text()).toBe('You have 3 unsynced drafts');
    await button(dialog(root), 'Discard them').trigger('click');
    await settle();
    expect(harness.portal.api.auth.signOut).toHaveBeenCalledWith({ drafts: 'discard' });
  });

  it('asks when main knows of drafts this page had not heard of yet', async () => {
    harness.portal.api.auth.signOut.mockResolvedValueOnce(fail('unsynced_drafts', 'drafts'));
    const { root } = await signedInWith(0);
    expect(harness.portal.api.auth.signOut).toHaveBeenCalledWith({});
    expect(dialog(root).exists()).toBe(true);
  });
});

describe('Outbox in the top bar', () => {
  it('names the unsynced count and opens the Outbox', async () => {
    harness.portal.api.auth.getState.mockResolvedValue(ok(signedIn()));
    const employee = makeEmployee();
    harness.portal.api.drafts.getState.mockResolvedValue(ok({ ...NO_DRAFTS, drafts: [makeDraft(employee), makeDraft(makeEmployee()), makeDraft(makeEmployee())] }));
    const { root } = await mountApp();
    const outbox = button(root, 'Outbox, 3 unsynced drafts');
    expect(outbox.get('[data-testid="outbox-count"]').text()).toBe('3');
    await outbox.trigger('click');
    await flushPromises();
    expect(root.get('h1').text()).toBe('Outbox');
    expect(root.findAll('[data-testid="outbox-draft"]')).toHaveLength(3);
    harness.portal.emitNavigation({ screen: 'manage-employees' });
    await flushPromises();
    harness.portal.emitNavigation({ screen: 'outbox' });
    await flushPromises();
    expect(root.get('h1').text()).toBe('Outbox');
  });
});
