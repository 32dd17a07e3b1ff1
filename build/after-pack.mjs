// @ts-check
/**
 * electron-builder `afterPack` hook (electron-builder.yml): sets Electron's fuses in the packed
 * binary, then reads them back and fails the build unless every one is as below.
 *
 * Fuses are switches compiled into the Electron binary; flipping them after packing, before
 * signing, turns off features an attacker could use to run code as the signed app:
 *   RunAsNode off                       ELECTRON_RUN_AS_NODE=1 would turn the app into a plain Node
 *   EnableNodeOptionsEnvironmentVariable off   NODE_OPTIONS / NODE_EXTRA_CA_CERTS from the environment
 *   EnableNodeCliInspectArguments off   --inspect / SIGUSR1 would attach a debugger to main
 *   EnableEmbeddedAsarIntegrityValidation on   app.asar is checked against the hash electron-builder
 *                                       embeds (macOS, Windows; Linux has no embedded integrity)
 *   OnlyLoadAppFromAsar on              no loose resources/app folder next to app.asar is loaded
 *   EnableCookieEncryption on           the cookie store is encrypted with the OS key store
 *   GrantFileProtocolExtraPrivileges off   file:// gets no privileges (the app uses app://)
 *   LoadBrowserProcessSpecificV8Snapshot off   (Electron's default; set so every named fuse is explicit)
 *
 * ESM (.mjs) because package.json says "type": "module"; electron-builder loads hooks with
 * require() and falls back to import(). The fuse library is injected through createAfterPack so a
 * test can check the exact flipFuses call without an Electron binary.
 */
import { join } from 'node:path';
import electronFuses from '@electron/fuses';

/** Wanted state of every fuse @electron/fuses names, by its FuseV1Options name. */
export const FUSE_POLICY = Object.freeze({
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
});

/**
 * Fuses that newer Electron binaries have but @electron/fuses 1.8.0 cannot name or set: they keep
 * Electron's default. A wire longer than this list is an error, so a fuse added by a future
 * Electron is reviewed rather than silently left at its default (what strictlyRequireAllFuses would
 * do, except that 1.8.0 cannot satisfy it on Electron ≥ 43).
 */
export const UNNAMED_FUSES = Object.freeze({ 8: 'WasmTrapHandlers (Electron ≥ 43; default on, which is the safe state)' });

/** builder-util's Arch enum values (electron-builder passes numbers). */
const ARCH_ARM64 = 3;
const ARCH_UNIVERSAL = 4;

/**
 * The file whose fuse wire is flipped: the .app bundle on macOS (@electron/fuses finds the
 * framework inside), the renamed executable elsewhere.
 * @param {{ appOutDir: string, electronPlatformName: string, packager: { appInfo: { productFilename: string }, executableName?: string } }} context
 */
export function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(appOutDir, `${packager.appInfo.productFilename}.app`);
    case 'win32':
      return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
    case 'linux':
      if (!packager.executableName) throw new Error('afterPack: the Linux packager has no executableName');
      return join(appOutDir, packager.executableName);
    default:
      throw new Error(`afterPack: no fuse rules for platform "${electronPlatformName}"`);
  }
}

/**
 * @param {Pick<typeof electronFuses, 'flipFuses' | 'getCurrentFuseWire' | 'FuseV1Options' | 'FuseVersion'>} fuses
 */
export function createAfterPack(fuses) {
  const { flipFuses, getCurrentFuseWire, FuseV1Options, FuseVersion } = fuses;
  const ENABLE = 49; // FuseState.ENABLE: ASCII "1"
  const DISABLE = 48; // FuseState.DISABLE: ASCII "0"

  /** @param {import('./after-pack.d.mts').AfterPackContextLike} context */
  return async function afterPack(context) {
    const binary = electronBinaryPath(context);
    /** @type {Record<string, unknown>} */
    const config = {
      version: FuseVersion.V1,
      // Patching the binary breaks its ad-hoc signature; Apple Silicon refuses to run it unsigned.
      resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && (context.arch === ARCH_ARM64 || context.arch === ARCH_UNIVERSAL),
    };
    for (const [name, isOn] of Object.entries(FUSE_POLICY)) {
      const index = FuseV1Options[/** @type {keyof typeof FuseV1Options} */ (name)];
      if (typeof index !== 'number') throw new Error(`afterPack: @electron/fuses has no fuse named ${name}`);
      config[index] = isOn;
    }
    await flipFuses(binary, /** @type {import('@electron/fuses').FuseConfig} */ (/** @type {unknown} */ (config)));

    // Read back: a fuse that did not take (a removed fuse, a wrong file) fails the build.
    const wire = /** @type {Record<string, unknown>} */ (await getCurrentFuseWire(binary));
    const problems = [];
    for (const [name, isOn] of Object.entries(FUSE_POLICY)) {
      const index = FuseV1Options[/** @type {keyof typeof FuseV1Options} */ (name)];
      const state = wire[String(index)];
      if (state !== (isOn ? ENABLE : DISABLE)) problems.push(`${name} should be ${isOn ? 'on' : 'off'} but is ${describeState(state)}`);
    }
    const wireLength = Object.keys(wire).filter((key) => /^\d+$/.test(key)).length;
    const known = Object.keys(FUSE_POLICY).length + Object.keys(UNNAMED_FUSES).length;
    if (wireLength > known) {
      problems.push(`this Electron has ${wireLength} fuses and only ${known} are known here: review the new ones and update build/after-pack.mjs`);
    }
    if (problems.length > 0) throw new Error(`afterPack: the fuses of ${binary} are not as required: ${problems.join('; ')}`);
    console.log(`  • fuses set  file=${binary} ${Object.entries(FUSE_POLICY).map(([name, isOn]) => `${name}=${isOn ? 'on' : 'off'}`).join(' ')}`);
  };
}

/** @param {unknown} state */
function describeState(state) {
  if (state === 48) return 'off';
  if (state === 49) return 'on';
  if (state === 114) return 'removed from this Electron';
  return state === undefined ? 'missing from the fuse wire' : `in state ${String(state)}`;
}

export default createAfterPack(electronFuses);
