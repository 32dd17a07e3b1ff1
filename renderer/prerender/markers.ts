/** What the build step, the first-paint script and the app share (no code, so nothing else is pulled in). */

/** On the root of each prerendered sign-in page, its language as value (`data-prerendered="de"`). */
export const PRERENDERED_ATTRIBUTE = 'data-prerendered';
/** Set on the prerendered form when it was submitted before the app started. */
export const QUEUED_SUBMIT_ATTRIBUTE = 'data-submit-queued';
/** localStorage: the language the app showed last (a hint for the next first paint only). */
export const LOCALE_HINT_KEY = 'portal-admin:locale';
/** The page address's parameter naming the language of the first paint (`?locale=de`). */
export const LOCALE_PARAMETER = 'locale';
/**
 * The page resumes a session or a sign-in waiting for its code, so the prerendered sign-in form must
 * not be shown: `?resume=1` in the page address (Electron's main, which knows), or this sessionStorage
 * key (written by the app for a reload of the same tab or window).
 */
export const RESUME_PARAMETER = 'resume';
export const RESUME_HINT_KEY = 'portal-admin:resume';
/** On <html> while the page resumes and the app has not mounted yet: the prerendered form is hidden. */
export const RESUMING_ATTRIBUTE = 'data-resuming';

/** The sign-in page rendered at build time in one language (renderer/prerender/sign-in-page.ts). */
export interface PrerenderedSignIn {
  /** The page's markup, for `<div id="app">`. */
  html: string;
  /** Vuetify's theme stylesheet for the theme the page was rendered in (light). */
  themeCss: string;
  /** The same for the dark theme, applied by the page's stylesheet when the OS is dark. */
  darkThemeCss: string;
}

/** The portal address the prerendered page is rendered with (`.invalid` never resolves); its line is hidden. */
export const PORTAL_STAND_IN_HOST = 'portal.invalid';
