import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * scripts/with-keyring.sh when the Secret Service daemon dies mid-run (gnome-keyring-daemon has
 * crashed on a GLib assertion in CI): the next keychain call gets an UNLOCKED daemon again, with
 * what was stored, and the death is said plainly. Before, D-Bus started the system's daemon, locked,
 * and every later keychain call failed with "unlock prompt was dismissed".
 *
 * Runs in a session of its own (a nested with-keyring.sh, its own HOME and keyring file), so the
 * daemon it kills is not the one the other tests use.
 */
describe.skipIf(process.platform !== 'linux')('with-keyring.sh: a Secret Service daemon that dies', () => {
  it('is started again unlocked at the next call, keeps what was stored, and its death is said', () => {
    const home = mkdtempSync(join(tmpdir(), 'portal-admin-keyring-home-'));
    try {
      const probe = (step: 'set' | 'get') =>
        `node -e "const { AsyncEntry } = require('@napi-rs/keyring');` +
        ` const entry = new AsyncEntry('Portal Admin (daemon restart test)', 'probe', { linux: { store: 'secret-service' } });` +
        ` (async () => { ${step === 'set' ? "await entry.setPassword('kept');" : ''} console.log('${step}', await entry.getPassword()); })()` +
        `.catch((error) => console.log('${step} failed:', String(error)));"`;
      const script = [
        probe('set'),
        // The daemon's pid is the last start's; SIGSEGV, as a crash would end it.
        `kill -SEGV "$(tail -n 1 "$PORTAL_ADMIN_KEYRING_STARTS" | awk '{ print $3 }')"`,
        'while kill -0 "$(tail -n 1 "$PORTAL_ADMIN_KEYRING_STARTS" | awk \'{ print $3 }\')" 2>/dev/null; do sleep 0.05; done',
        probe('get'),
        'echo "starts: $(grep -c . "$PORTAL_ADMIN_KEYRING_STARTS")"',
      ].join('\n');
      const result = spawnSync('bash', [resolve('scripts/with-keyring.sh'), 'bash', '-c', script], {
        cwd: resolve('.'),
        encoding: 'utf8',
        env: { ...process.env, HOME: home, PORTAL_ADMIN_IN_KEYRING_SESSION: '', PORTAL_ADMIN_KEYRING_STARTS: '', PORTAL_ADMIN_SECRET_SERVICE: '' },
        timeout: 60_000,
      });
      const output = `${result.stdout}\n${result.stderr}`;
      expect(result.status, output).toBe(0);
      expect(result.stdout.trim().split('\n'), output).toEqual(['set kept', 'get kept', 'starts: 2']);
      expect(result.stderr).toContain('with-keyring: the Secret Service daemon (gnome-keyring-daemon) died during the run; starting an unlocked one again (start 2).');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});
