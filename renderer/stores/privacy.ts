import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { maskPhoneForScreen } from '../../common/phone';
import { t } from '../i18n';
import { displayPhone } from '../lib/display-phone';
import { describeError } from '../lib/errors';
import { createRevealTimers } from '../lib/reveal-timer';
import { portal } from '../services/portal';
import { useNotificationsStore } from './notifications';

/** How long a number shown on demand stays shown. */
export const REVEAL_MS = 30_000;

/**
 * Privacy mode: whether phone numbers show masked (`+44 •••• ••3456`, common/phone), which ones
 * are shown on demand (per employee, for 30 seconds), and what masks them all again (the window
 * losing focus or being hidden, the screen locking). The setting itself lives in main, per profile.
 */
export const usePrivacyStore = defineStore('privacy', () => {
  const isOn = ref(false);
  /**
   * Whether the remembered setting has been read (or set here). Until then the signed-in screens
   * show no numbers (SignedInShell waits), so none flashes in full before privacy mode is known.
   */
  const isKnown = ref(false);
  let loading: Promise<void> | null = null;
  const isSaving = ref(false);
  /** The employees (ids) whose number is shown now, although privacy mode is on. */
  const revealed = shallowRef<ReadonlySet<string>>(new Set());
  const timers = createRevealTimers({ durationMs: REVEAL_MS, onChange: (keys) => (revealed.value = keys) });

  /** Reads the remembered setting once (callers share the read); when it cannot be read, numbers stay masked. */
  function load(): Promise<void> {
    loading ??= (async () => {
      let isPrivate = true;
      try {
        const result = await portal.settings.get();
        if (result.ok) isPrivate = result.value.privacyMode;
      } finally {
        // A choice made here meanwhile wins over the file.
        if (!isKnown.value) isOn.value = isPrivate;
        isKnown.value = true;
      }
    })().finally(() => (loading = null));
    return loading;
  }

  /** Takes effect on screen at once; remembering it for next time may fail (then the admin is told). */
  async function setOn(on: boolean): Promise<void> {
    isOn.value = on;
    isKnown.value = true;
    timers.hideAll();
    isSaving.value = true;
    try {
      const result = await portal.settings.setPrivacyMode({ isOn: on });
      if (!result.ok) useNotificationsStore().notify(t('privacy.notSaved', { reason: describeError(result.error) }), 'error');
    } finally {
      isSaving.value = false;
    }
  }

  /** True when this employee's number must show masked now. */
  function isMasked(employeeId?: string | null): boolean {
    return isOn.value && !(employeeId != null && revealed.value.has(employeeId));
  }

  /** A number as it may be shown now: in full, or masked (`''` for none, as `displayPhone`). */
  function phoneText(cellPhone: string | null, employeeId?: string | null): string {
    if (cellPhone === null) return '';
    return isMasked(employeeId) ? (maskPhoneForScreen(cellPhone) ?? '') : displayPhone(cellPhone);
  }

  function reveal(employeeId: string): void {
    if (isOn.value) timers.reveal(employeeId);
  }
  const hide = (employeeId: string): void => timers.hide(employeeId);
  const hideAll = (): void => timers.hideAll();

  /**
   * Masks every number shown on demand when the window loses focus, is hidden (minimised, another
   * tab, the screen locked in browser mode) or main says the screen locked or the computer slept.
   * Returns the function that stops listening.
   */
  function guardWindow(target: Window = window): () => void {
    // The window itself, not a field inside it (a field's blur does not bubble, but a synthetic one might).
    const onBlur = (event: Event) => {
      if (!(event.target instanceof Node)) hideAll();
    };
    const onVisibility = () => {
      if (target.document.visibilityState === 'hidden') hideAll();
    };
    target.addEventListener('blur', onBlur);
    target.document.addEventListener('visibilitychange', onVisibility);
    const stopScreenLock = portal.events.onScreenLocked(() => hideAll());
    return () => {
      target.removeEventListener('blur', onBlur);
      target.document.removeEventListener('visibilitychange', onVisibility);
      stopScreenLock();
    };
  }

  return { isOn, isKnown, isSaving, revealed, load, setOn, isMasked, phoneText, reveal, hide, hideAll, guardWindow };
});
