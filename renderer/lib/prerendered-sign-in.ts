import { nextTick } from 'vue';
import type { AppLocale } from '../../common/i18n/locale-choice';
import { LOCALE_HINT_KEY, PRERENDERED_ATTRIBUTE, QUEUED_SUBMIT_ATTRIBUTE } from '../prerender/markers';

/**
 * The sign-in page index.html shows before the app has started (prerendered at build time, see
 * scripts/prerender-sign-in.ts): what the administrator did on it is carried over to the app's own
 * form when the app mounts over it — the fields' contents, the focus and caret, and a sign-in sent
 * meanwhile (held back by the first-paint script). The two forms come from the same component, so
 * their inputs match one for one, in order.
 */
export interface EnteredBeforeStart {
  /** Each input of the form, in document order: its text, or whether it is ticked. */
  inputs: Array<{ value: string; checked: boolean }>;
  /** The input that had the focus (its index), with its caret. */
  focus: { index: number; selectionStart: number | null; selectionEnd: number | null } | null;
  isSubmitQueued: boolean;
}

function formInputs(container: ParentNode): HTMLInputElement[] {
  return Array.from(container.querySelectorAll<HTMLInputElement>('form input'));
}

/** What was entered on the prerendered page in `root`; null when there is none (the dev server). */
export function readPrerenderedSignIn(root: HTMLElement): EnteredBeforeStart | null {
  const page = root.querySelector(`[${PRERENDERED_ATTRIBUTE}]`);
  if (page === null) return null;
  const inputs = formInputs(page);
  const focused = inputs.findIndex((input) => input === document.activeElement);
  const caret = focused >= 0 && inputs[focused]!.type !== 'checkbox' ? inputs[focused]! : null;
  return {
    inputs: inputs.map((input) => ({ value: input.value, checked: input.checked })),
    focus: focused < 0 ? null : { index: focused, selectionStart: caret?.selectionStart ?? null, selectionEnd: caret?.selectionEnd ?? null },
    isSubmitQueued: page.querySelector(`form[${QUEUED_SUBMIT_ATTRIBUTE}]`) !== null,
  };
}

/**
 * Puts what was entered into the app's form (mounted in `root` in the same task, so nothing is painted
 * in between): typed text replaces what the app filled in only where something was typed; ticks as
 * left. Returns the form, for a sign-in that was sent before the app was ready.
 */
export function restoreEnteredSignIn(root: HTMLElement, entered: EnteredBeforeStart): HTMLFormElement | null {
  const inputs = formInputs(root);
  if (inputs.length !== entered.inputs.length) return null; // another screen than the form (a session, first run)
  entered.inputs.forEach((before, index) => {
    const input = inputs[index]!;
    if (input.type === 'checkbox') {
      if (input.checked !== before.checked) input.click();
    } else if (before.value !== '' && input.value !== before.value) {
      input.value = before.value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
  });
  if (entered.focus !== null) {
    const input = inputs[entered.focus.index]!;
    input.focus();
    if (entered.focus.selectionStart !== null && input.type !== 'email') input.setSelectionRange(entered.focus.selectionStart, entered.focus.selectionEnd);
  }
  return inputs[0]!.form;
}

/** The language shown, for the next start's first paint where the page address does not say (browser mode). */
export function rememberFirstPaintLocale(locale: AppLocale): void {
  try {
    if (typeof localStorage !== 'undefined' && localStorage.getItem(LOCALE_HINT_KEY) !== locale) localStorage.setItem(LOCALE_HINT_KEY, locale);
  } catch {
    // Storage refused: the next first paint follows the browser's languages.
  }
}

/**
 * The app's first frame shows the form as the prerendered page did: what mounting started moving
 * (the Email label floating up into the outline as the field takes the focus, colours turning to
 * the focused ones) is put at its end at once, in the frame that would have shown its start.
 * Called after the mount; Vuetify starts its label animation from a frame callback queued in the
 * first update, so this one is queued after it.
 */
export async function finishTakeOverAnimations(root: HTMLElement): Promise<void> {
  await nextTick();
  requestAnimationFrame(() => {
    for (const animation of root.getAnimations({ subtree: true })) {
      // Endless ones (a progress bar) have no end to go to.
      if (Number.isFinite(animation.effect?.getComputedTiming().endTime)) animation.finish();
    }
  });
}
