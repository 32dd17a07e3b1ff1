import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import electronFuses, { FuseV1Options, FuseVersion, type FuseConfig } from '@electron/fuses';
import { Arch } from 'electron-builder';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAfterPack, electronBinaryPath, FUSE_POLICY, type AfterPackContextLike, type FuseLibrary } from '../../../../build/after-pack.mjs';
import { ELECTRON_DEFAULT_WIRE, readFuseWire, writeFakeElectronBinary } from './support';

const ON = 0x31;
const OFF = 0x30;

function linuxContext(appOutDir: string, arch: number = Arch.x64): AfterPackContextLike {
  return { appOutDir, electronPlatformName: 'linux', arch, packager: { appInfo: { productFilename: 'Portal Admin' }, executableName: 'portal-admin' } };
}

/** @electron/fuses with flipFuses recorded and the wire read back as `wire`. */
function mockedFuses(wire: Record<string, number>): FuseLibrary & { flipFuses: ReturnType<typeof vi.fn> } {
  return {
    FuseV1Options,
    FuseVersion,
    flipFuses: vi.fn(async () => 1),
    getCurrentFuseWire: vi.fn(async () => ({ version: FuseVersion.V1, ...wire }) as unknown as FuseConfig<number>),
  } as FuseLibrary & { flipFuses: ReturnType<typeof vi.fn> };
}

const hardenedWire = (): Record<string, number> => ({
  [FuseV1Options.RunAsNode]: OFF,
  [FuseV1Options.EnableCookieEncryption]: ON,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: OFF,
  [FuseV1Options.EnableNodeCliInspectArguments]: OFF,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: ON,
  [FuseV1Options.OnlyLoadAppFromAsar]: ON,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: OFF,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: OFF,
  8: ON,
});

describe('afterPack fuses hook', () => {
  let directory: string | undefined;
  beforeEach(() => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined); // the hook's one line per build
  });
  afterEach(() => {
    vi.restoreAllMocks();
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });

  it('flips every fuse of the policy in one flipFuses call on the packed binary', async () => {
    const fuses = mockedFuses(hardenedWire());
    await createAfterPack(fuses)(linuxContext('/build/linux-unpacked'));
    expect(fuses.flipFuses).toHaveBeenCalledOnce();
    expect(fuses.flipFuses).toHaveBeenCalledWith(join('/build/linux-unpacked', 'portal-admin'), {
      version: FuseVersion.V1,
      resetAdHocDarwinSignature: false,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    });
  });

  it('the policy names every fuse @electron/fuses knows', () => {
    const named = Object.keys(FuseV1Options).filter((key) => Number.isNaN(Number(key)));
    expect(Object.keys(FUSE_POLICY).sort()).toEqual(named.sort());
  });

  it('finds the binary on each platform; re-signs ad hoc only for Apple Silicon (and universal) builds', async () => {
    const packager = { appInfo: { productFilename: 'Portal Admin' }, executableName: 'portal-admin' };
    expect(electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'darwin', packager })).toBe(join('/o', 'Portal Admin.app'));
    expect(electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'win32', packager })).toBe(join('/o', 'Portal Admin.exe'));
    expect(electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'linux', packager })).toBe(join('/o', 'portal-admin'));
    expect(() => electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'freebsd', packager })).toThrow(/no fuse rules/);

    for (const [arch, expected] of [[Arch.arm64, true], [Arch.universal, true], [Arch.x64, false]] as const) {
      const fuses = mockedFuses(hardenedWire());
      await createAfterPack(fuses)({ appOutDir: '/o', electronPlatformName: 'darwin', arch, packager });
      expect(fuses.flipFuses.mock.calls[0]?.[1], Arch[arch]).toMatchObject({ resetAdHocDarwinSignature: expected });
    }
  });

  it('fails the build when a fuse did not take, or Electron has a fuse nobody reviewed', async () => {
    const notTaken = { ...hardenedWire(), [FuseV1Options.RunAsNode]: ON };
    await expect(createAfterPack(mockedFuses(notTaken))(linuxContext('/o'))).rejects.toThrow(/RunAsNode should be off but is on/);
    const removed = { ...hardenedWire(), [FuseV1Options.EnableCookieEncryption]: 0x72 };
    await expect(createAfterPack(mockedFuses(removed))(linuxContext('/o'))).rejects.toThrow(/EnableCookieEncryption should be on but is removed/);
    const longer = { ...hardenedWire(), 9: ON };
    await expect(createAfterPack(mockedFuses(longer))(linuxContext('/o'))).rejects.toThrow(/10 fuses and only 9 are known/);
  });

  it('with the real @electron/fuses on a binary carrying Electron 45’s wire: the bytes end up as required', async () => {
    directory = mkdtempSync(join(tmpdir(), 'portal-admin-fuses-'));
    const binary = join(directory, 'portal-admin');
    writeFakeElectronBinary(binary);
    await createAfterPack(electronFuses)(linuxContext(directory));
    const wire = readFuseWire(binary);
    expect(wire).toEqual([OFF, ON, OFF, OFF, ON, ON, OFF, OFF, ELECTRON_DEFAULT_WIRE[8]]);
  });
});
