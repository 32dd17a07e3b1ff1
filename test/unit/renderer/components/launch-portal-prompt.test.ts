import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { VDialog } from 'vuetify/components';
import { fail, ok } from '../../../../common/ipc';
import LaunchPortalPrompt from '../../../../renderer/components/shell/LaunchPortalPrompt.vue';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { useSettingsStore } from '../../../../renderer/stores/settings';
import { SETTINGS } from '../support/fake-portal';
import { mountWithApp, setUpPortal, settle, type Harness } from '../support/mount';

const OFFER = {
  portalUrl: 'https://portal.other.test',
  caFile: '/etc/other-ca.pem',
  caFingerprints: ['AB:CD:EF'],
  caProblem: null,
  currentPortalUrl: 'https://portal.acme.test',
};

let harness: Harness;
beforeEach(() => {
  document.body.innerHTML = '';
  harness = setUpPortal();
});

const dialog = () => document.querySelector('[data-testid="launch-portal-dialog"]');
const button = (name: string) =>
  new DOMWrapper([...document.querySelectorAll('button')].find((candidate) => candidate.textContent?.trim() === name) ?? null);

describe('LaunchPortalPrompt: a portal given at launch to a packaged app', () => {
  it('shows nothing when main proposes no portal', async () => {
    mountWithApp(LaunchPortalPrompt, harness);
    await settle();
    expect(harness.portal.api.settings.getLaunchPortal).toHaveBeenCalledOnce();
    expect(dialog()).toBeNull();
  });

  it('asks with the address, the certificate and its fingerprint, and the portal in use; the safe answer comes first', async () => {
    harness.portal.api.settings.getLaunchPortal.mockResolvedValue(ok(OFFER));
    const wrapper = mountWithApp(LaunchPortalPrompt, harness);
    await settle();
    const text = document.getElementById('launch-portal-text')!.textContent!;
    expect(document.getElementById('launch-portal-title')!.textContent).toContain('Use the portal Portal Admin was started with?');
    expect(text).toContain('https://portal.other.test');
    expect(text).toContain('password would be sent to this portal');
    expect(text).toContain('/etc/other-ca.pem (SHA-256 AB:CD:EF)');
    expect(text).toContain('In use now: https://portal.acme.test.');
    wrapper.findComponent(VDialog).vm.$emit('afterEnter');
    expect(document.activeElement?.textContent?.trim()).toBe('Keep my settings');
  });

  it('"Keep my settings" declines, and the dialog closes', async () => {
    harness.portal.api.settings.getLaunchPortal.mockResolvedValue(ok(OFFER));
    mountWithApp(LaunchPortalPrompt, harness);
    await settle();
    expect(document.querySelector('.v-overlay--active [data-testid="launch-portal-dialog"]')).not.toBeNull();
    await button('Keep my settings').trigger('click');
    await flushPromises();
    expect(harness.portal.api.settings.answerLaunchPortal).toHaveBeenCalledExactlyOnceWith({ accept: false });
    await settle();
    expect(document.querySelector('.v-overlay--active [data-testid="launch-portal-dialog"]')).toBeNull();
  });

  it('Esc declines too: the proposed portal is never used by accident', async () => {
    harness.portal.api.settings.getLaunchPortal.mockResolvedValue(ok(OFFER));
    mountWithApp(LaunchPortalPrompt, harness);
    await settle();
    document.querySelector('.v-overlay__content')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await flushPromises();
    expect(harness.portal.api.settings.answerLaunchPortal).toHaveBeenCalledExactlyOnceWith({ accept: false });
  });

  it('"Use this portal" accepts, and the settings the app shows are main’s answer', async () => {
    harness.portal.api.settings.getLaunchPortal.mockResolvedValue(ok(OFFER));
    harness.portal.api.settings.answerLaunchPortal.mockResolvedValue(ok({ ...SETTINGS, portalUrl: OFFER.portalUrl, caFile: OFFER.caFile }));
    mountWithApp(LaunchPortalPrompt, harness);
    const auth = useAuthStore();
    auth.openSettings(); // a first run: the sign-in page waits for a portal address
    await settle();
    await button('Use this portal').trigger('click');
    await flushPromises();
    expect(harness.portal.api.settings.answerLaunchPortal).toHaveBeenCalledExactlyOnceWith({ accept: true });
    expect(useSettingsStore().settings).toMatchObject({ portalUrl: OFFER.portalUrl, caFile: OFFER.caFile });
    expect(auth.step).toBe('credentials');
  });

  it('a certificate file main cannot use: the reason in plain words, nothing changed', async () => {
    harness.portal.api.settings.getLaunchPortal.mockResolvedValue(ok(OFFER));
    harness.portal.api.settings.answerLaunchPortal.mockResolvedValue(fail('validation', 'The certificate file could not be read.'));
    mountWithApp(LaunchPortalPrompt, harness);
    await settle();
    await button('Use this portal').trigger('click');
    await flushPromises();
    expect(document.getElementById('launch-portal-text')!.textContent).toMatch(/could not be read.*Your settings were not changed\./s);
    expect(button('Close').exists()).toBe(true);
    expect(useSettingsStore().settings).toBeNull();
  });
});
