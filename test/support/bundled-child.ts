import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What this module uses of esbuild (tsx's own compiler, which tsx, a dependency here, brings). */
interface Esbuild {
  buildSync(options: { entryPoints: string[]; bundle: true; packages: 'external'; platform: 'node'; format: 'esm'; outfile: string; logLevel: 'warning' }): unknown;
}

export interface BundledChild {
  /** For `node <path> …`. */
  path: string;
  remove(): void;
}

/**
 * Bundles a TypeScript child program of the tests (its own and the project's code; packages stay
 * imports) into one ES module under .tmp/, for `node <path>`. A child started with `node --import tsx`
 * spends about a second of CPU loading tsx and compiling and resolving its imports before it does
 * anything; a bundled one about a third of that. For tests that start the same child many times.
 */
export function bundleChildProgram(entry: string): BundledChild {
  const esbuild = createRequire(createRequire(import.meta.url).resolve('tsx'))('esbuild') as Esbuild;
  // Inside the repository, so the bundle's package imports resolve from its node_modules.
  const parent = join(repositoryRoot, '.tmp', 'test-children');
  mkdirSync(parent, { recursive: true });
  const folder = mkdtempSync(join(parent, 'child-'));
  const path = join(folder, 'child.mjs');
  try {
    esbuild.buildSync({ entryPoints: [entry], bundle: true, packages: 'external', platform: 'node', format: 'esm', outfile: path, logLevel: 'warning' });
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  return { path, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
