/** What the build step, the entry and the app share (no code, so nothing else is pulled in). */

/** On the root of each prerendered sign-in page, its language as value (`data-prerendered="de"`). */
export const PRERENDERED_ATTRIBUTE = 'data-prerendered';
/** Set on the prerendered form when it was submitted before the app started. */
export const QUEUED_SUBMIT_ATTRIBUTE = 'data-submit-queued';
/** Set on the prerendered page's button (language, portal settings, show password) last clicked before the app started. */
export const QUEUED_CLICK_ATTRIBUTE = 'data-click-queued';
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
