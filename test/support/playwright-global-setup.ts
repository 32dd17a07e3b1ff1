import { repositoryRoot } from '../../scripts/demo-portal';
import { findElectronBinary } from '../../scripts/electron-available';
import { buildElectron, isElectronBuildStale } from '../../scripts/electron-build';
import { ensureRendererBuilt } from './browser-mode';

/**
 * Playwright's global setup: every build the specs use is made here, once, before any worker
 * starts, so workers running at the same time never build into out/ together (one would read a
 * half-written bundle). The specs' own build checks then find it fresh and build nothing.
 */
export default function globalSetup(): void {
  // The Electron specs launch out/main with out/renderer; they run only where Electron's binary is.
  if (findElectronBinary().isAvailable && isElectronBuildStale(repositoryRoot) && !buildElectron(repositoryRoot, { quiet: true })) {
    throw new Error('electron-vite build failed (run `npm run build:electron` to see why)');
  }
  // Browser mode serves out/renderer.
  ensureRendererBuilt();
}
