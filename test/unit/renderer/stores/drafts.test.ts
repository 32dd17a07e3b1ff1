import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Employee } from '../../../../common/api';
import { fail, ok } from '../../../../common/ipc';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { followSessionLifecycle } from '../../../../renderer/stores/session-lifecycle';
import { useDraftsStore } from '../../../../renderer/stores/drafts';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { IDLE_SYNC, NO_DRAFTS, appliedFrom, createFakePortal, makeDraft, makeEmployee, signedIn } from '../support/fake-portal';
import { setUpPortal, settle, type Harness } from '../support/mount';

let harness: Harness;
let ada: Employee;
let bob: Employee;

let stopFollowingSession: () => void = () => {};
beforeEach(async () => {
  harness = setUpPortal(createFakePortal());
  // What the signed-in shell starts when it mounts: the stores follow the session.
  stopFollowingSession = followSessionLifecycle();
  ada = makeEmployee({ id: 'ada', firstName: 'Ada', lastName: 'Lovelace', cellPhone: '+12125550100', version: 3 });
  bob = makeEmployee({ id: 'bob', firstName: 'Bob', lastName: 'Stone', cellPhone: '+12125550111', version: 5 });
  harness.portal.api.employees.list.mockResolvedValue(ok({ items: [ada, bob], nextCursor: null, total: 2 }));
  await useEmployeesStore().load();
});
afterEach(() => stopFollowingSession());

describe('useDraftsStore', () => {
  it('reads main’s state at start and follows drafts:changed: a map by employee, the count, the sync status', async () => {
    const first = makeDraft(ada);
    harness.portal.api.drafts.getState.mockResolvedValueOnce(ok({ ...NO_DRAFTS, drafts: [first] }));
    const drafts = useDraftsStore();
    await drafts.start();
    expect(drafts.count).toBe(1);
    expect(drafts.forEmployee('ada')?.cellPhone).toBe('+12125550177');
    expect(drafts.forEmployee('bob')).toBeUndefined();

    const second = makeDraft(bob, { state: 'failed', error: { code: 'server', message: 'down' } });
    harness.portal.emitDrafts({ ...NO_DRAFTS, drafts: [{ ...first, state: 'syncing' }, second], sync: { ...IDLE_SYNC, state: 'running', done: 1, total: 2 } });
    expect(drafts.count).toBe(2);
    expect(drafts.forEmployee('ada')?.state).toBe('syncing');
    expect(drafts.byEmployee.get('bob')?.state).toBe('failed');
    expect(drafts.isSyncing).toBe(true);
    expect(drafts.sync).toMatchObject({ done: 1, total: 2 });
  });

  it('patches the grid row when a draft is applied (history), without a reload and never backwards', async () => {
    const draft = makeDraft(ada, { cellPhone: '+442079460000' });
    const drafts = useDraftsStore();
    await drafts.start();
    harness.portal.emitDrafts({ ...NO_DRAFTS, drafts: [draft] });
    const employees = useEmployeesStore();
    expect(employees.findById('ada')?.cellPhone).toBe('+12125550100');

    harness.portal.emitDrafts({ ...NO_DRAFTS, history: [appliedFrom(draft, { version: 4, appliedAt: '2030-01-01T11:00:00.000Z' })] });
    expect(drafts.count).toBe(0);
    expect(employees.findById('ada')).toMatchObject({ cellPhone: '+442079460000', version: 4, updatedAt: '2030-01-01T11:00:00.000Z', firstName: 'Ada' });
    expect(harness.portal.api.employees.list).toHaveBeenCalledTimes(1);

    // An older applied change (the row moved on since) leaves the row alone.
    employees.applyEmployee({ ...employees.findById('ada')!, cellPhone: '+12125550199', version: 9 });
    const old = makeDraft(ada);
    harness.portal.emitDrafts({ ...NO_DRAFTS, history: [appliedFrom(old, { version: 5 }), appliedFrom(draft, { version: 4 })] });
    expect(employees.findById('ada')).toMatchObject({ cellPhone: '+12125550199', version: 9 });
  });

  it('shows the portal’s copy in the grid when a draft ends in a conflict', async () => {
    const drafts = useDraftsStore();
    await drafts.start();
    const theirs = { ...bob, cellPhone: '+447400123456', version: 6, updatedAt: '2030-01-01T09:00:00.000Z' };
    harness.portal.emitDrafts({ ...NO_DRAFTS, drafts: [makeDraft(bob, { state: 'conflict', portal: theirs })] });
    expect(useEmployeesStore().findById('bob')).toEqual(theirs);
    expect(drafts.forEmployee('bob')?.state).toBe('conflict');
  });

  it('saves, discards, resolves and syncs through main, showing failures as a message', async () => {
    const drafts = useDraftsStore();
    await drafts.start();
    const saved = await drafts.save(ada, '+44 20 7946 0000');
    expect(saved.ok).toBe(true);
    expect(harness.portal.api.drafts.save).toHaveBeenCalledWith({ employee: ada, cellPhone: '+44 20 7946 0000' });
    // Shown at once (main's event follows).
    expect(drafts.forEmployee('ada')?.cellPhone).toBe('+44 20 7946 0000');
    const id = drafts.forEmployee('ada')!.id;

    harness.portal.api.drafts.discard.mockResolvedValueOnce(fail('storage', 'EACCES'));
    expect(await drafts.discard(id)).toBe(false);
    expect(drafts.error).toContain('could not read or write its encrypted files');
    expect(drafts.count).toBe(1);
    expect(await drafts.discard(id)).toBe(true);
    expect(harness.portal.api.drafts.discard).toHaveBeenLastCalledWith({ id });
    expect(drafts.count).toBe(0);
    expect(drafts.error).toBeNull();

    await drafts.resolve(id, 'portal');
    expect(harness.portal.api.drafts.resolve).toHaveBeenCalledWith({ id, choice: 'portal' });
    harness.portal.api.drafts.syncNow.mockResolvedValueOnce(ok({ ...IDLE_SYNC, state: 'waiting', reason: 'Sign in with the portal to send your drafts.' }));
    await drafts.syncNow();
    expect(drafts.sync.reason).toBe('Sign in with the portal to send your drafts.');
  });

  it('starts with a session (sign-in or working offline) and forgets everything, listening no more, when it ends', async () => {
    harness.portal.api.drafts.getState.mockResolvedValue(ok({ ...NO_DRAFTS, drafts: [makeDraft(ada)] }));
    const auth = useAuthStore();
    auth.applyState(signedIn());
    await settle();
    const drafts = useDraftsStore();
    expect(harness.portal.api.drafts.getState).toHaveBeenCalledTimes(1);
    expect(drafts.count).toBe(1);
    expect(harness.portal.draftsListenerCount()).toBe(1);

    await auth.signOut({ drafts: 'keep' });
    expect(harness.portal.api.auth.signOut).toHaveBeenCalledWith({ drafts: 'keep' });
    expect(drafts.count).toBe(0);
    expect(harness.portal.draftsListenerCount()).toBe(0);
  });
});
