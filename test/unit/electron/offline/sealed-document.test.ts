import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { IpcFailure } from '../../../../common/ipc';
import { silentLogger } from '../../../../electron/main/log';
import { newDataKey, seal } from '../../../../electron/main/offline/sealed-box';
import { loadSealedDocument } from '../../../../electron/main/offline/sealed-document';

const schema = z.strictObject({ schemaVersion: z.literal(2), items: z.array(z.string()) });
type Doc = z.infer<typeof schema>;
const NOW = Date.parse('2026-01-15T09:00:00.000Z');

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});
function setup() {
  const directory = mkdtempSync(join(tmpdir(), 'portal-admin-sealed-'));
  directories.push(directory);
  const key = newDataKey();
  const file = join(directory, 'doc.sealed');
  const open = (migrations = {}) =>
    loadSealedDocument<Doc>({ file, key, associatedData: 'test|a', schema, currentVersion: 2, migrations, empty: () => ({ schemaVersion: 2, items: [] }), label: 'test', log: silentLogger, now: () => NOW });
  return { directory, key, file, open };
}

describe('sealed documents', () => {
  it('a second unreadable file in the same millisecond is kept aside beside the first, not over it', () => {
    const { directory, file, open } = setup();
    writeFileSync(file, 'first damaged file');
    expect(open().problem).toContain('kept aside');
    writeFileSync(file, 'second damaged file');
    const second = open();
    const kept = readdirSync(directory).filter((name) => name.includes('.unreadable-')).sort();
    expect(kept).toHaveLength(2);
    expect(kept.map((name) => readFileSync(join(directory, name), 'utf8')).sort()).toEqual(['first damaged file', 'second damaged file']);
    expect(second.keptAside).toMatch(/-2$/);
  });

  it('a migration that does not raise the version is refused (kept aside) instead of looping for ever', () => {
    const { key, file, open } = setup();
    writeFileSync(file, seal(key, JSON.stringify({ schemaVersion: 1, items: ['x'] }), 'test|a'));
    const document = open({ 1: (data: Record<string, unknown>) => ({ ...data }) });
    expect(document.read().items).toEqual([]);
    expect(document.problem).toContain('kept aside');
    // The good migration still works on a file of that version.
    writeFileSync(file, seal(key, JSON.stringify({ schemaVersion: 1, items: ['x'] }), 'test|a'));
    expect(open({ 1: (data: Record<string, unknown>) => ({ ...data, schemaVersion: 2 }) }).read().items).toEqual(['x']);
  });

  it('a read error that is not a damaged file (here EISDIR; EACCES, EIO alike) is a storage error, and nothing is moved', () => {
    const { directory, file, open } = setup();
    // A folder where the file should be: reading it fails with EISDIR.
    mkdirSync(file);
    let caught: unknown;
    try {
      open();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IpcFailure);
    expect((caught as IpcFailure).code).toBe('storage');
    expect(readdirSync(directory)).toEqual(['doc.sealed']);
  });

  it('what read() hands out is frozen: memory cannot change without a write', () => {
    const { open } = setup();
    const document = open();
    document.write({ schemaVersion: 2, items: ['a'] });
    expect(() => (document.read().items as string[]).push('b')).toThrow(TypeError);
    expect(open().read().items).toEqual(['a']);
  });

  it('temporary files left by a write that a crash interrupted are removed when the document opens', () => {
    const { directory, file, open } = setup();
    writeFileSync(`${file}.tmp-123-abcd`, 'half a write');
    writeFileSync(join(directory, 'other.tmp-1-ffff'), 'not ours');
    open();
    expect(readdirSync(directory).sort()).toEqual(['other.tmp-1-ffff']);
  });
});
