/**
 * Where the offline copy's worker code is: in the built app the file electron-vite bundled on its
 * own for the `?modulePath` import; from source (tsx, Vitest) a small ES module that loads
 * `snapshot-worker.ts` through tsx. The same arrangement as the import's check worker
 * (import/check-worker-file.ts).
 */
export async function snapshotWorkerFile(): Promise<string | URL> {
  if (import.meta.env?.PROD) return (await import('./snapshot-worker?modulePath')).default;
  return new URL('./snapshot-worker-source.mjs', import.meta.url);
}
