import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { i18n } from './i18n';
import { reportUnexpectedErrors, setUnexpectedErrorNotifier } from './lib/unexpected-errors';
import { connectPortal } from './platform';
import { createAppVuetify } from './plugins/vuetify';
import { installPortal } from './services/portal';
import { useLanguageStore } from './stores/language';
import { useNotificationsStore } from './stores/notifications';

// The bridge first (Electron preload or the browser-mode WebSocket), then the UI on top of it.
async function main(): Promise<void> {
  installPortal(await connectPortal());
  const pinia = createPinia();
  const app = createApp(App).use(pinia).use(i18n).use(createAppVuetify());
  const notifications = useNotificationsStore(pinia);
  setUnexpectedErrorNotifier((message) => notifications.notify(message, 'error'));
  reportUnexpectedErrors(app);
  // The language first (the OS's or the chosen one, its messages loaded), so the first paint is in it.
  await useLanguageStore(pinia).load();
  app.mount('#app');
}

void main();
