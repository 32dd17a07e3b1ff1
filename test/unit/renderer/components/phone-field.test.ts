import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref, type PropType } from 'vue';
import cases from '../../../../../shared/testdata/phone-cases.json';
import { explainPhoneRefusal, formatInternational, phoneMessage, phoneWarningMessage, type PhoneReason } from '../../../../common/phone';
import PhoneField from '../../../../renderer/components/employees/PhoneField.vue';
import { mountWithApp, setUpPortal, type Harness } from '../support/mount';

interface PhoneCase {
  input: unknown;
  region: string | null;
  expect: { ok: true; e164: string; warning?: string } | { ok: false; reason: PhoneReason };
}

/** Holds the field's v-model the way the Edit Employee window does. */
const Host = defineComponent({
  props: { initial: { type: null as unknown as PropType<unknown>, default: '' }, country: { type: String as PropType<string | null>, default: null } },
  setup(props, { expose }) {
    const text = ref<unknown>(props.initial);
    const field = ref<InstanceType<typeof PhoneField> | null>(null);
    expose({ text, validate: () => field.value?.validate() });
    return () =>
      h(PhoneField, {
        ref: field,
        modelValue: text.value as string,
        'onUpdate:modelValue': (value: string) => {
          text.value = value;
        },
        country: props.country,
        current: '+10000000000',
      });
  },
});

let harness: Harness;
beforeEach(() => {
  harness = setUpPortal();
  document.body.innerHTML = '';
});

const all = cases as PhoneCase[];

describe('PhoneField with every case of shared/testdata/phone-cases.json', () => {
  it('has the shared cases', () => {
    expect(all.length).toBeGreaterThanOrEqual(40);
  });

  it.each(all.map((entry, index) => [index, JSON.stringify(entry.input)?.slice(0, 40) ?? String(entry.input), entry] as const))(
    'case %i: %s',
    async (_index, _label, entry) => {
      const isText = typeof entry.input === 'string';
      const wrapper = mountWithApp(Host, harness, {
        // A field that held a number, so that clearing it ('' and '   ') is a change too.
        props: { initial: isText ? '+1 202 555 0123' : (entry.input as string), country: entry.region },
        // Non-text values (number, array, object, null) break the prop's declared type on purpose.
        global: isText ? {} : { config: { warnHandler: () => undefined } },
      });
      const input = wrapper.find('input');
      expect(input.attributes('dir')).toBe('ltr');
      if (isText) {
        // As typed (or pasted) into the field: the input event runs the as-you-type formatter too.
        await input.setValue(entry.input);
      } else {
        await (wrapper.vm as unknown as { validate(): Promise<unknown> }).validate();
      }
      await flushPromises();
      const text = wrapper.text();
      if (entry.expect.ok) {
        expect(text).toContain(`Will be saved as ${formatInternational(entry.expect.e164)}`);
        expect(wrapper.find('.v-input--error').exists()).toBe(false);
        const warning = wrapper.find('[data-testid="landline-warning"]');
        if (entry.expect.warning) expect(warning.text()).toContain(phoneWarningMessage('landline'));
        else expect(warning.exists()).toBe(false);
      } else {
        expect(wrapper.find('.v-messages').text()).toBe(explainPhoneRefusal(entry.input, entry.region, entry.expect.reason));
        expect(wrapper.find('.v-input--error').exists()).toBe(true);
        expect(text).not.toContain('Will be saved as');
      }
      wrapper.unmount();
    },
  );

  it('formats as the administrator types at the end, in the chosen country', async () => {
    const wrapper = mountWithApp(Host, harness, { props: { country: 'US' } });
    const input = wrapper.find('input');
    await input.setValue('2125550100');
    expect((input.element as HTMLInputElement).value).toBe('(212) 555-0100');
    expect(wrapper.text()).toContain('Will be saved as +1 212 555 0100');
    wrapper.unmount();
  });

  it.each([
    ['123 456 7890', 'US'],
    ['0044 7400 123456', 'GB'],
    ['06 12 34 56 78', 'US'],
    ['+1 212 555 0100 / +1 212 555 0101', 'US'],
    ['212555', 'US'],
  ])('never rewrites %j (region %s) as it is typed, on blur either', async (typed, country) => {
    const wrapper = mountWithApp(Host, harness, { props: { country } });
    const input = wrapper.find('input');
    await input.setValue(typed);
    expect((input.element as HTMLInputElement).value).toBe(typed);
    await input.trigger('blur');
    await flushPromises();
    expect((input.element as HTMLInputElement).value).toBe(typed);
    wrapper.unmount();
  });

  it('while empty, gives a mobile of the chosen country as its example', async () => {
    const wrapper = mountWithApp(Host, harness, { props: { country: 'GB' } });
    await flushPromises();
    expect(wrapper.find('.v-messages').text()).toBe('For example 07400 123456');
    await wrapper.setProps({ country: 'US' });
    await flushPromises();
    expect(wrapper.find('.v-messages').text()).toBe('For example (201) 555-0123');
    await wrapper.find('input').setValue('+1 212');
    await flushPromises();
    expect(wrapper.find('.v-messages').text()).not.toContain('For example');
    wrapper.unmount();
  });

  it('checks again when the country changes', async () => {
    const wrapper = mountWithApp(Host, harness, { props: { country: null } });
    await wrapper.find('input').setValue('020 7946 0000');
    expect(wrapper.find('.v-messages').text()).toBe(phoneMessage('needs_country'));
    await wrapper.setProps({ country: 'GB' });
    await flushPromises();
    expect(wrapper.text()).toContain('Will be saved as +44 20 7946 0000');
    expect(wrapper.find('[data-testid="landline-warning"]').exists()).toBe(true);
    wrapper.unmount();
  });
});
