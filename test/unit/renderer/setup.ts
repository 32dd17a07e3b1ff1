import { config } from '@vue/test-utils';
import { setActivePinia } from 'pinia';
import { afterAll } from 'vitest';
import type { App, Plugin } from 'vue';
import { setLocale } from '../../../renderer/i18n';

/**
 * Setup for the renderer's component tests (happy-dom). Vuetify 4's overlays (VDialog, VMenu)
 * read `window.visualViewport`, which happy-dom does not have (TOOLCHAIN P9).
 */
const scope = globalThis as unknown as { visualViewport?: unknown };
scope.visualViewport ??= Object.assign(new EventTarget(), {
  width: 1024,
  height: 768,
  offsetLeft: 0,
  offsetTop: 0,
  pageLeft: 0,
  pageTop: 0,
  scale: 1,
  onresize: null,
  onscroll: null,
  onscrollend: null,
});

/*
 * The renderer's test files share one module graph and one window (the project runs without
 * isolation), so a file leaves nothing behind for the next: a component still mounted would keep
 * reacting (to a language change, to the window's online/offline events) and make its own Pinia the
 * active one again, under the next file's stores. Every app mounted in a file is unmounted when the
 * file ends, and the language goes back to English. Within a file, tests clean up as they choose.
 */
const mounted = new Set<App>();
const trackMounted: Plugin & { tracksMountedApps: true } = {
  tracksMountedApps: true,
  install(app: App) {
    mounted.add(app);
    app.onUnmount(() => mounted.delete(app));
  },
};
// The Test Utils module (and its config) outlives a file: the previous file's tracker gives way to this one.
config.global.plugins = [...config.global.plugins.filter((plugin) => !('tracksMountedApps' in plugin)), trackMounted];

afterAll(async () => {
  for (const app of [...mounted]) app.unmount();
  mounted.clear();
  setActivePinia(undefined);
  document.body.innerHTML = '';
  await setLocale('en');
});

export {};
