import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const shellDir = join(root, 'electron', 'main', 'shell');
const runtimeElectronImport = /^\s*import\s+(?!type\b)[^;]*from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\)/m;

describe('Electron boundary', () => {
  it('no shell module imports electron at run time: Electron objects come in as parameters', () => {
    const files = readdirSync(shellDir).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const name of files) expect(readFileSync(join(shellDir, name), 'utf8'), name).not.toMatch(runtimeElectronImport);
  });

  it('only the entry file and the preload entry import electron at run time', () => {
    expect(readFileSync(join(root, 'electron', 'main', 'index.ts'), 'utf8')).toMatch(runtimeElectronImport);
    expect(readFileSync(join(root, 'electron', 'preload', 'index.ts'), 'utf8')).toMatch(runtimeElectronImport);
    expect(readFileSync(join(root, 'electron', 'preload', 'portal-bridge.ts'), 'utf8')).not.toMatch(runtimeElectronImport);
  });
});
