// Types of build/after-pack.mjs for the TypeScript tests that import it (the hook itself stays
// plain JavaScript: electron-builder loads it directly, without a build step).
import type { flipFuses, getCurrentFuseWire, FuseV1Options, FuseVersion } from '@electron/fuses';

export interface AfterPackContextLike {
  appOutDir: string;
  electronPlatformName: string;
  /** builder-util's Arch enum value. */
  arch: number;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}

export interface FuseLibrary {
  flipFuses: typeof flipFuses;
  getCurrentFuseWire: typeof getCurrentFuseWire;
  FuseV1Options: typeof FuseV1Options;
  FuseVersion: typeof FuseVersion;
}

export declare const FUSE_POLICY: Readonly<Record<keyof typeof FuseV1Options, boolean>>;
export declare const UNNAMED_FUSES: Readonly<Record<number, string>>;
export declare function electronBinaryPath(context: Omit<AfterPackContextLike, 'arch'>): string;
export declare function createAfterPack(fuses: FuseLibrary): (context: AfterPackContextLike) => Promise<void>;
declare const afterPack: (context: AfterPackContextLike) => Promise<void>;
export default afterPack;
