// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';
import globals from 'globals';

/**
 * Import zones: imports flow one way, common/ <- everything else.
 * A wrong-direction import fails lint (and the split tsconfigs fail the type-check).
 */
const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'tls', 'child_process', 'url', 'stream'];
const zone = (/** @type {string[]} */ forbidden, /** @type {string} */ message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }] }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'coverage/**', 'test-results/**', 'playwright-report/**', '.data/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.ts', '**/*.vue'],
    languageOptions: {
      parser: vueParser,
      parserOptions: {
        parser: tseslint.parser,
        project: ['./tsconfig.node.json', './tsconfig.renderer.json'],
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.vue'],
        sourceType: 'module',
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['common/**/*.ts'],
    rules: zone(
      [...nodeBuiltins, 'electron', 'vue', 'vuetify', 'pinia', 'axios', 'fastify', 'better-sqlite3', '**/electron/**', '**/renderer/**', '**/server/**'],
      'common/ is pure TypeScript shared by every process: no Node, Electron, Vue or network imports.',
    ),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    rules: zone(
      [...nodeBuiltins, 'electron', 'axios', 'better-sqlite3', 'fastify', '**/electron/**', '**/server/**'],
      'The renderer talks only to window.portal: no Node, Electron, axios or server imports.',
    ),
  },
  {
    files: ['server/**/*.ts'],
    rules: zone(['electron', 'vue', 'vuetify', 'pinia', '**/electron/**', '**/renderer/**'], 'server/ never imports electron/ or renderer/.'),
  },
  {
    files: ['electron/**/*.ts'],
    rules: zone(['vue', 'vuetify', 'pinia', '**/renderer/**', '**/server/**', 'better-sqlite3'],
      'electron/ never imports renderer/ or server/ code, nor non-N-API native modules.'),
  },
  {
    // Only the shell, the entry and the preload touch Electron's API: the services stay testable in plain Node.
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/shell/**', 'electron/main/index.ts', 'electron/preload/**'],
    rules: zone(['electron', 'vue', 'vuetify', 'pinia', '**/renderer/**', '**/server/**', 'better-sqlite3'],
      'Only electron/main/shell/, electron/main/index.ts and the preload import electron; nothing here imports renderer/ or server/ code, nor non-N-API native modules.'),
  },
  {
    // The preload is a sandboxed bundle: it never pulls main-process code in.
    files: ['electron/preload/**/*.ts'],
    rules: zone(['vue', 'vuetify', 'pinia', '**/renderer/**', '**/server/**', 'better-sqlite3', '**/main/**', '../main/*'],
      'The preload imports only common/ and electron: never main-process, renderer or server code.'),
  },
  {
    files: ['**/*.js', '**/*.mjs', 'scripts/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Every word a component shows comes from the message files (renderer/i18n): text in templates
    // and the attributes people read or hear (labels, hints, tooltips, accessible names).
    files: ['renderer/**/*.vue'],
    rules: {
      'vue/no-bare-strings-in-template': [
        'error',
        {
          allowlist: ['(', ')', ',', '.', '&', '+', '-', '=', '*', '/', '#', '%', '!', '?', ':', '[', ']', '{', '}', '<', '>', '•', '·', '—', '–', '|', '→', '✓', '…'],
          attributes: {
            '/.+/': ['title', 'aria-label', 'aria-placeholder', 'aria-roledescription', 'aria-valuetext', 'label', 'placeholder', 'hint', 'text', 'messages', 'error-messages', 'alt', 'subtitle', 'prepend-text', 'append-text', 'suffix', 'prefix', 'no-data-text', 'loading-text'],
          },
          directives: ['v-text'],
        },
      ],
    },
  },
);
