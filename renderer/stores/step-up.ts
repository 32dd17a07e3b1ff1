import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { TwoFactorMethod } from '../../common/api';
import { attemptsLeftText, describeError, formatWait } from '../lib/errors';
import { t } from '../i18n';
import { portal } from '../services/portal';

interface Challenge {
  methods: TwoFactorMethod[];
  destination: string | null;
}

/**
 * Sudo mode in the UI: when the portal answers a phone change with `step_up_required`, whatever
 * was saving calls `confirm()`, which shows the step-up prompt on top of the current window and
 * resolves true once a fresh code was accepted (the caller then repeats the same save or sync),
 * false if the admin cancelled. Nothing typed is lost meanwhile: the caller keeps its state.
 */
export const useStepUpStore = defineStore('step-up', () => {
  const isOpen = ref(false);
  const challenge = shallowRef<Challenge | null>(null);
  const method = ref<TwoFactorMethod | null>(null);
  const sentTo = ref<string | null>(null);
  const isBusy = ref(false);
  const error = ref<string | null>(null);
  let settle: ((confirmed: boolean) => void) | null = null;
  let asking: Promise<boolean> | null = null;

  const needsSend = computed(() => (method.value === 'sms' || method.value === 'voice') && sentTo.value === null);

  async function open(): Promise<void> {
    isBusy.value = true;
    error.value = null;
    challenge.value = null;
    sentTo.value = null;
    try {
      const started = await portal.auth.startStepUp();
      if (!started.ok) {
        error.value = describeError(started.error);
        return;
      }
      challenge.value = { methods: started.value.methods, destination: started.value.destination };
      method.value = started.value.methods[0] ?? null;
    } finally {
      isBusy.value = false;
    }
  }

  /** Shows the prompt (once, however many saves ask at the same time); true once confirmed. */
  function confirm(): Promise<boolean> {
    asking ??= new Promise<boolean>((resolve) => {
      settle = resolve;
      isOpen.value = true;
      void open();
    }).finally(() => {
      asking = null;
    });
    return asking;
  }

  function finish(confirmed: boolean): void {
    isOpen.value = false;
    challenge.value = null;
    sentTo.value = null;
    error.value = null;
    const resolve = settle;
    settle = null;
    resolve?.(confirmed);
  }

  function chooseMethod(next: TwoFactorMethod): void {
    method.value = next;
    sentTo.value = null;
    error.value = null;
  }

  async function sendCode(): Promise<void> {
    if (method.value !== 'sms' && method.value !== 'voice') return;
    isBusy.value = true;
    error.value = null;
    try {
      const sent = await portal.auth.sendStepUpCode({ method: method.value });
      if (sent.ok) sentTo.value = sent.value.destination;
      else error.value = sent.error.code === 'rate_limited' && sent.error.retryAfterSeconds !== undefined
        ? t('stepUpStore.tooManyCodes', { wait: formatWait(sent.error.retryAfterSeconds) })
        : describeError(sent.error);
    } finally {
      isBusy.value = false;
    }
  }

  async function verify(code: string): Promise<void> {
    isBusy.value = true;
    error.value = null;
    try {
      const answer = await portal.auth.verifyStepUp(method.value === null ? { code } : { code, method: method.value });
      if (!answer.ok) {
        error.value = describeError(answer.error);
        return;
      }
      const outcome = answer.value;
      switch (outcome.step) {
        case 'verified':
          finish(true);
          return;
        case 'invalid_code':
          error.value = outcome.attemptsLeft > 0 ? t('errors.invalidCodeAttempts', { attempts: attemptsLeftText(outcome.attemptsLeft) }) : t('stepUpStore.noAttemptsLeft');
          if (outcome.attemptsLeft === 0) await open();
          return;
        case 'challenge_expired':
          await open();
          error.value = t('stepUpStore.expired');
          return;
        case 'locked':
          error.value = outcome.message !== undefined ? t('errors.lockedWrongCodes') : t('errors.locked');
          return;
        case 'rate_limited':
          error.value = t('errors.rateLimitedFor', { wait: formatWait(outcome.retryAfterSeconds) });
          return;
      }
    } finally {
      isBusy.value = false;
    }
  }

  return { isOpen, challenge, method, sentTo, isBusy, error, needsSend, confirm, cancel: () => finish(false), chooseMethod, sendCode, verify };
});
