import { describe, expect, it } from 'vitest';
import PasswordField from '../../../../renderer/components/sign-in/PasswordField.vue';
import { mountWithApp, setUpPortal } from '../support/mount';

describe('PasswordField', () => {
  it('hides the password until "Show password" is pressed, then offers "Hide password"', async () => {
    document.body.innerHTML = '';
    const wrapper = mountWithApp(PasswordField, setUpPortal(), { props: { modelValue: 'secret' } });
    const input = wrapper.get('input');
    expect(input.attributes('type')).toBe('password');
    expect(input.attributes('autocomplete')).toBe('current-password');
    const toggle = wrapper.get('button');
    expect(toggle.attributes('aria-label')).toBe('Show password');
    expect(toggle.attributes('aria-pressed')).toBe('false');
    await toggle.trigger('click');
    expect(input.attributes('type')).toBe('text');
    expect(toggle.attributes('aria-label')).toBe('Hide password');
    expect(toggle.attributes('aria-pressed')).toBe('true');
  });
});
