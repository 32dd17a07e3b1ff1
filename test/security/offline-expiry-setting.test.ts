import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS_FILE_NAME } from '../../electron/main/services/settings';
import { startTestPortal, type TestPortal } from '../support/portal';
import { ADMIN, makeOfflineProfile, type OfflineProfile } from './support/offline-profile';

/**
 * Attack: the administrator chose to keep the offline copy 3 days without an online sign-in. A
 * local attacker who can write the profile folder (but not the keychain) edits `settings.json` —
 * to 30 days, to a value the app does not offer (the file is then replaced by the defaults: 14
 * days), or deletes it — to keep a copy alive that has expired. Without the expiry fixed in the
 * authenticated account record when the copy was made, the copy would open on day 5.
 */
const DAY = 24 * 60 * 60 * 1000;
let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(async () => {
  await portal.close();
});

/** The demo admin's offline copy, made while the setting said 3 days. */
function threeDayCopy(): Promise<OfflineProfile> {
  return makeOfflineProfile(portal, undefined, (services) => {
    services.settings.update({ offlineCopyDays: 3 });
  });
}

function settingsFile(profile: OfflineProfile): string {
  return join(profile.directory, SETTINGS_FILE_NAME);
}

function editSettings(profile: OfflineProfile, change: (settings: Record<string, unknown>) => Record<string, unknown> | null): void {
  const settings = JSON.parse(readFileSync(settingsFile(profile), 'utf8')) as Record<string, unknown>;
  expect(settings.offlineCopyDays).toBe(3);
  const edited = change(settings);
  if (edited === null) rmSync(settingsFile(profile));
  else writeFileSync(settingsFile(profile), `${JSON.stringify(edited, null, 2)}\n`);
}

describe('attack: a longer life for an expired offline copy through the settings file', () => {
  it('control: within the 3 days chosen, Work offline opens the copy', async () => {
    const profile = await threeDayCopy();
    try {
      const { services } = await profile.open({ clock: () => Date.now() + 2 * DAY });
      expect((await services.offline.unlock({ email: ADMIN.email, password: ADMIN.password })).step).toBe('unlocked');
    } finally {
      await profile.close();
    }
  }, 90_000);

  it.each([
    ['edited to 30 days', (settings: Record<string, unknown>) => ({ ...settings, offlineCopyDays: 30 }), 30],
    ['edited to a value not offered (the file is replaced by the defaults, 14 days)', (settings: Record<string, unknown>) => ({ ...settings, offlineCopyDays: 365 }), 14],
    ['deleted (the defaults, 14 days)', () => null, 14],
  ])('settings file %s: on day 5 Work offline still refuses, says the copy expired after 3 days, and the copy is deleted', async (_name, change, daysInForce) => {
    const profile = await threeDayCopy();
    try {
      editSettings(profile, change);
      const { services } = await profile.open({ clock: () => Date.now() + 5 * DAY });
      // The attacker's setting is what the app now shows and uses for new copies…
      expect(services.settings.get().offlineCopyDays).toBe(daysInForce);
      const step = await services.offline.unlock({ email: ADMIN.email, password: ADMIN.password });
      // …but the copy made under 3 days keeps 3 days.
      expect(step).toEqual({ step: 'unavailable', message: expect.stringContaining('nobody signed in with the portal for 3 days'), reason: 'expired', days: 3 });
      expect(existsSync(profile.sealedFile('employees.sealed'))).toBe(false);
      expect(services.offline.getState()).toMatchObject({ accounts: [], user: null });
      // Asked again, nothing is there any more.
      expect((await services.offline.unlock({ email: ADMIN.email, password: ADMIN.password })).step).toBe('no_offline_copy');
    } finally {
      await profile.close();
    }
  }, 90_000);

  it('the record’s expiry edited as well: the record no longer verifies and Work offline refuses', async () => {
    const profile = await threeDayCopy();
    try {
      editSettings(profile, (settings) => ({ ...settings, offlineCopyDays: 30 }));
      const accounts = profile.readAccounts();
      const record = accounts.accounts[0]!;
      expect(typeof record.expiresAt).toBe('string');
      profile.writeAccounts({ ...accounts, accounts: [{ ...record, expiresAt: new Date(Date.parse(record.expiresAt as string) + 30 * DAY).toISOString() }] });
      const { services } = await profile.open({ clock: () => Date.now() + 5 * DAY });
      const step = await services.offline.unlock({ email: ADMIN.email, password: ADMIN.password });
      expect(step).toEqual({ step: 'unavailable', message: expect.stringContaining('changed outside Portal Admin'), reason: 'record_changed' });
      expect(services.offline.getState().user).toBeNull();

      // Removing the expiry from the record (as in records made before it was kept) breaks the HMAC just the same.
      const { expiresAt: _removed, ...withoutExpiry } = record;
      profile.writeAccounts({ ...accounts, accounts: [withoutExpiry] });
      const again = await profile.open({ clock: () => Date.now() + 5 * DAY });
      expect(await again.services.offline.unlock({ email: ADMIN.email, password: ADMIN.password })).toEqual({ step: 'unavailable', message: expect.stringContaining('changed outside Portal Admin'), reason: 'record_changed' });
    } finally {
      await profile.close();
    }
  }, 90_000);
});
