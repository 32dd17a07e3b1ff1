import { availableParallelism } from 'node:os';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';
import { VUE_I18N_FLAGS } from './vite.config.ts';

/**
 * Vuetify's components import their stylesheets (117 of them). The renderer tests do not apply CSS
 * (Vitest's default), so in the pre-bundled Vuetify they are empty: one module instead of 117
 * requests per test file.
 */
const noStylesheets = {
  name: 'portal-admin:no-stylesheets-in-tests',
  resolveId: (id: string) => (id.endsWith('.css') ? '\0no-stylesheet' : null),
  load: (id: string) => (id === '\0no-stylesheet' ? '' : null),
};

// Two projects: code that runs in Node (common, electron main, server) and the renderer (DOM).
export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores, i.e. one file at a time on 2 cores. Most
    // files here wait (portal processes, TLS, scrypt in child processes, timers), so two at a time
    // keeps both cores busy (three were tried: no faster on CI's 2 cores).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/unit/{common,electron,server}/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/security/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // One throwaway PostgreSQL cluster per run, for the server tests' PostgreSQL half.
          globalSetup: ['test/support/postgres-global-setup.ts'],
        },
      },
      {
        // .vue components need the Vue plugin; Vuetify ships CSS imports that must go through Vite.
        plugins: [vue()],
        // The app's build flags (vite.config.ts), so components are tested as they are shipped.
        define: VUE_I18N_FLAGS,
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/unit/renderer/**/*.test.ts'],
          setupFiles: ['test/unit/renderer/setup.ts'],
          // The files share one module graph and one window per worker: Vue, Vuetify, vue-i18n and the app's
          // modules load once instead of once per file (half the project's CPU). The setup file makes each
          // file leave nothing behind (mounted apps, the active Pinia, the language).
          isolate: false,
          // Vuetify goes through Vite (its CSS imports), and so do the pre-bundled packages (node_modules/.vite/vitest).
          server: { deps: { inline: ['vuetify', /\/node_modules\/\.vite\/vitest\//] } },
          // The packages every component test loads, pre-bundled once per run into a few modules instead of
          // hundreds per test file. Vue itself stays Node's own copy (Vitest never bundles it), which the
          // bundles import. A Vuetify entry the renderer starts importing belongs in this list: loaded
          // unbundled beside the bundle, it would be a second Vuetify with injection keys of its own.
          deps: {
            optimizer: {
              client: {
                enabled: true,
                include: [
                  'vue-i18n', 'pinia', '@vue/test-utils',
                  'vuetify', 'vuetify/components', 'vuetify/locale', 'vuetify/locale/adapters/vue-i18n', 'vuetify/iconsets/mdi-svg',
                ],
                rolldownOptions: { transform: { define: VUE_I18N_FLAGS }, plugins: [noStylesheets] },
              },
            },
          },
          testTimeout: 15_000,
        },
      },
    ],
  },
});
