import { nextTick } from 'vue';
import type { AppLocale } from '../../common/i18n/locale-choice';
import { LOCALE_PARAMETER, RESUME_PARAMETER, RESUMING_ATTRIBUTE } from '../../common/first-paint';
import { PRERENDERED_ATTRIBUTE, QUEUED_CLICK_ATTRIBUTE, QUEUED_SUBMIT_ATTRIBUTE } from '../prerender/markers';

/**
 * The sign-in page index.html shows before the app has started (prerendered at build time, see
 * scripts/prerender-sign-in.ts): what the administrator did on it is carried over to the app's own
 * form when the app mounts over it — the fields' contents, the focus and caret, a sign-in sent
 * meanwhile and the last click on one of its other buttons (both held back by the page's boot script,
 * renderer/prerender/boot.ts). The two forms come from the same component, so
 * their inputs match one for one, in order.
 */
export interface EnteredBeforeStart {
  /** Each input of the form, in document order: its text, or whether it is ticked. */
  inputs: Array<{ value: string; checked: boolean }>;
  /** The input that had the focus (its index), with its caret. */
  focus: { index: number; selectionStart: number | null; selectionEnd: number | null } | null;
  isSubmitQueued: boolean;
  /** The name of the button (language, portal settings, show password) last clicked, to click it again in the app. */
  heldClick: string | null;
}

function formInputs(container: ParentNode): HTMLInputElement[] {
  return Array.from(container.querySelectorAll<HTMLInputElement>('form input'));
}

/** A button's name as the administrator reads it: the same in both pages (they are in one language). */
function buttonName(button: Element): string {
  return button.getAttribute('aria-label') ?? button.textContent?.trim() ?? '';
}

/** What was entered on the prerendered page in `root`; null when there is none (the dev server). */
export function readPrerenderedSignIn(root: HTMLElement): EnteredBeforeStart | null {
  const page = root.querySelector(`[${PRERENDERED_ATTRIBUTE}]`);
  if (page === null) return null;
  const inputs = formInputs(page);
  const focused = inputs.findIndex((input) => input === document.activeElement);
  const caret = focused >= 0 && inputs[focused]!.type !== 'checkbox' ? inputs[focused]! : null;
  const heldButton = page.querySelector(`[${QUEUED_CLICK_ATTRIBUTE}]`);
  return {
    inputs: inputs.map((input) => ({ value: input.value, checked: input.checked })),
    focus: focused < 0 ? null : { index: focused, selectionStart: caret?.selectionStart ?? null, selectionEnd: caret?.selectionEnd ?? null },
    isSubmitQueued: page.querySelector(`form[${QUEUED_SUBMIT_ATTRIBUTE}]`) !== null,
    heldClick: heldButton === null ? null : buttonName(heldButton),
  };
}

/**
 * Clicks the app's button that has the name of the one clicked on the prerendered page (`heldClick`),
 * once the app shows the sign-in page: the language menu opens, the portal settings show. Nothing
 * when the app shows no such button (a session resumed, another screen).
 */
export function repeatHeldClick(root: HTMLElement, name: string): void {
  const button = Array.from(root.querySelectorAll<HTMLButtonElement>('button[type="button"]')).find((candidate) => buttonName(candidate) === name);
  button?.click();
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

/** The page's address with one query parameter set to `value`, or taken out (null); the rest (#…) kept. */
function withParameter(name: string, value: string | null): string {
  const url = new URL(location.href);
  if (value === null) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * The language shown, for the next first paint: in the page's own address when that names one
 * (`?locale=`, from Electron's main or browser mode's host), so a reload after a change of language is
 * served in the new one (without `?locale=`, the server follows the Language setting or the browser's languages).
 */
export function rememberFirstPaintLocale(locale: AppLocale): void {
  if (typeof location === 'undefined') return;
  const named = new URLSearchParams(location.search).get(LOCALE_PARAMETER);
  if (named !== null && named !== locale) history.replaceState(history.state, '', withParameter(LOCALE_PARAMETER, locale));
}

/**
 * `?resume=1` (an address that names it) is taken out of the page's address once the page no longer
 * resumes a session, so a reload after signing out paints the sign-in form at once. (The server of the
 * page knows whether it resumes: common/first-paint.ts.)
 */
export function forgetResuming(isResuming: boolean): void {
  if (typeof location === 'undefined') return;
  if (!isResuming && new URLSearchParams(location.search).has(RESUME_PARAMETER)) history.replaceState(history.state, '', withParameter(RESUME_PARAMETER, null));
}

/** The app has mounted: the page is the app's (the stylesheet no longer hides a prerendered form). */
export function endResuming(): void {
  document.documentElement.removeAttribute(RESUMING_ATTRIBUTE);
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
