import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the renderer bundle is built from, relative to the repository root. */
export const RENDERER_SOURCES = ['renderer', 'common', 'vite.config.ts'] as const;

/** The newest modification time of a file, or of anything below a folder (0 when missing). */
export function newestModification(path: string): number {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs; // a deleted file changes its folder's time
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestModification(join(path, entry)));
  }
  return newest;
}

/** True when `outDir/index.html` is missing or older than any renderer source. */
export function isRendererBuildStale(options: { repositoryRoot: string; outDir: string }): boolean {
  let built: number;
  try {
    built = statSync(join(options.outDir, 'index.html')).mtimeMs;
  } catch {
    return true;
  }
  return RENDERER_SOURCES.some((source) => newestModification(join(options.repositoryRoot, source)) > built);
}
