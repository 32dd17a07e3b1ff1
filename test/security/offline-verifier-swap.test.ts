import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEmployeeRows } from '../../common/ipc';
import { makeVerifier } from '../../electron/main/infra/offline-verifier';
import { startTestPortal, type TestPortal } from '../support/portal';
import { ADMIN, makeOfflineProfile } from './support/offline-profile';

/**
 * Attack: with write access to the profile folder only, replace the password verifier in
 * `offline/accounts.json` with one made from the attacker's password (and zero the count of wrong
 * passwords), then "Work offline" with that password to read every full phone number and make
 * drafts that the real admin's next sign-in would send.
 */
let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(async () => {
  await portal.close();
});

describe('attack: verifier swap in accounts.json', () => {
  it('a verifier made from the attacker’s password unlocks nothing', async () => {
    const profile = await makeOfflineProfile(portal);
    try {
      const contents = profile.readAccounts();
      const record = contents.accounts[0]!;
      expect(record.verifier).not.toBeNull();
      // The attacker knows the format and the code: a well-formed verifier for their own password.
      record.verifier = JSON.parse(JSON.stringify(await makeVerifier('attacker-password'))) as unknown;
      if ('failedUnlocks' in record) record.failedUnlocks = 0;
      profile.writeAccounts(contents);

      const { services } = await profile.open();
      const step = await services.offline.unlock({ email: ADMIN.email, password: 'attacker-password' });
      expect(step.step).not.toBe('unlocked');
      expect(services.offline.getState().user).toBeNull();
      expect(decodeEmployeeRows((await services.offline.listOffline({ offset: 0, limit: 5000 })).rows)).toEqual([]);
    } finally {
      await profile.close();
    }
  });
});
