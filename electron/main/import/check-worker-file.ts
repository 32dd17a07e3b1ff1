/**
 * Where the check worker's code is.
 *
 * - Built app (`npm run build:electron`): electron-vite bundles `check-worker.ts` on its own
 *   because of the `?modulePath` import and answers with the path of that file next to
 *   out/main/index.cjs (electron-vite's documented way to start a worker_threads Worker).
 * - From source (tsx: `npm start` in development, the benchmarks; Vitest): a small ES module that
 *   loads `check-worker.ts` through tsx, since a worker thread does not inherit Vitest's transform.
 *
 * `import.meta.env` exists only where Vite built or serves the code; under tsx it is undefined.
 */
const SOURCE_BOOTSTRAP = './check-worker-source.mjs';

export async function checkWorkerFile(): Promise<string | URL> {
  if (import.meta.env?.PROD) return (await import('./check-worker?modulePath')).default;
  return new URL(SOURCE_BOOTSTRAP, import.meta.url);
}
