import { computed, type Ref } from 'vue';
import { formatInternational, refusedNumberKind, validatePhone, type PhoneResult } from '../../common/phone';
import { phoneRefusalText, phoneWarningText } from '../lib/phone-messages';

/** The shared phone rules (common/phone) applied to a field: result, plain message, warning, preview. */
export function usePhoneValidation(text: Ref<unknown>, country: Ref<string | null>) {
  const explain = (value: unknown, checked: PhoneResult & { ok: false }): string =>
    phoneRefusalText(checked.reason, refusedNumberKind(value, country.value, checked.reason));
  const result = computed<PhoneResult>(() => validatePhone(text.value, country.value));
  const message = computed(() => (result.value.ok ? null : explain(text.value, result.value)));
  const warning = computed(() => (result.value.ok && result.value.warning ? phoneWarningText(result.value.warning) : null));
  const e164 = computed(() => (result.value.ok ? result.value.e164 : null));
  const preview = computed(() => (e164.value === null ? null : formatInternational(e164.value)));
  /** A Vuetify rule: `true` or the message. */
  const rule = (value: unknown): true | string => {
    const checked = validatePhone(value, country.value);
    return checked.ok || explain(value, checked);
  };
  return { result, message, warning, e164, preview, rule };
}
