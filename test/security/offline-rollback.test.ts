import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEmployeeRows } from '../../common/ipc';
import { loadAllEmployees } from '../integration/electron/support';
import { startTestPortal, type TestPortal } from '../support/portal';
import { ADMIN, makeOfflineProfile } from './support/offline-profile';

/**
 * Attack: put an older copy of `drafts.sealed` or `employees.sealed` of the same account back in
 * place (from a backup, or saved earlier by the attacker). The older file decrypts with the same
 * key, so without a write count kept outside the profile folder it would be used as if current:
 * drafts the admin discarded come back, numbers changed since are shown as they were.
 */
let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(async () => {
  await portal.close();
});

describe('attack: rolled-back file', () => {
  it('an older employees.sealed put back in place is detected and not used', async () => {
    let older: Buffer | null = null;
    const profile = await makeOfflineProfile(portal, async (services, offlineFolder) => {
      // The copy made at sign-in (no employees yet), then the full list.
      older = readFileSync(join(offlineFolder, 'employees.sealed'));
      await loadAllEmployees(services);
    });
    try {
      writeFileSync(profile.sealedFile('employees.sealed'), older!);
      const { services } = await profile.open();
      const step = await services.offline.unlock({ email: ADMIN.email, password: ADMIN.password });
      expect(step.step).not.toBe('unlocked');
      expect(step).toMatchObject({ message: expect.stringMatching(/older copy/) });
      expect(services.offline.getState().user).toBeNull();
    } finally {
      await profile.close();
    }
  }, 60_000);

  it('an older drafts.sealed put back in place is detected, reported in the outbox, and its drafts are not used', async () => {
    const profile = await makeOfflineProfile(portal, async (services) => {
      await loadAllEmployees(services);
    });
    try {
      // Two drafts made while working offline; the attacker keeps the file as it was after the first.
      const session = await profile.open();
      expect((await session.services.offline.unlock({ email: ADMIN.email, password: ADMIN.password })).step).toBe('unlocked');
      const employees = decodeEmployeeRows((await session.services.offline.listOffline({ offset: 0, limit: 5000 })).rows).filter((employee) => employee.cellPhone !== null && !/^(admin|tech|totp|locked)@/.test(employee.email));
      await session.services.drafts.save({ employee: employees[0]!, cellPhone: '+12125550181' });
      // The drafts are the file and its journal (drafts.sealed.journal): the attacker keeps both as they were.
      const backup = `${profile.sealedFile('drafts.sealed')}.attacker`;
      const journal = `${profile.sealedFile('drafts.sealed')}.journal`;
      copyFileSync(profile.sealedFile('drafts.sealed'), backup);
      const journalBackup = existsSync(journal) ? readFileSync(journal) : null;
      await session.services.drafts.save({ employee: employees[1]!, cellPhone: '+12125550182' });
      await session.services.drafts.discard({ id: (await session.services.drafts.getState()).drafts[0]!.id });
      await session.services.dispose();
      await new Promise((resolve) => setTimeout(resolve, 200));
      copyFileSync(backup, profile.sealedFile('drafts.sealed'));
      if (journalBackup === null) rmSync(journal, { force: true });
      else writeFileSync(journal, journalBackup);

      const { services } = await profile.open();
      expect((await services.offline.unlock({ email: ADMIN.email, password: ADMIN.password })).step).toBe('unlocked');
      const state = await services.drafts.getState();
      expect(state.drafts.map((draft) => draft.cellPhone)).not.toContain('+12125550181');
      expect(state.problem).toMatch(/older copy/);
    } finally {
      await profile.close();
    }
  }, 60_000);
});
