import { createPinia } from 'pinia';
import { createApp, nextTick, watch } from 'vue';
import App from './App.vue';
import { i18n } from './i18n';
import { endResuming, finishTakeOverAnimations, forgetResuming, readPrerenderedSignIn, repeatHeldClick, restoreEnteredSignIn } from './lib/prerendered-sign-in';
import { reportUnexpectedErrors, setUnexpectedErrorNotifier } from './lib/unexpected-errors';
import { connectPortal } from './platform';
import { createAppVuetify } from './plugins/vuetify';
import { installPortal } from './services/portal';
import { useAuthStore } from './stores/auth';
import { useLanguageStore } from './stores/language';
import { useNotificationsStore } from './stores/notifications';

/** Milestones of the start for `npm run bench:startup` (User Timing: visible in a performance trace, nothing else). */
function mark(name: string): void {
  performance.mark(`portal-admin:${name}`);
}

/**
 * The bridge first (Electron preload or the browser-mode WebSocket), then the UI on top of it. The page
 * imports this module once its first frame is painted (renderer/prerender/boot.ts).
 */
async function main(): Promise<void> {
  mark('scripts evaluated');
  // The WebSocket handshake (browser mode) runs while the app is being set up.
  const connecting = connectPortal();
  const pinia = createPinia();
  const app = createApp(App).use(pinia).use(i18n).use(createAppVuetify());
  const notifications = useNotificationsStore(pinia);
  setUnexpectedErrorNotifier((message) => notifications.notify(message, 'error'));
  reportUnexpectedErrors(app);
  installPortal(await connecting);
  mark('bridge open');
  // What the sign-in page shows (settings, session, offline accounts) is asked for together with the
  // language, so both answers arrive in one round trip; App.vue's own call joins this one.
  const starting = useAuthStore(pinia).init();
  // A failure is App.vue's to report (it runs the same call in the background).
  starting.then(() => mark('sign-in state known'), () => undefined);
  // The language first (the OS's or the chosen one, its messages loaded), so the first paint is in it.
  await useLanguageStore(pinia).load();
  mark('language ready');
  // The sign-in page index.html painted before the app started (prerendered at build time) is replaced
  // by the app's own, in this same task: what was typed there, the focus and a sign-in sent are kept.
  const root = document.getElementById('app')!;
  const entered = readPrerenderedSignIn(root);
  app.mount(root);
  mark('mounted');
  endResuming();
  // `?resume=1` leaves the address when the page no longer resumes (a reload after signing out shows the form).
  const auth = useAuthStore(pinia);
  watch(() => auth.step, (step) => step !== 'loading' && forgetResuming(step === 'signed_in' || step === 'second_factor'), { immediate: true });
  if (entered !== null) {
    for (const template of document.querySelectorAll('body > template')) template.remove();
    const form = restoreEnteredSignIn(root, entered);
    void finishTakeOverAnimations(root);
    // Sent once the sign-in page's state (portal, remembered account) is known.
    if (form !== null && entered.isSubmitQueued) starting.then(() => form.requestSubmit(), () => undefined);
    // Repeated on the page the sign-in state shows (rendered in the tick after that state is known).
    const { heldClick } = entered;
    if (heldClick !== null) starting.then(() => nextTick(), () => nextTick()).then(() => repeatHeldClick(root, heldClick), () => undefined);
  }
}

void main();
