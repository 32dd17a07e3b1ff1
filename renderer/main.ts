import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { connectPortal } from './platform';
import { createAppVuetify } from './plugins/vuetify';
import { installPortal } from './services/portal';

// The bridge first (Electron preload or the browser-mode WebSocket), then the UI on top of it.
async function main(): Promise<void> {
  installPortal(await connectPortal());
  createApp(App).use(createPinia()).use(createAppVuetify()).mount('#app');
}

void main();
