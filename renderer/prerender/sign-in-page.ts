import { createPinia } from 'pinia';
import { createSSRApp } from 'vue';
import { renderToString } from 'vue/server-renderer';
import type { AppLocale } from '../../common/i18n/locale-choice';
import App from '../App.vue';
import { i18n, setLocale } from '../i18n';
import { createAppVuetify } from '../plugins/vuetify';
import { useAuthStore } from '../stores/auth';
import type { PrerenderedSignIn } from './markers';

/**
 * The sign-in page as the app renders it at its first start, rendered to HTML at build time
 * (scripts/prerender-sign-in.ts puts it into index.html): the real App, SignInView and
 * CredentialsForm, with the sign-in state known to be "credentials" and nothing remembered yet
 * (no portal address, no e-mail, no token: the build knows none of them). The app replaces it
 * when it starts (lib/prerendered-sign-in.ts).
 */
export async function renderSignInPage(locale: AppLocale): Promise<PrerenderedSignIn> {
  await setLocale(locale);
  const pinia = createPinia();
  const vuetify = createAppVuetify();
  const app = createSSRApp(App).use(pinia).use(i18n).use(vuetify);
  // Unique ids per language: the four pages sit in one document (three of them in <template>s).
  app.config.idPrefix = `prerendered-${locale}`;
  useAuthStore(pinia).step = 'credentials';
  const html = await renderToString(app);
  vuetify.theme.change('light');
  const themeCss = vuetify.theme.styles.value;
  vuetify.theme.change('dark');
  const darkThemeCss = vuetify.theme.styles.value;
  return { html, themeCss, darkThemeCss };
}
