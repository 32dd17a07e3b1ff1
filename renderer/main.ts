import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { reportUnexpectedErrors, setUnexpectedErrorNotifier } from './lib/unexpected-errors';
import { connectPortal } from './platform';
import { createAppVuetify } from './plugins/vuetify';
import { installPortal } from './services/portal';
import { useNotificationsStore } from './stores/notifications';

// The bridge first (Electron preload or the browser-mode WebSocket), then the UI on top of it.
async function main(): Promise<void> {
  installPortal(await connectPortal());
  const pinia = createPinia();
  const app = createApp(App).use(pinia).use(createAppVuetify());
  const notifications = useNotificationsStore(pinia);
  setUnexpectedErrorNotifier((message) => notifications.notify(message, 'error'));
  reportUnexpectedErrors(app);
  app.mount('#app');
}

void main();
