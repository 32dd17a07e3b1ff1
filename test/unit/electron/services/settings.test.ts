import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IpcFailure } from '../../../../common/ipc';
import { createLogger } from '../../../../electron/main/log';
import { writeFileAtomically } from '../../../../electron/main/infra/atomic-file';
import { createSettingsService, DEFAULT_SETTINGS, SETTINGS_FILE_NAME } from '../../../../electron/main/services/settings';
import { makeCertificate } from '../support/tls';

const directories: string[] = [];
function folder(): string {
  const directory = mkdtempSync(join(tmpdir(), 'portal-admin-settings-'));
  directories.push(directory);
  return directory;
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function service(userDataDir: string, lines: string[] = []) {
  return createSettingsService({ userDataDir, log: createLogger({ level: 'debug', sink: (line) => lines.push(line) }), now: () => Date.parse('2026-01-15T09:00:00Z') });
}

describe('settings', () => {
  it('starts from defaults when there is no file', () => {
    expect(service(folder()).get()).toEqual(DEFAULT_SETTINGS);
  });

  it('persists a versioned file and reads it back', async () => {
    const directory = folder();
    const first = service(directory);
    await first.setPortal({ portalUrl: 'https://portal.example.com/', certificatePin: 'a'.repeat(64) });
    first.update({ rememberMe: true });
    const stored = JSON.parse(readFileSync(join(directory, SETTINGS_FILE_NAME), 'utf8')) as Record<string, unknown>;
    expect(stored).toEqual({ version: 1, portalUrl: 'https://portal.example.com', caFile: null, certificatePin: 'a'.repeat(64), rememberMe: true, isDemoPortal: false, privacyMode: false, offlineCopyDays: 14 });
    expect(service(directory).get()).toEqual({ portalUrl: 'https://portal.example.com', caFile: null, certificatePin: 'a'.repeat(64), rememberMe: true, isDemoPortal: false, privacyMode: false, offlineCopyDays: 14 });
  });

  it('remembers privacy mode in the profile; a file from before privacy mode reads as off', () => {
    const directory = folder();
    const { privacyMode: _absent, ...before } = DEFAULT_SETTINGS;
    writeFileSync(join(directory, SETTINGS_FILE_NAME), JSON.stringify({ version: 1, ...before, portalUrl: 'https://portal.example.com' }));
    const first = service(directory);
    expect(first.get()).toMatchObject({ portalUrl: 'https://portal.example.com', privacyMode: false });
    const changes: boolean[] = [];
    first.onChange((settings, previous) => changes.push(previous.privacyMode, settings.privacyMode));
    first.update({ privacyMode: true });
    expect(changes).toEqual([false, true]);
    expect(JSON.parse(readFileSync(join(directory, SETTINGS_FILE_NAME), 'utf8'))).toMatchObject({ version: 1, privacyMode: true });
    expect(service(directory).get()).toMatchObject({ portalUrl: 'https://portal.example.com', privacyMode: true });
  });

  it('remembers the offline copy’s days in the profile; a file from before the setting reads as 14; a value not offered is refused', () => {
    const directory = folder();
    const { offlineCopyDays: _absent, ...before } = DEFAULT_SETTINGS;
    writeFileSync(join(directory, SETTINGS_FILE_NAME), JSON.stringify({ version: 1, ...before }));
    const first = service(directory);
    expect(first.get().offlineCopyDays).toBe(14);
    first.update({ offlineCopyDays: 3 });
    expect(JSON.parse(readFileSync(join(directory, SETTINGS_FILE_NAME), 'utf8'))).toMatchObject({ version: 1, offlineCopyDays: 3 });
    expect(service(directory).get().offlineCopyDays).toBe(3);
    expect(() => first.update({ offlineCopyDays: 365 as never })).toThrow();
    writeFileSync(join(directory, SETTINGS_FILE_NAME), JSON.stringify({ version: 1, ...before, offlineCopyDays: 365 }));
    expect(service(directory).get().offlineCopyDays).toBe(14);
  });

  it.each([
    ['not JSON', '{"version":1,'],
    ['wrong version', JSON.stringify({ ...DEFAULT_SETTINGS, version: 99 })],
    ['unknown key', JSON.stringify({ ...DEFAULT_SETTINGS, version: 1, extra: true })],
    ['http portal', JSON.stringify({ ...DEFAULT_SETTINGS, version: 1, portalUrl: 'http://portal.example.com' })],
    ['bad pin', JSON.stringify({ ...DEFAULT_SETTINGS, version: 1, certificatePin: 'xyz' })],
    ['an array', '[]'],
  ])('keeps an invalid file (%s) aside, uses defaults and logs a warning', (_label, contents) => {
    const directory = folder();
    writeFileSync(join(directory, SETTINGS_FILE_NAME), contents);
    const lines: string[] = [];
    expect(service(directory, lines).get()).toEqual(DEFAULT_SETTINGS);
    const files = readdirSync(directory);
    expect(files).not.toContain(SETTINGS_FILE_NAME);
    const aside = files.find((file) => file.startsWith(`${SETTINGS_FILE_NAME}.invalid-`));
    expect(aside).toBeDefined();
    expect(readFileSync(join(directory, aside!), 'utf8')).toBe(contents);
    expect(lines.some((line) => line.includes('"level":"warn"') && line.includes('invalid'))).toBe(true);
  });

  it('validates a CA certificate (PEM text) before keeping a copy of it in the profile', async () => {
    const directory = folder();
    const settings = service(directory);
    await expect(settings.setPortal({ portalUrl: 'https://p.example', caCertificate: 'hello' })).rejects.toMatchObject({ code: 'validation' });
    await expect(settings.setPortal({ portalUrl: 'https://p.example', caCertificate: join(directory, 'missing.pem') })).rejects.toBeInstanceOf(IpcFailure);
    const certificate = await makeCertificate({ names: ['p.example'], keySize: 1024 });
    const saved = await settings.setPortal({ portalUrl: 'https://p.example', caCertificate: certificate.cert });
    expect(saved.caFile).toMatch(/[/\\]trust[/\\]portal-ca-[0-9a-f]{32}\.pem$/);
    expect(readFileSync(saved.caFile!, 'utf8')).toContain(certificate.cert.trim());
    expect(statSync(saved.caFile!).mode & 0o077).toBe(0);
    // Absent: the same portal keeps its certificate; null removes it.
    await expect(settings.setPortal({ portalUrl: 'https://p.example' })).resolves.toMatchObject({ caFile: saved.caFile });
    await expect(settings.setPortal({ portalUrl: 'https://p.example', caCertificate: null })).resolves.toMatchObject({ caFile: null });
  });

  it('tells listeners about changes and clears the demo flag for another portal', async () => {
    const settings = service(folder());
    settings.update({ portalUrl: 'https://127.0.0.1:8443', isDemoPortal: true });
    const seen: string[] = [];
    settings.onChange((next, previous) => seen.push(`${previous.portalUrl} -> ${next.portalUrl}`));
    const next = await settings.setPortal({ portalUrl: 'https://portal.example.com' });
    expect(next.isDemoPortal).toBe(false);
    expect(seen).toEqual(['https://127.0.0.1:8443 -> https://portal.example.com']);
  });
});

describe('atomic write', () => {
  it('replaces the file whole and leaves no temporary files', () => {
    const directory = folder();
    const file = join(directory, 'data.json');
    writeFileAtomically(file, 'one');
    writeFileAtomically(file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readdirSync(directory)).toEqual(['data.json']);
  });

  it('leaves the old contents when the write fails', () => {
    const directory = folder();
    const file = join(directory, 'data.json');
    writeFileAtomically(file, 'old');
    // A folder where the file should be: rename fails, the temporary file is removed.
    const blocked = join(directory, 'blocked');
    writeFileAtomically(join(blocked, 'inner'), 'x');
    expect(() => writeFileAtomically(blocked, 'new')).toThrow();
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(directory).filter((name) => name.includes('.tmp-'))).toEqual([]);
    expect(existsSync(join(blocked, 'inner'))).toBe(true);
  });
});
