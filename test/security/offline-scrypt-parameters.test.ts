import type * as NodeCrypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestPortal, type TestPortal } from '../support/portal';
import { ADMIN, makeOfflineProfile } from './support/offline-profile';

/**
 * Attack: edit the scrypt parameters stored beside the verifier in `offline/accounts.json` (a huge
 * N), so that the next "Work offline" makes main allocate gigabytes (denial of service), or a tiny
 * one, so that the next verifier is cheap to guess.
 *
 * Every scrypt call is watched; a call with other parameters than the code's fixed ones fails at
 * once instead of allocating what the file asks for.
 */
const FIXED = { N: 2 ** 15, r: 8, p: 3 };
// Watched only while the app unlocks: the reference portal in this process hashes with scrypt too.
const watch = vi.hoisted(() => ({ isOn: false, seen: [] as { N: number; r: number; p: number }[] }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof NodeCrypto>();
  type Callback = (error: Error | null, key: Buffer) => void;
  function scrypt(password: string, salt: Buffer, length: number, options: { N: number; r: number; p: number }, callback: Callback): void {
    if (!watch.isOn) return crypto.scrypt(password, salt, length, options, callback);
    watch.seen.push({ N: options.N, r: options.r, p: options.p });
    if (options.N !== 2 ** 15 || options.r !== 8 || options.p !== 3) {
      callback(new Error(`scrypt refused by the test: N=${options.N} r=${options.r} p=${options.p}`), Buffer.alloc(0));
      return;
    }
    crypto.scrypt(password, salt, length, options, callback);
  }
  return { ...crypto, default: { ...crypto, scrypt }, scrypt };
});

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(async () => {
  await portal.close();
});

describe('attack: edited scrypt parameters in accounts.json', () => {
  it('parameters read from disk are never used: unlocking runs scrypt with the fixed ones', async () => {
    const profile = await makeOfflineProfile(portal);
    try {
      const contents = profile.readAccounts();
      const verifier = contents.accounts[0]!.verifier as Record<string, unknown>;
      Object.assign(verifier, { N: 2 ** 24, r: 16, p: 1 });
      profile.writeAccounts(contents);

      const { services } = await profile.open();
      watch.isOn = true;
      const step = await services.offline.unlock({ email: ADMIN.email, password: ADMIN.password }).finally(() => {
        watch.isOn = false;
      });
      expect(watch.seen.length).toBeGreaterThan(0);
      expect(watch.seen.every((parameters) => parameters.N === FIXED.N && parameters.r === FIXED.r && parameters.p === FIXED.p)).toBe(true);
      expect(step.step).toBe('unlocked');
    } finally {
      await profile.close();
    }
  }, 60_000);
});
