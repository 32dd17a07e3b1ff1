import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
// The renderer has one build configuration, shared with browser mode (`npm run build:web`).
import rendererConfig from './vite.config.ts';

const root = import.meta.dirname;

/**
 * `npm run build:electron` → out/main/index.cjs (package.json "main"), out/preload/index.cjs,
 * out/renderer/ (index.html + assets, served on app://portal-admin).
 *
 * Both Node bundles are CommonJS although package.json says "type": "module": a sandboxed
 * preload must be CommonJS, and the main bundle follows so `npm start` and the packaged app load
 * the same kind of file.
 */
export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // An input rather than `lib`: electron-vite 6's `?modulePath` (the check worker of the import)
      // builds its file with this same config, and under Vite 8 a `lib` build answers with a list of
      // outputs that it cannot read ("undefined is not iterable").
      rolldownOptions: {
        input: resolve(root, 'electron/main/index.ts'),
        output: { format: 'cjs', entryFileNames: 'index.cjs', chunkFileNames: 'chunks/[name]-[hash].cjs' },
      },
      // Dependencies stay in node_modules (electron-builder packs them); N-API modules cannot be bundled anyway.
      externalizeDeps: true,
      sourcemap: true,
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      lib: { entry: resolve(root, 'electron/preload/index.ts'), formats: ['cjs'], fileName: () => 'index.cjs' },
      // A sandboxed preload can require only 'electron' (and a few polyfilled modules): bundle the rest.
      externalizeDeps: false,
      isolatedEntries: true,
      minify: true,
    },
  },
  renderer: {
    ...rendererConfig,
    build: {
      ...rendererConfig.build,
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      // electron-vite leaves the renderer unminified by default (TOOLCHAIN.md P12).
      minify: true,
      rolldownOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
