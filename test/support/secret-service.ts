import { readFileSync } from 'node:fs';
import { afterEach, beforeEach } from 'vitest';

/**
 * How many times the session's Secret Service daemon has been started (scripts/with-keyring.sh
 * writes one line per start to $PORTAL_ADMIN_KEYRING_STARTS), or null outside that session.
 * More than one start means a daemon died and D-Bus started an unlocked one again.
 */
export function secretServiceStarts(environment: NodeJS.ProcessEnv = process.env): string[] | null {
  const file = environment.PORTAL_ADMIN_KEYRING_STARTS;
  if (!file) return null;
  try {
    return readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
  } catch {
    return null;
  }
}

/** The plain words for a test that failed while the daemon died under it. */
export function daemonDiedMessage(starts: string[], before: number): string {
  return (
    `The Secret Service daemon (gnome-keyring-daemon) died during this test, so its failure says nothing about the ` +
    `keychain code: D-Bus started another daemon (${starts.slice(before).join('; ')}). Starts this run: ${starts.join('; ')}.`
  );
}

/**
 * For the tests that use the real keychain: a test that fails while the daemon died under it fails
 * with that said plainly, instead of only a keychain error (a locked or unreachable keyring).
 */
export function failPlainlyIfTheDaemonDies(): void {
  let before = 0;
  beforeEach(() => {
    before = secretServiceStarts()?.length ?? 0;
  });
  afterEach((context) => {
    const starts = secretServiceStarts();
    if (starts === null || starts.length <= Math.max(before, 1) || context.task.result?.state !== 'fail') return;
    throw new Error(daemonDiedMessage(starts, Math.max(before, 1)));
  });
}
