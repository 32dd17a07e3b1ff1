import { computed, type Ref } from 'vue';
import { explainPhoneRefusal, formatInternational, phoneWarningMessage, validatePhone, type PhoneResult } from '../../common/phone';

/** The shared phone rules (common/phone) applied to a field: result, plain message, warning, preview. */
export function usePhoneValidation(text: Ref<unknown>, country: Ref<string | null>) {
  const result = computed<PhoneResult>(() => validatePhone(text.value, country.value));
  const message = computed(() => (result.value.ok ? null : explainPhoneRefusal(text.value, country.value, result.value.reason)));
  const warning = computed(() => (result.value.ok && result.value.warning ? phoneWarningMessage(result.value.warning) : null));
  const e164 = computed(() => (result.value.ok ? result.value.e164 : null));
  const preview = computed(() => (e164.value === null ? null : formatInternational(e164.value)));
  /** A Vuetify rule: `true` or the message. */
  const rule = (value: unknown): true | string => {
    const checked = validatePhone(value, country.value);
    return checked.ok || explainPhoneRefusal(value, country.value, checked.reason);
  };
  return { result, message, warning, e164, preview, rule };
}
