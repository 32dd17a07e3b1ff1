import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fail, ok } from '../../../../common/ipc';
import SignInView from '../../../../renderer/views/SignInView.vue';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { SETTINGS, createFakePortal } from '../support/fake-portal';
import { mountWithApp, settle, setUpPortal, type Harness } from '../support/mount';

let harness: Harness;
beforeEach(() => {
  document.body.innerHTML = '';
  harness = setUpPortal(createFakePortal());
});
afterEach(() => {
  vi.useRealTimers();
});

const byLabel = (root: DOMWrapper<Element>, label: string) => {
  // Vuetify draws two labels per field (resting and floating); the one with `for` names the input.
  const labelElement = root.findAll('label').find((candidate) => candidate.text() === label && candidate.attributes('for'));
  if (!labelElement) throw new Error(`no field labelled ${label}`);
  const id = labelElement.attributes('for');
  return root.get<HTMLInputElement>(`#${id}`);
};
const button = (root: DOMWrapper<Element>, name: string) => {
  const found = root.findAll('button').find((candidate) => candidate.text() === name);
  if (!found) throw new Error(`no button ${name}`);
  return found;
};

async function mountSignIn() {
  const wrapper = mountWithApp(SignInView, harness);
  await useAuthStore().init();
  await flushPromises();
  // The portal settings and Work offline forms are loaded when first shown.
  await settle();
  return { wrapper, root: new DOMWrapper(wrapper.element) };
}

