import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import vuetify from 'vite-plugin-vuetify';
import { pruneVuetifyUtilities } from './scripts/prune-vuetify-utilities.ts';
import { prerenderSignIn } from './scripts/prerender-sign-in.ts';

/**
 * vue-i18n's feature flags: Composition API only (no legacy API), no global components (so a
 * component imports `I18nT` for `<i18n-t>`), no devtools hooks in the bundle. The renderer's
 * component tests use the same flags (vitest.config.ts), so they see what ships.
 */
export const VUE_I18N_FLAGS = { __VUE_I18N_LEGACY_API__: 'false', __VUE_I18N_FULL_INSTALL__: 'false', __INTLIFY_PROD_DEVTOOLS__: 'false' };

/**
 * The renderer build (`npm run build:web` → out/renderer), served by browser mode. The Electron
 * build (electron.vite.config.ts) uses the same renderer settings.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  // Relative asset URLs: the same bundle works under http://127.0.0.1:PORT/ and app://.
  base: './',
  // Every component (ours, Vuetify's, vue-i18n's) uses the Composition API: Vue's Options API is left out of the bundle.
  // The sign-in page is prerendered into index.html at build time (scripts/prerender-sign-in.ts).
  plugins: [vue({ features: { optionsAPI: false } }), vuetify({ autoImport: true }), prerenderSignIn({ define: VUE_I18N_FLAGS })],
  define: VUE_I18N_FLAGS,
  css: { postcss: { plugins: [pruneVuetifyUtilities(fileURLToPath(new URL('.', import.meta.url)))] } },
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    // Unminified, Vuetify doubles the bundle (TOOLCHAIN.md P12).
    minify: true,
  },
});
