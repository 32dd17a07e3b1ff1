import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRendererBuildStale, startBrowserMode, type BrowserModeHost } from '../../electron/browser-mode';
import type { TestPortal } from './portal';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const rendererDir = join(repositoryRoot, 'out', 'renderer');

/**
 * Builds the renderer into out/renderer when it is missing or older than its sources (about 2 s),
 * so an e2e spec always tests the current code without a separate build step. Under Playwright the
 * global setup (playwright-global-setup.ts) builds before any worker starts, so two specs running at
 * the same time find it fresh and never build together.
 */
export function ensureRendererBuilt(): string {
  if (!isRendererBuildStale({ repositoryRoot, outDir: rendererDir })) return rendererDir;
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [cli, 'build', '--logLevel', 'warn'], { cwd: repositoryRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
  return rendererDir;
}

/**
 * `npm test` runs inside a D-Bus session with an unlocked gnome-keyring and sets
 * PORTAL_ADMIN_SECRET_SERVICE=1: then the real OS keychain is used, as in the product. Run on its
 * own (no Secret Service), the spec falls back to the explicit in-memory store.
 */
export function keychainForTests(): 'os' | 'memory' {
  return process.env.PORTAL_ADMIN_SECRET_SERVICE === '1' ? 'os' : 'memory';
}

export interface TestBrowserMode {
  host: BrowserModeHost;
  profileDir: string;
  close(): Promise<void>;
}

/** The browser-mode host with the real services and gate, pointed at a test portal, in a temporary profile. */
export async function startTestBrowserMode(
  portal: Pick<TestPortal, 'url'> & { tls: Pick<TestPortal['tls'], 'certPath'> },
  options: { profileDir?: string; keychain?: 'os' | 'memory'; rendererDir?: string } = {},
): Promise<TestBrowserMode> {
  // A given profile outlives this host (an app restart); a temporary one is removed with it.
  const isOwnProfile = options.profileDir === undefined;
  const profileDir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'portal-admin-profile-'));
  try {
    const host = await startBrowserMode({
      // Another build (a benchmark's before/after), or this checkout's.
      rendererDir: options.rendererDir ?? ensureRendererBuilt(),
      userDataDir: profileDir,
      portal: { url: portal.url, caFile: portal.tls.certPath },
      keychain: options.keychain ?? keychainForTests(),
    });
    return {
      host,
      profileDir,
      async close() {
        await host.close();
        if (isOwnProfile) rmSync(profileDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (isOwnProfile) rmSync(profileDir, { recursive: true, force: true });
    throw error;
  }
}
