import { computed, ref, shallowRef, watch, type Ref } from 'vue';
import { newIdempotencyKey, type Employee, type PhoneVerification } from '../../common/api';
import type { IpcError } from '../../common/ipc';
import { formatInternational } from '../../common/phone';
import { describeError, formatWait } from '../lib/errors';
import { formatNumber } from '../lib/format';
import { t } from '../i18n';
import { portal } from '../services/portal';
import { useEmployeesStore } from '../stores/employees';
import { useCountdown } from './use-countdown';


/**
 * Verify and save: a code goes to the new number, the admin types the code the employee reads
 * out, and the portal saves the number as verified in the same request. Typing another number
 * ends the verification.
 */
export function usePhoneVerification(employee: Ref<Employee | null>, number: Ref<string | null>, version: Ref<number>) {
  const store = useEmployeesStore();
  const verification = shallowRef<PhoneVerification | null>(null);
  const code = ref('');
  const isBusy = ref(false);
  const error = ref<string | null>(null);
  const codeError = ref<string | null>(null);
  const resendAt = ref<number | null>(null);
  const resendIn = useCountdown(resendAt);
  /** The code can no longer be confirmed (5 wrong codes, expired): only a new code helps. */
  const isEnded = ref(false);
  let attempt: { code: string; key: string } | null = null;

  const isActive = computed(() => verification.value !== null);
  const destination = computed(() => (verification.value ? formatInternational(verification.value.cellPhone) : ''));
  const canConfirm = computed(() => verification.value !== null && /^\d{6}$/.test(code.value) && !isBusy.value);

  function reset(): void {
    verification.value = null;
    code.value = '';
    error.value = null;
    codeError.value = null;
    resendAt.value = null;
    isBusy.value = false;
    isEnded.value = false;
    attempt = null;
  }
  watch(number, (next) => {
    if (verification.value !== null && next !== verification.value.cellPhone) reset();
  });
  watch(() => employee.value?.id, reset);

  function describe(failure: IpcError): string {
    if (failure.code === 'rate_limited' && failure.retryAfterSeconds !== undefined) {
      return t('verifyStore.tooManyCodes', { wait: formatWait(failure.retryAfterSeconds) });
    }
    if (failure.code === 'challenge_expired') return t('verifyStore.expiredOrEnded');
    return describeError(failure);
  }

  function accept(next: PhoneVerification): void {
    verification.value = next;
    resendAt.value = Date.now() + next.resendAfter * 1000;
    code.value = '';
    codeError.value = null;
    isEnded.value = false;
    attempt = null;
  }

  async function start(): Promise<boolean> {
    const target = employee.value;
    if (target === null || number.value === null || isBusy.value) return false;
    isBusy.value = true;
    error.value = null;
    try {
      const result = await portal.verification.start({ id: target.id, version: version.value, cellPhone: number.value });
      if (result.ok) accept(result.value);
      else error.value = describe(result.error);
      return result.ok;
    } finally {
      isBusy.value = false;
    }
  }

  async function resend(): Promise<void> {
    const target = employee.value;
    const current = verification.value;
    if (target === null || current === null || isBusy.value) return;
    if (isEnded.value) {
      await start();
      return;
    }
    if (resendIn.value > 0) return;
    isBusy.value = true;
    error.value = null;
    try {
      const result = await portal.verification.resend({ id: target.id, verificationId: current.id });
      if (result.ok) accept(result.value);
      else {
        if (result.error.code === 'challenge_expired') isEnded.value = true;
        error.value = describe(result.error);
      }
    } finally {
      isBusy.value = false;
    }
  }

  /** Confirms the code; the saved employee on success, else null (the message says why). */
  async function confirm(): Promise<Employee | null> {
    const target = employee.value;
    const current = verification.value;
    if (target === null || current === null || !canConfirm.value) return null;
    isBusy.value = true;
    error.value = null;
    codeError.value = null;
    // The same code again (a retry after a lost answer) keeps its key: it cannot apply twice.
    if (attempt?.code !== code.value) attempt = { code: code.value, key: newIdempotencyKey() };
    try {
      const result = await portal.verification.confirm({
        id: target.id,
        verificationId: current.id,
        version: version.value,
        code: code.value,
        idempotencyKey: attempt.key,
      });
      if (result.ok) {
        store.applyEmployee(result.value);
        return result.value;
      }
      const failure = result.error;
      if (failure.code === 'invalid_code') {
        const left = failure.attemptsLeft ?? 0;
        codeError.value =
          left > 0 ? t('verifyStore.triesLeft', { count: formatNumber(left) }, left) : t('verifyStore.ended');
        if (left === 0) isEnded.value = true;
      } else {
        if (failure.code === 'challenge_expired') isEnded.value = true;
        error.value = describe(failure);
      }
      return null;
    } finally {
      isBusy.value = false;
    }
  }

  function setCode(next: string): void {
    code.value = next;
    codeError.value = null;
  }

  return { verification, code, setCode, isActive, isBusy, isEnded, error, codeError, destination, resendIn, canConfirm, start, resend, confirm, reset };
}

export type PhoneVerificationState = ReturnType<typeof usePhoneVerification>;
