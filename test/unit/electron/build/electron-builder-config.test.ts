/**
 * electron-builder.yml, read by electron-builder's own loader and validated against its schema:
 * what must hold for Portal Admin to ship, since packaging itself cannot run on these machines.
 * (packaged-app.test.ts then packs a Linux folder with a stand-in Electron to see the result.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import type { Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import { isElectronBuildStale } from '../../../../scripts/electron-build';
import { filePatterns, loadBuilderConfig, mainProcessImports, packageFolderMatcher, repositoryRoot, runtimePackageFolders } from './support';

let config: Configuration;
beforeAll(async () => {
  config = await loadBuilderConfig();
});

const targetsOf = (platform: { target?: unknown } | null | undefined): string[] => {
  const target = platform?.target;
  const list = Array.isArray(target) ? target : target ? [target] : [];
  return list.map((entry) => (typeof entry === 'string' ? entry : (entry as { target: string }).target));
};

describe('electron-builder.yml', () => {
  it('is the only configuration: package.json has no "build" key', () => {
    const pkg = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).not.toHaveProperty('build');
    expect(pkg.main).toBe('out/main/index.cjs');
  });

  it('names the app and keeps its resources in build/ and its output in dist/', () => {
    expect(config).toMatchObject({
      appId: 'com.portaladmin.desktop',
      productName: 'Portal Admin',
      directories: { buildResources: 'build', output: 'dist' },
      publish: null,
    });
  });

  it('targets: NSIS on Windows, a dmg on macOS, AppImage and deb on Linux', () => {
    expect(targetsOf(config.win)).toEqual(['nsis']);
    expect(targetsOf(config.mac)).toEqual(['dmg']);
    expect(targetsOf(config.linux)).toEqual(['AppImage', 'deb']);
  });

  it('Windows installs per user: no administrator rights, no elevation', () => {
    // oneClick: the assisted installer would offer "for all users", which needs elevation.
    expect(config.nsis).toMatchObject({ oneClick: true, perMachine: false, allowElevation: false });
    expect(config.nsis).not.toHaveProperty('allowToChangeInstallationDirectory');
  });

  it('macOS uses the hardened runtime with the entitlements in build/, which only allow JIT', () => {
    expect(config.mac).toMatchObject({
      hardenedRuntime: true,
      entitlements: 'build/entitlements.mac.plist',
      entitlementsInherit: 'build/entitlements.mac.plist',
    });
    const plist = readFileSync(join(repositoryRoot, 'build', 'entitlements.mac.plist'), 'utf8');
    const granted = [...plist.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((match) => match[1]);
    expect(granted).toEqual(['com.apple.security.cs.allow-jit']);
  });

  it('Linux: a desktop category and a maintainer for the deb', () => {
    expect(['Utility', 'Office']).toContain(config.linux?.category);
    expect(config.linux?.maintainer).toMatch(/^[^<>]+ <[^@\s<>]+@[^@\s<>]+>$/);
  });

  it('icons exist where each platform looks for them', () => {
    expect(config.mac?.icon).toBe('build/icon.png');
    expect(config.win?.icon).toBe('build/icon.png');
    expect(config.linux?.icon).toBe('build/icons');
    expect(existsSync(join(repositoryRoot, 'build', 'icon.png'))).toBe(true);
    expect(existsSync(join(repositoryRoot, 'build', 'icons', '512x512.png'))).toBe(true);
  });

  it('packs into an asar, with native .node files unpacked beside it', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(['**/*.node']);
  });

  it('never rebuilds native modules (only N-API ones are packed; a rebuild would break the server, TOOLCHAIN P4)', () => {
    expect(config).toMatchObject({ npmRebuild: false, nodeGypRebuild: false, buildDependenciesFromSource: false });
  });

  it('files: the build and package.json, no source maps, and node_modules closed by default', () => {
    const patterns = filePatterns(config);
    expect(patterns.slice(0, 4)).toEqual(['package.json', 'out/**', '!out/**/*.map', '!node_modules/**']);
    expect(patterns.slice(-2).every((pattern) => pattern.startsWith('!node_modules/**/'))).toBe(true);
    // Nothing but out/, package.json and single packages is ever included: no server/, test/,
    // bench/, renderer sources, docs, .data, scripts or a catch-all.
    const positive = patterns.filter((pattern) => !pattern.startsWith('!'));
    for (const pattern of positive) expect(pattern === 'package.json' || pattern === 'out/**' || packageFolderMatcher(pattern) !== null, pattern).toBe(true);
  });

  it('files: exactly the packages the main process needs at run time (and what they need)', () => {
    const matchers = filePatterns(config)
      .filter((pattern) => pattern.startsWith('node_modules/'))
      .map((pattern) => ({ pattern, matches: packageFolderMatcher(pattern)! }));
    const needed = runtimePackageFolders();
    const missing = needed.filter((folder) => !matchers.some(({ matches }) => matches(folder)));
    expect(missing, 'packages the app loads but electron-builder.yml leaves out: add a node_modules/<name>/** line each').toEqual([]);
    const unused = matchers.filter(({ matches }) => !needed.some((folder) => matches(folder))).map(({ pattern }) => pattern);
    expect(unused, 'patterns for packages the app no longer loads: remove them').toEqual([]);
    for (const serverOnly of ['better-sqlite3', 'fastify', '@fastify/swagger', 'selfsigned', 'otpauth', 'tsx', 'ws', 'vue', 'vuetify', 'pinia']) {
      expect(needed, serverOnly).not.toContain(`node_modules/${serverOnly}`);
    }
  });

  // A cross-check of the source walk above against the bundle, when out/ is built from the current sources.
  it.skipIf(isElectronBuildStale(repositoryRoot))('the built main bundle requires exactly the packages found from the sources', () => {
    const bundle = readFileSync(join(repositoryRoot, 'out', 'main', 'index.cjs'), 'utf8');
    const required = new Set<string>();
    // require("x"), and the keychain module's lazy createRequire(…)("x") (loaded on first use).
    for (const match of bundle.matchAll(/\brequire\("([^"]+)"\)|\.createRequire\)\([^;]*?\)\("([^"]+)"\)/g)) {
      const name = (match[1] ?? match[2])!;
      // A relative require is the bundle's own chunk (the phone worker), not a package.
      if (name.startsWith('node:') || name.startsWith('./') || isBuiltin(name) || name === 'electron') continue;
      required.add(name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!);
    }
    expect([...required].sort()).toEqual(mainProcessImports());
  });

  it('the fuses hook runs after packing and exports a function', async () => {
    expect(config.afterPack).toBe('./build/after-pack.mjs');
    const hook = (await import('../../../../build/after-pack.mjs')) as { default: unknown };
    expect(typeof hook.default).toBe('function');
  });
});
