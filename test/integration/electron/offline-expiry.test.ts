import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFLINE_COPY_MAX_AGE_DAYS } from '../../../common/drafts';
import { startTestPortal, type TestPortal } from '../../support/portal';
import { ADMIN, makeOfflineProfile } from '../../security/support/offline-profile';

/** The offline copy lives 14 days after the last sign-in with the portal; then Work offline says why it is gone. */
let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(async () => {
  await portal.close();
});

describe('offline copy expiry', () => {
  it('opens on day 13, and on day 15 is deleted with the reason, the drafts kept', async () => {
    const profile = await makeOfflineProfile(portal);
    try {
      const day = 24 * 60 * 60 * 1000;
      const early = await profile.open({ clock: () => Date.now() + (OFFLINE_COPY_MAX_AGE_DAYS - 1) * day });
      expect((await early.services.offline.unlock({ email: ADMIN.email, password: ADMIN.password })).step).toBe('unlocked');
      await early.services.dispose();

      const late = await profile.open({ clock: () => Date.now() + (OFFLINE_COPY_MAX_AGE_DAYS + 1) * day });
      const step = await late.services.offline.unlock({ email: ADMIN.email, password: ADMIN.password });
      expect(step).toEqual({ step: 'unavailable', message: expect.stringContaining(`nobody signed in with the portal for ${OFFLINE_COPY_MAX_AGE_DAYS} days`), reason: 'expired', days: OFFLINE_COPY_MAX_AGE_DAYS });
      expect(existsSync(profile.sealedFile('employees.sealed'))).toBe(false);
      expect(late.services.offline.getState().accounts).toEqual([]);
    } finally {
      await profile.close();
    }
  }, 60_000);
});