describe('Sign-in', () => {
  it('asks for the portal address on a first run', async () => {
    harness.portal.api.settings.get.mockResolvedValue(ok({ ...SETTINGS, portalUrl: null }));
    const { root } = await mountSignIn();
    expect(root.text()).toContain('Connect to your portal');
    await byLabel(root, 'Portal address').setValue('http://portal.example.com');
    await root.get('form').trigger('submit');
    await flushPromises();
    expect(root.text()).toContain('The address must start with https://');
    expect(harness.portal.api.settings.setPortal).not.toHaveBeenCalled();
    await byLabel(root, 'Portal address').setValue('https://portal.example.com');
    // The certificate is chosen in a file dialog (main reads it), never typed as a path.
    await root.get('[data-testid="choose-ca-file"]').trigger('click');
    await flushPromises();
    expect(root.get('[data-testid="ca-file-name"]').text()).toBe('portal.pem');
    await root.get('form').trigger('submit');
    await flushPromises();
    expect(harness.portal.api.settings.setPortal).toHaveBeenCalledWith({
      portalUrl: 'https://portal.example.com',
      caCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    });
    expect(root.text()).toContain('Remember me on this computer');
  });

  it('after a wrong password the caret is in the cleared password field', async () => {
    harness.portal.api.auth.startLogin.mockResolvedValueOnce(ok({ step: 'invalid_credentials' }));
    const { root } = await mountSignIn();
    await byLabel(root, 'Email').setValue('admin@acme.test');
    await byLabel(root, 'Password').setValue('wrong');
    await button(root, 'Sign in').element.focus();
    await root.get('form').trigger('submit');
    await flushPromises();
    expect(root.text()).toContain('The email or password is not right.');
    const password = byLabel(root, 'Password');
    expect(password.element.value).toBe('');
    expect(document.activeElement).toBe(password.element);
  });

  it('signs in: remember-me off by default, the password field emptied, then a code with a countdown to resend', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z'), shouldAdvanceTime: true });
    const { root } = await mountSignIn();
    const remember = byLabel(root, 'Remember me on this computer');
    expect(remember.element.checked).toBe(false);
    expect(byLabel(root, 'Keep an offline copy on this computer').element.checked).toBe(false);
    expect(root.text()).toContain('The copy is encrypted.');
    await byLabel(root, 'Email').setValue('admin@acme.test');
    await byLabel(root, 'Password').setValue('acme-admin-demo');
    await root.get('form').trigger('submit');
    await flushPromises();
    expect(harness.portal.api.auth.startLogin).toHaveBeenCalledWith({
      email: 'admin@acme.test',
      password: 'acme-admin-demo',
      rememberMe: false,
      keepOfflineCopy: false,
    });

    expect(root.text()).toContain('Confirm it’s you');
    expect(root.text()).toContain('Text message');
    expect(root.text()).toContain('Voice call');
    await button(root, 'Send code').trigger('click');
    await flushPromises();
    expect(root.text()).toContain('We sent a 6-digit code by text message to ••••\u00a00142.');
    const code = byLabel(root, '6-digit code');
    expect(code.attributes('autocomplete')).toBe('one-time-code');
    expect(code.attributes('inputmode')).toBe('numeric');
    expect(button(root, 'Send a new code').attributes('disabled')).toBeDefined();
    expect(root.get('[data-testid="resend-countdown"]').text()).toBe('You can ask for a new code in 0:30');
    await vi.advanceTimersByTimeAsync(12_000);
    expect(root.get('[data-testid="resend-countdown"]').text()).toBe('You can ask for a new code in 0:18');
    await vi.advanceTimersByTimeAsync(18_500);
    expect(root.find('[data-testid="resend-countdown"]').exists()).toBe(false);
    expect(button(root, 'Send a new code').attributes('disabled')).toBeUndefined();
  });

  it('keeps an offline copy only when asked to', async () => {
    const { root } = await mountSignIn();
    await byLabel(root, 'Keep an offline copy on this computer').setValue(true);
    await byLabel(root, 'Email').setValue('admin@acme.test');
    await byLabel(root, 'Password').setValue('pw');
    await root.get('form').trigger('submit');
    await flushPromises();
    expect(harness.portal.api.auth.startLogin).toHaveBeenCalledWith(expect.objectContaining({ keepOfflineCopy: true, rememberMe: false }));
  });

  it('"Keep an offline copy" is remembered per account: ticked for an account that keeps one here, until changed', async () => {
    harness.portal.api.offline.getState.mockResolvedValue(
      ok({ accounts: [{ email: 'Admin@Acme.test', asOf: '2030-01-01T08:00:00.000Z', isLocked: false }], user: null, asOf: null }),
    );
    const { root } = await mountSignIn();
    const keep = () => byLabel(root, 'Keep an offline copy on this computer');
    expect(keep().element.checked).toBe(false);
    await byLabel(root, 'Email').setValue('admin@acme.test');
    expect(keep().element.checked).toBe(true);
    await byLabel(root, 'Email').setValue('tech@acme.test');
    expect(keep().element.checked).toBe(false);
    await byLabel(root, 'Email').setValue(' ADMIN@acme.test ');
    expect(keep().element.checked).toBe(true);
    // The administrator's own choice wins.
    await keep().setValue(false);
    await byLabel(root, 'Password').setValue('pw');
    await root.get('form').trigger('submit');
    await flushPromises();
    expect(harness.portal.api.auth.startLogin).toHaveBeenCalledWith(expect.objectContaining({ keepOfflineCopy: false }));
  });

  it('signing in with an account that keeps a copy keeps it without a tick', async () => {
    harness.portal.api.offline.getState.mockResolvedValue(
      ok({ accounts: [{ email: 'admin@acme.test', asOf: '2030-01-01T08:00:00.000Z', isLocked: false }], user: null, asOf: null }),
    );
    const { root } = await mountSignIn();
    await byLabel(root, 'Email').setValue('admin@acme.test');
    await byLabel(root, 'Password').setValue('pw');
    await root.get('form').trigger('submit');
    await flushPromises();
    expect(harness.portal.api.auth.startLogin).toHaveBeenCalledWith(expect.objectContaining({ keepOfflineCopy: true }));
  });

  it('counts down when the first "Send code" is refused with a wait, then allows it', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z'), shouldAdvanceTime: true });
    harness.portal.api.auth.sendCode.mockResolvedValueOnce(fail('rate_limited', 'A code was just sent.', { retryAfterSeconds: 20 }));
    const { root } = await mountSignIn();
    await useAuthStore().signIn({ email: 'admin@acme.test', password: 'x', rememberMe: false });
    await flushPromises();
    await button(root, 'Send code').trigger('click');
    await flushPromises();

    // Still before any code was sent: "Send code" waits, with a visible countdown.
    expect(root.find('[data-testid="second-factor-instructions"]').text()).toContain('We will send a 6-digit code');
    expect(root.get('[data-testid="resend-countdown"]').text()).toBe('You can ask for a code in 0:20');
    expect(button(root, 'Send code').attributes('disabled')).toBeDefined();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(root.get('[data-testid="resend-countdown"]').text()).toBe('You can ask for a code in 0:15');

    await vi.advanceTimersByTimeAsync(15_500);
    expect(root.find('[data-testid="resend-countdown"]').exists()).toBe(false);
    expect(button(root, 'Send code').attributes('disabled')).toBeUndefined();
    await button(root, 'Send code').trigger('click');
    await flushPromises();
    expect(harness.portal.api.auth.sendCode).toHaveBeenCalledTimes(2);
    expect(root.text()).toContain('We sent a 6-digit code by text message');
  });

  it('takes a whole pasted code (digits only) and says how many attempts are left when wrong', async () => {
    harness.portal.api.auth.startLogin.mockResolvedValue(
      ok({ step: 'second_factor_required', methods: ['totp'], destination: null, expiresAt: '2030-01-01T00:10:00Z' }),
    );
    harness.portal.api.auth.verifyCode.mockResolvedValueOnce(ok({ step: 'invalid_code', attemptsLeft: 4 }));
    const { root } = await mountSignIn();
    await useAuthStore().signIn({ email: 'totp@acme.test', password: 'x', rememberMe: false });
    await flushPromises();
    expect(root.text()).toContain('authenticator app');
    const code = byLabel(root, '6-digit code');
    const paste = new Event('paste', { bubbles: true, cancelable: true }) as ClipboardEvent;
    Object.defineProperty(paste, 'clipboardData', { value: { getData: () => 'Your code: 123 456' } });
    code.element.dispatchEvent(paste);
    await flushPromises();
    expect(harness.portal.api.auth.verifyCode).toHaveBeenCalledWith({ code: '123456', method: 'totp' });
    expect(root.text()).toContain('That code is not right. 4 attempts left.');

    await code.setValue('12a3');
    expect(code.element.value).toBe('123');
  });
});
