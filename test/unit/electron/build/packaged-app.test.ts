/**
 * electron-builder.yml for real: electron-builder packs a Linux app folder from the repository
 * itself (the real build in out/, the real node_modules and lock file, the server, tests and docs
 * beside them as decoys), with a stand-in for the Electron binary (these machines cannot download Electron; the
 * stand-in carries Electron 45's fuse wire, so the afterPack hook runs with the real
 * @electron/fuses). Then: what is in app.asar, what is unpacked beside it, how the fuses are set.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FuseV1Options } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron, isElectronBuildStale } from '../../../../scripts/electron-build';
import { ELECTRON_DEFAULT_WIRE, readFuseWire, repositoryRoot, runtimePackageFolders, writeFakeElectronDist } from './support';

interface AsarModule {
  listPackage(archive: string, options?: { isPack: boolean }): string[];
  statFile(archive: string, path: string): { unpacked?: boolean; size?: number };
}

const ON = 0x31;
const OFF = 0x30;
let work: string;
let appDir: string;
let build: { status: number | null; output: string };

const asar = (): AsarModule => createRequire(createRequire(join(repositoryRoot, 'package.json')).resolve('electron-builder/package.json'))('@electron/asar') as AsarModule;

describe.skipIf(process.platform === 'win32')('the packed app (electron-builder --linux dir, stand-in Electron)', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'portal-admin-pack-'));
    if (isElectronBuildStale(repositoryRoot) && !buildElectron(repositoryRoot, { quiet: true })) throw new Error('electron-vite build failed');
    writeFakeElectronDist(join(work, 'electron-dist'));
    const cli = join(dirname(createRequire(join(repositoryRoot, 'package.json')).resolve('electron-builder/package.json')), 'cli.js');
    const result = spawnSync(
      process.execPath,
      [cli, '--linux', 'dir', '--publish', 'never', `-c.directories.output=${join(work, 'dist')}`, `-c.electronDist=${join(work, 'electron-dist')}`],
      { cwd: repositoryRoot, encoding: 'utf8', env: { ...process.env, ELECTRON_BUILDER_CACHE: join(work, 'cache'), CI: '1' } },
    );
    build = { status: result.status, output: `${result.stdout}\n${result.stderr}` };
    appDir = join(work, 'dist', 'linux-unpacked');
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('electron-builder packs it, and the afterPack hook reports the fuses', () => {
    expect(build.status, build.output).toBe(0);
    expect(build.output).toContain('fuses set');
  });

  it('app.asar holds the build and package.json, and none of the sources, server, tests, docs, data or maps', () => {
    const archive = join(appDir, 'resources', 'app.asar');
    const files = asar().listPackage(archive, { isPack: false }).map((path) => path.split('\\').join('/'));
    const outside = files.filter((path) => !path.startsWith('/node_modules'));
    expect(outside).toEqual(expect.arrayContaining(['/package.json', '/out/main/index.cjs', '/out/preload/index.cjs', '/out/renderer/index.html']));
    // Only the build and package.json: none of server/, test/, bench/, docs/, renderer/ sources, .data, README …
    expect(outside.filter((path) => path !== '/package.json' && path !== '/out' && !path.startsWith('/out/'))).toEqual([]);
    expect(files.filter((path) => /\.(map|d\.ts)$/.test(path) || /\/(README|CHANGELOG|HISTORY)[^/]*\.md$/i.test(path))).toEqual([]);
  });

  it('every packed dependency keeps its licence files', () => {
    const files = new Set(asar().listPackage(join(appDir, 'resources', 'app.asar'), { isPack: false }).map((path) => path.split('\\').join('/')));
    const licences = runtimePackageFolders().flatMap((folder) =>
      readdirSync(join(repositoryRoot, folder))
        .filter((name) => /^licen[cs]e/i.test(name))
        .map((name) => `/${folder}/${name}`),
    );
    expect(licences.length).toBeGreaterThan(20);
    expect(licences.filter((path) => !files.has(path))).toEqual([]);
  });

  it('node_modules in the app: exactly the main process’s run-time packages — no better-sqlite3, Fastify or dev tools', () => {
    const files = asar().listPackage(join(appDir, 'resources', 'app.asar'), { isPack: false }).map((path) => path.split('\\').join('/'));
    const packed = new Set<string>();
    for (const path of files) {
      const match = /^\/(node_modules\/(?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(path);
      if (match) packed.add(match[1]!);
    }
    expect([...packed].sort()).toEqual(runtimePackageFolders());
    for (const serverOnly of ['better-sqlite3', 'fastify', 'tsx', 'esbuild', 'vue', 'vuetify', 'ws', 'selfsigned']) {
      expect(files.some((path) => path.startsWith(`/node_modules/${serverOnly}/`)), serverOnly).toBe(false);
    }
  });

  it('native .node files are unpacked beside the archive, not inside it', () => {
    const archive = join(appDir, 'resources', 'app.asar');
    const nativeFiles = asar().listPackage(archive, { isPack: false }).filter((path) => path.endsWith('.node'));
    expect(nativeFiles.length).toBeGreaterThan(0); // @napi-rs/keyring's binary for this platform
    for (const path of nativeFiles) {
      expect(asar().statFile(archive, path.replace(/^[/\\]/, '')).unpacked, path).toBe(true);
      expect(readFileSync(join(appDir, 'resources', 'app.asar.unpacked', path)).length).toBeGreaterThan(0);
    }
  });

  it('the packed binary’s fuses are set as required; the one unnamed fuse keeps Electron’s default', () => {
    const wire = readFuseWire(join(appDir, 'portal-admin'));
    const expected: Record<number, number> = {
      [FuseV1Options.RunAsNode]: OFF,
      [FuseV1Options.EnableCookieEncryption]: ON,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: OFF,
      [FuseV1Options.EnableNodeCliInspectArguments]: OFF,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: ON,
      [FuseV1Options.OnlyLoadAppFromAsar]: ON,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: OFF,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: OFF,
      8: ELECTRON_DEFAULT_WIRE[8]!,
    };
    expect(wire).toEqual(Object.keys(expected).map((index) => expected[Number(index)]));
  });
});
