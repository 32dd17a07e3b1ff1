import { APP_LOCALES, chooseLocale, DEFAULT_LOCALE, type AppLocale } from '../../common/i18n/locale-choice';
import { LOCALE_HINT_KEY, LOCALE_PARAMETER, PRERENDERED_ATTRIBUTE, QUEUED_SUBMIT_ATTRIBUTE, RESUME_HINT_KEY, RESUME_PARAMETER, RESUMING_ATTRIBUTE } from './markers';

/**
 * The first-paint script: a small classic script in index.html's <head> (external, so the CSP stays
 * `script-src 'self'`), run before the body is parsed. It picks the language the prerendered sign-in
 * page is shown in, swaps that page in before anything is painted, and holds back a sign-in sent
 * before the app has started (the app sends it once it has taken the page over).
 *
 * The language, the first of:
 * - `?locale=` in the page address: Electron's main process loads the page with the language it
 *   resolved from the Language setting and the OS's languages (the app's own choice); browser mode's
 *   address has it when a Language setting is chosen;
 * - the language the app last showed in this browser profile (browser mode with a Language setting);
 * - the browser's languages, as the app's "Auto" does in browser mode.
 */
function isAppLocale(value: string | null): value is AppLocale {
  return value !== null && (APP_LOCALES as readonly string[]).includes(value);
}

function firstLocale(): AppLocale {
  const fromAddress = new URLSearchParams(location.search).get(LOCALE_PARAMETER);
  if (isAppLocale(fromAddress)) return fromAddress;
  try {
    const remembered = localStorage.getItem(LOCALE_HINT_KEY);
    if (isAppLocale(remembered)) return remembered;
  } catch {
    // Storage refused (a locked-down browser profile): fall through to the browser's languages.
  }
  return chooseLocale(navigator.languages ?? [navigator.language], APP_LOCALES, DEFAULT_LOCALE);
}

const locale = firstLocale();
document.documentElement.lang = locale;

/** Signed in, or a sign-in waiting for its code: the app shows that, so no sign-in form is shown before it. */
function isResuming(): boolean {
  if (new URLSearchParams(location.search).get(RESUME_PARAMETER) === '1') return true;
  try {
    return sessionStorage.getItem(RESUME_HINT_KEY) === '1';
  } catch {
    return false;
  }
}

if (isResuming()) document.documentElement.setAttribute(RESUMING_ATTRIBUTE, '');

/**
 * index.html holds English in #app and the other languages in <template>s before it. Once #app is
 * parsed (so every template before it is complete), the chosen language replaces English. A
 * MutationObserver's callback runs before the browser can render, so English is never painted
 * for a German page (the stylesheet also hides #app's English while <html lang> says otherwise).
 */
if (locale !== DEFAULT_LOCALE) {
  let isSwapped = false;
  const observer = new MutationObserver(() => {
    const app = document.getElementById('app');
    if (app === null) return;
    // English may still be arriving into #app after the swap: each piece of it is taken out again.
    for (const child of Array.from(app.children)) if (child.getAttribute(PRERENDERED_ATTRIBUTE) !== locale) child.remove();
    if (isSwapped) return;
    isSwapped = true;
    const template = document.querySelector<HTMLTemplateElement>(`template[${PRERENDERED_ATTRIBUTE}="${locale}"]`);
    if (template !== null) app.prepend(template.content.cloneNode(true));
  });
  observer.observe(document, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', () => observer.disconnect(), { once: true });
}

/** A sign-in sent from the prerendered form waits for the app (no form is ever posted by the browser). */
document.addEventListener(
  'submit',
  (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.closest(`[${PRERENDERED_ATTRIBUTE}]`) === null) return;
    event.preventDefault();
    form.setAttribute(QUEUED_SUBMIT_ATTRIBUTE, '');
  },
  true,
);
