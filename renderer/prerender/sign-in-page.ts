import { createPinia } from 'pinia';
import type { Settings } from '../../common/ipc';
import { createSSRApp } from 'vue';
import { renderToString } from 'vue/server-renderer';
import type { AppLocale } from '../../common/i18n/locale-choice';
import App from '../App.vue';
import { i18n, setLocale } from '../i18n';
import { createAppVuetify } from '../plugins/vuetify';
import { useAuthStore } from '../stores/auth';
import { useSettingsStore } from '../stores/settings';
import { PORTAL_STAND_IN_HOST, type PrerenderedSignIn } from './markers';

/**
 * The sign-in page as the app renders it at its first start, rendered to HTML at build time
 * (scripts/prerender-sign-in.ts puts it into index.html): the real App, SignInView and
 * CredentialsForm, with the sign-in state known to be "credentials" and nothing remembered yet
 * (no portal address, no e-mail, no token: the build knows none of them). The app replaces it
 * when it starts (lib/prerendered-sign-in.ts).
 */
/** Settings as on a configured computer; only the portal address is shown, and it is a stand-in. */
const PRERENDER_SETTINGS: Settings = {
  portalUrl: `https://${PORTAL_STAND_IN_HOST}`,
  caFile: null,
  certificatePin: null,
  rememberMe: false,
  isDemoPortal: false,
  privacyMode: false,
  offlineCopyDays: 30,
};

export async function renderSignInPage(locale: AppLocale): Promise<PrerenderedSignIn> {
  await setLocale(locale);
  const pinia = createPinia();
  const vuetify = createAppVuetify();
  const app = createSSRApp(App).use(pinia).use(i18n).use(vuetify);
  // Unique ids per language: the four pages sit in one document (three of them in <template>s).
  app.config.idPrefix = `prerendered-${locale}`;
  useAuthStore(pinia).step = 'credentials';
  // The portal line holds a stand-in address: the build hides the line, keeping its height, so the
  // form does not move when the app fills in the real one.
  useSettingsStore(pinia).settings = { ...PRERENDER_SETTINGS };
  const html = await renderToString(app);
  await vuetify.theme.change('light');
  const themeCss = vuetify.theme.styles.value;
  await vuetify.theme.change('dark');
  const darkThemeCss = vuetify.theme.styles.value;
  return { html, themeCss, darkThemeCss };
}
