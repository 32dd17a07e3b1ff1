import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import CountrySelect from '../../../../renderer/components/employees/CountrySelect.vue';
import { mountWithApp, setUpPortal, type Harness } from '../support/mount';

const Host = defineComponent({
  setup(_props, { expose }) {
    const country = ref<string | null>('US');
    expose({ country });
    return () => h(CountrySelect, { modelValue: country.value, 'onUpdate:modelValue': (value: string | null) => (country.value = value) });
  },
});

let harness: Harness;
beforeEach(() => {
  document.body.innerHTML = '';
  harness = setUpPortal();
});

describe('Country', () => {
  it('the hint is described text, not an alert that is announced whenever the window opens', async () => {
    const wrapper = mountWithApp(Host, harness);
    await flushPromises();
    const input = wrapper.find('input[role="combobox"]');
    const hintId = input.attributes('aria-describedby');
    expect(hintId).toBeTruthy();
    const hint = document.getElementById(hintId!)!;
    expect(hint.textContent?.trim()).toBe('Used to read numbers typed without + and a country code');
    expect(hint.closest('[role="alert"]')).toBeNull();
    for (const alert of document.querySelectorAll('[role="alert"]')) expect(alert.textContent).not.toContain('Used to read numbers');
    wrapper.unmount();
  });

  it('typing into the field showing a country searches for what was typed (not "United States (+1)Fra")', async () => {
    const wrapper = mountWithApp(Host, harness);
    await flushPromises();
    const input = wrapper.find<HTMLInputElement>('input[role="combobox"]');
    await input.trigger('focus');
    await input.trigger('mousedown');
    await flushPromises();
    await input.setValue(`${input.element.value}Fra`);
    await flushPromises();
    const options = new DOMWrapper(document.body).findAll('[role="option"]').map((option) => option.text());
    expect(options).toContain('France (+33)');
    expect(new DOMWrapper(document.body).text()).not.toContain('No data available');
    wrapper.unmount();
  });
});
