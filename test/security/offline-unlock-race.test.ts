import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_OFFLINE_UNLOCK_ATTEMPTS } from '../../common/drafts';
import { startTestPortal, type TestPortal } from '../support/portal';
import { ADMIN, makeOfflineProfile } from './support/offline-profile';

/**
 * Attack: guess the offline password faster than the 5-try limit allows by sending many
 * `offline:unlock` calls at once, so that each reads the count of wrong passwords before any of
 * them has raised it.
 */
let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(async () => {
  await portal.close();
});

describe('attack: counter race with parallel offline:unlock calls', () => {
  it('12 parallel guesses get 5 password checks at most, then offline access is locked', async () => {
    const profile = await makeOfflineProfile(portal);
    try {
      const { services } = await profile.open();
      const guesses = Array.from({ length: 12 }, (_, index) => services.offline.unlock({ email: ADMIN.email, password: `guess-${index}` }));
      const steps = await Promise.all(guesses);
      const checked = steps.filter((step) => step.step === 'invalid_password');
      const locked = steps.filter((step) => step.step === 'locked');
      // Four answers count down, the fifth check locks; every other call is refused without a check.
      expect(checked.map((step) => (step.step === 'invalid_password' ? step.attemptsLeft : -1)).sort()).toEqual([1, 2, 3, 4]);
      expect(locked).toHaveLength(steps.length - (MAX_OFFLINE_UNLOCK_ATTEMPTS - 1));
      // The right password comes too late.
      expect(await services.offline.unlock({ email: ADMIN.email, password: ADMIN.password })).toEqual({ step: 'locked' });
    } finally {
      await profile.close();
    }
  }, 60_000);
});
