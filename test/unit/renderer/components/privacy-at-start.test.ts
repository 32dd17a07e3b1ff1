import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fail, ok, type IpcResult, type Settings } from '../../../../common/ipc';
import App from '../../../../renderer/App.vue';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { useNavigationStore } from '../../../../renderer/stores/navigation';
import { NO_DRAFTS, SETTINGS, createFakePortal, makeDraft, makeEmployee, signedIn } from '../support/fake-portal';
import { mountWithApp, setUpPortal, settle, type Harness } from '../support/mount';

/*
 * Privacy mode's setting is read from main when the signed-in screens start. Until it is known, no
 * phone number is on screen: the views wait, so a number never flashes in full before the setting
 * says to mask it.
 */
let harness: Harness;
let unmount: (() => void) | null = null;
/** Answers every read of the settings made so far. */
let answers: ((result: IpcResult<Settings>) => void)[] = [];
const answer = (result: IpcResult<Settings>) => answers.splice(0).forEach((resolve) => resolve(result));

beforeEach(() => {
  document.body.innerHTML = '';
  harness = setUpPortal(createFakePortal());
  harness.portal.api.auth.getState.mockResolvedValue(ok(signedIn()));
  const ada = makeEmployee({ id: 'ada', firstName: 'Ada', lastName: 'Lovelace', cellPhone: '+12125550100' });
  harness.portal.api.employees.list.mockResolvedValue(ok({ items: [ada], nextCursor: null, total: 1 }));
  harness.portal.api.drafts.getState.mockResolvedValue(ok({ ...NO_DRAFTS, drafts: [makeDraft(ada, { cellPhone: '+447400123456' })] }));
  // Reads of the settings once there is a session (the signed-in shell's) are held until the test answers them.
  answers = [];
  harness.portal.api.settings.get.mockImplementation(() =>
    useAuthStore().hasSession ? new Promise((resolve) => answers.push(resolve)) : Promise.resolve(ok(SETTINGS)),
  );
  useNavigationStore().view = 'outbox';
});
afterEach(() => {
  unmount?.();
  unmount = null;
});

const FULL = /\+44 7400 123456|7400123456|\+1 212 555 0100|2125550100/;
const MASKED = '+44 •••• ••3456';

async function start(): Promise<DOMWrapper<Element>> {
  const wrapper = mountWithApp(App, harness);
  unmount = () => wrapper.unmount();
  const page = new DOMWrapper(document.body);
  // The signed-in shell is its own chunk: wait until its top bar is there.
  await vi.waitFor(async () => {
    await settle();
    expect(page.find('[data-testid="privacy-toggle"]').exists()).toBe(true);
  }, { timeout: 20_000 });
  await flushPromises();
  return page;
}

/** Answers the setting's read, then waits for the Outbox to show. */
async function answerAndWait(page: DOMWrapper<Element>, result: IpcResult<Settings>): Promise<void> {
  answer(result);
  await vi.waitFor(async () => {
    await settle();
    expect(page.find('[data-testid="outbox-mine-value"]').exists()).toBe(true);
  }, { timeout: 20_000 });
}

describe('privacy mode at start', () => {
  it('shows no number while the setting is being read; with privacy mode on, the Outbox then shows it masked', async () => {
    const page = await start();
    expect(answers.length).toBeGreaterThan(0);
    // The top bar is there, the Outbox (and its numbers) not yet.
    expect(page.find('[data-testid="privacy-toggle"]').exists()).toBe(true);
    expect(page.find('[data-testid="outbox-draft"]').exists()).toBe(false);
    expect(page.text()).not.toMatch(FULL);

    await answerAndWait(page, ok({ ...SETTINGS, privacyMode: true }));
    expect(page.get('[data-testid="outbox-mine-value"]').text()).toContain(MASKED);
    expect(page.text()).not.toMatch(FULL);
    expect(page.get('[data-testid="privacy-toggle"]').attributes('aria-pressed')).toBe('true');
  });

  it('with privacy mode off, the numbers show in full once the setting is known', async () => {
    const page = await start();
    expect(page.text()).not.toMatch(FULL);
    await answerAndWait(page, ok({ ...SETTINGS, privacyMode: false }));
    expect(page.get('[data-testid="outbox-mine-value"]').text()).toContain('+44 7400 123456');
  });

  it('when the setting cannot be read, numbers stay masked (privacy mode on) and the admin can turn it off', async () => {
    const page = await start();
    await answerAndWait(page, fail('storage', 'The settings file could not be read.'));
    expect(page.get('[data-testid="outbox-mine-value"]').text()).toContain(MASKED);
    expect(page.text()).not.toMatch(FULL);
    expect(page.get('[data-testid="privacy-toggle"]').attributes('aria-pressed')).toBe('true');
  });
});
