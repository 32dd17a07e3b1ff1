/**
 * Helpers for the packaging tests: electron-builder's own configuration loader, the packages the
 * Electron main process needs at run time, and a stand-in Electron binary with a fuse wire.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import type { Configuration } from 'electron-builder';

export const repositoryRoot = resolve(import.meta.dirname, '..', '..', '..', '..');

/** app-builder-lib, resolved as electron-builder itself resolves it (it is not a direct dependency). */
function requireFromElectronBuilder(): NodeJS.Require {
  const electronBuilder = createRequire(join(repositoryRoot, 'package.json')).resolve('electron-builder/package.json');
  return createRequire(electronBuilder);
}

interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: Configuration | null): Promise<Configuration>;
  validateConfiguration(config: Configuration, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
}

/**
 * electron-builder.yml as electron-builder reads it (its loader, its YAML parser, merged with
 * package.json the way a build merges it), and checked against electron-builder's JSON schema.
 */
export async function loadBuilderConfig(projectDir = repositoryRoot): Promise<Configuration> {
  const configModule = requireFromElectronBuilder()('app-builder-lib/out/util/config/config.js') as ConfigModule;
  const config = await configModule.getConfig(projectDir, null, null);
  await configModule.validateConfiguration(config, { isEnabled: false, add: () => undefined });
  return config;
}

/** The `files` patterns, whether written as a list or electron-builder's normalised [{filter}]. */
export function filePatterns(config: Configuration): string[] {
  const files = config.files;
  const entries = Array.isArray(files) ? files : files ? [files] : [];
  return entries.flatMap((entry) => {
    if (typeof entry === 'string') return [entry];
    const filter = entry.filter;
    return Array.isArray(filter) ? filter : filter ? [filter] : [];
  });
}

const importPattern = /(?:^|[;\s])(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolveSourceFile(fromFile: string, specifier: string): string | null {
  const base = resolve(dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') && existsSync(candidate)) return candidate;
  }
  return null;
}

function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/**
 * Packages that the Electron main bundle loads at run time: every bare import reachable from
 * electron/main/index.ts through relative imports (electron-vite keeps them external), minus
 * Electron and Node's built-ins. The preload and the renderer are bundled whole, so they add none.
 */
export function mainProcessImports(entry = join(repositoryRoot, 'electron', 'main', 'index.ts')): string[] {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(importPattern)) {
      // A bundler query (`./check-worker?modulePath`: a worker built as its own file) names the same source.
      const specifier = (match[1] ?? match[2] ?? match[3]!).replace(/\?[\w&=]*$/, '');
      if (specifier.startsWith('.')) {
        const target = resolveSourceFile(file, specifier);
        if (!target) throw new Error(`${relative(repositoryRoot, file)} imports ${specifier}, which is not a .ts file here`);
        queue.push(target);
      } else if (!isBuiltin(specifier) && specifier !== 'electron' && !specifier.startsWith('electron/')) {
        packages.add(packageNameOf(specifier));
      }
    }
  }
  return [...packages].sort();
}

/** Node's lookup (node_modules folders upwards); require.resolve cannot, as "exports" may hide package.json. */
function findPackageManifest(name: string, fromDir: string): string | null {
  for (let directory = fromDir; ; directory = dirname(directory)) {
    const candidate = join(directory, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(directory) === directory) return null;
  }
}

/**
 * The installed package folders (relative to the repository, e.g. `node_modules/axios`) that the
 * main process needs: the imports above and, recursively, their dependencies and installed
 * optional dependencies, resolved the way Node resolves them.
 */
export function runtimePackageFolders(roots = mainProcessImports()): string[] {
  const folders = new Set<string>();
  const visit = (name: string, fromDir: string, isOptional: boolean): void => {
    const manifest = findPackageManifest(name, fromDir);
    if (!manifest) {
      if (isOptional) return; // another platform's binary package, not installed here
      throw new Error(`${name} (needed from ${relative(repositoryRoot, fromDir) || '.'}) is not installed`);
    }
    const folder = dirname(manifest);
    const key = relative(repositoryRoot, folder).split('\\').join('/');
    if (folders.has(key)) return;
    folders.add(key);
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    for (const dependency of Object.keys(pkg.dependencies ?? {})) visit(dependency, folder, false);
    for (const dependency of Object.keys(pkg.optionalDependencies ?? {})) visit(dependency, folder, true);
  };
  for (const root of roots) visit(root, repositoryRoot, false);
  return [...folders].sort();
}

/** `node_modules/<glob>/**` → a test for a package folder; only `*` inside a name is supported. */
export function packageFolderMatcher(pattern: string): ((folder: string) => boolean) | null {
  const match = /^node_modules\/(.+)\/\*\*$/.exec(pattern);
  if (!match) return null;
  const source = match[1]!.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*');
  const regex = new RegExp(`^node_modules/${source}$`);
  return (folder) => regex.test(folder);
}

export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ON = 0x31;
const OFF = 0x30;
/**
 * Electron 45's fuse wire as shipped (build/fuses/fuses.json5): RunAsNode on, cookie encryption
 * off, NODE_OPTIONS on, inspect on, asar integrity off, only-asar off, V8 snapshot off,
 * file-protocol privileges on, and a ninth fuse (WasmTrapHandlers) on.
 */
export const ELECTRON_DEFAULT_WIRE = [ON, OFF, ON, ON, OFF, OFF, OFF, ON, ON];

/** A file that is not Electron but carries a fuse wire where @electron/fuses looks for it. */
export function writeFakeElectronBinary(file: string, wire: readonly number[] = ELECTRON_DEFAULT_WIRE): void {
  mkdirSync(dirname(file), { recursive: true });
  const header = Buffer.from('#!/bin/sh\necho "not Electron: a stand-in for packaging tests"\nexit 0\n');
  writeFileSync(file, Buffer.concat([header, Buffer.from(FUSE_SENTINEL), Buffer.from([1, wire.length, ...wire]), Buffer.from('\n')]), { mode: 0o755 });
}

/** The fuse states (0x30 off, 0x31 on) after the sentinel. */
export function readFuseWire(file: string): number[] {
  const bytes = readFileSync(file);
  const at = bytes.indexOf(FUSE_SENTINEL);
  if (at < 0) throw new Error(`${file} has no fuse wire`);
  const length = bytes[at + FUSE_SENTINEL.length + 1]!;
  return [...bytes.subarray(at + FUSE_SENTINEL.length + 2, at + FUSE_SENTINEL.length + 2 + length)];
}

/** An unpacked "Electron" for electron-builder's `electronDist`: the binary and the folders it expects. */
export function writeFakeElectronDist(directory: string): void {
  writeFakeElectronBinary(join(directory, 'electron'));
  mkdirSync(join(directory, 'resources'), { recursive: true });
  mkdirSync(join(directory, 'locales'), { recursive: true });
  writeFileSync(join(directory, 'locales', 'en-US.pak'), 'stand-in');
  writeFileSync(join(directory, 'LICENSE'), 'stand-in');
  writeFileSync(join(directory, 'version'), '45.5.0');
}
