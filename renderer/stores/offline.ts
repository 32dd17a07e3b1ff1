import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { PortalUser } from '../../common/api';
import type { OfflineState } from '../../common/drafts';
import { attemptsLeftText, describeError } from '../lib/errors';
import { offlineUnavailableText } from '../lib/offline-problems';
import { t } from '../i18n';
import { portal } from '../services/portal';

/** Offline access locked after 5 wrong passwords (in the language shown). */
export const lockedMessage = (): string => t('offlineStore.locked');

const EMPTY: OfflineState = { accounts: [], user: null, asOf: null };

/**
 * Working offline: which accounts have an encrypted offline copy here, and whether one is unlocked
 * (with the portal password, checked by main against its local verifier). Main pushes changes
 * (`offline:changed`); the auth store shows the app shell while `user` is set.
 */
export const useOfflineStore = defineStore('offline', () => {
  const state = shallowRef<OfflineState>(EMPTY);
  /** What went wrong unlocking, in plain words. */
  const error = ref<string | null>(null);
  const attemptsLeft = ref<number | null>(null);
  const isBusy = ref(false);
  let unsubscribe: (() => void) | null = null;

  const accounts = computed(() => state.value.accounts);
  const hasAccounts = computed(() => state.value.accounts.length > 0);
  const user = computed<PortalUser | null>(() => state.value.user);
  /** When the offline copy in use was last synced (main's, else the unlocked account's). */
  const asOf = computed(() => {
    const { user: current, accounts: all } = state.value;
    if (state.value.asOf !== null || current === null) return state.value.asOf;
    return all.find((account) => account.email.toLowerCase() === current.email.toLowerCase())?.asOf ?? null;
  });

  function applyState(next: OfflineState): void {
    state.value = next;
  }

  async function init(): Promise<void> {
    unsubscribe ??= portal.events.onOfflineChanged(applyState);
    const result = await portal.offline.getState();
    if (result.ok) applyState(result.value);
  }

  /** Unlocks the offline copy; true when working offline now. */
  async function unlock(input: { email: string; password: string }): Promise<boolean> {
    if (isBusy.value) return false;
    isBusy.value = true;
    error.value = null;
    try {
      const result = await portal.offline.unlock({ email: input.email.trim(), password: input.password });
      if (!result.ok) {
        error.value = describeError(result.error);
        return false;
      }
      const step = result.value;
      switch (step.step) {
        case 'unlocked':
          attemptsLeft.value = null;
          // The event may come after the answer: the shell shows at once.
          if (state.value.user?.id !== step.user.id) applyState({ ...state.value, user: step.user });
          return true;
        case 'invalid_password':
          attemptsLeft.value = step.attemptsLeft;
          error.value =
            step.attemptsLeft === 0 ? lockedMessage() : t('offlineStore.wrongPassword', { attempts: attemptsLeftText(step.attemptsLeft) });
          return false;
        case 'locked':
          attemptsLeft.value = 0;
          error.value = lockedMessage();
          return false;
        case 'no_offline_copy':
          error.value = t('offlineStore.noCopy');
          return false;
        case 'unavailable':
          error.value = offlineUnavailableText(step);
          return false;
      }
      return false;
    } finally {
      isBusy.value = false;
    }
  }

  /** Stops working offline (the drafts stay on this computer). */
  async function leave(): Promise<void> {
    const result = await portal.offline.leave();
    applyState(result.ok ? result.value : { ...state.value, user: null });
  }

  function clearError(): void {
    error.value = null;
    attemptsLeft.value = null;
  }

  function dispose(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  return { state, error, attemptsLeft, isBusy, accounts, hasAccounts, user, asOf, applyState, init, unlock, leave, clearError, dispose };
});
