import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Employee } from '../../../../common/api';
import { HISTORY_LIMIT, type Draft, type DraftsState } from '../../../../common/drafts';
import { fail, ok } from '../../../../common/ipc';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { followSessionLifecycle } from '../../../../renderer/stores/session-lifecycle';
import { useDraftsStore } from '../../../../renderer/stores/drafts';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { createDraftsFeed, type DraftsEvent } from '../../../../electron/main/offline/drafts-feed';
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

  describe('while sync runs: drafts:progress instead of the whole list', () => {
    const RUNNING = { ...IDLE_SYNC, state: 'running' as const, done: 0, total: 3 };
    const deliver = (event: DraftsEvent) => {
      if (event.event === 'drafts:progress') harness.portal.emitDraftsProgress(event.payload);
      else harness.portal.emitDrafts(event.payload);
    };

    it('applies what changed: counts, states, conflicts in the grid, the history, the progress; the whole state when sync stops', async () => {
      const drafts = useDraftsStore();
      await drafts.start();
      const feed = createDraftsFeed();
      const carol = makeEmployee({ id: 'carol', firstName: 'Carol', lastName: 'Ng', cellPhone: '+12125550122', version: 2 });
      const [a, b, c] = [makeDraft(ada), makeDraft(bob), makeDraft(carol)];
      deliver(feed.next({ ...NO_DRAFTS, drafts: [a, b, c] }));
      expect(drafts.count).toBe(3);

      const syncing = [a, b, c].map((draft) => Object.freeze({ ...draft, state: 'syncing' as const }));
      const first = feed.next({ ...NO_DRAFTS, drafts: syncing, sync: RUNNING });
      expect(first.event).toBe('drafts:progress');
      deliver(first);
      expect(drafts.isSyncing).toBe(true);
      expect(drafts.drafts.map((draft) => draft.state)).toEqual(['syncing', 'syncing', 'syncing']);

      // ada's applied, bob's a conflict (the portal's copy reaches the grid), carol's untouched: only two drafts travel.
      const theirs = { ...bob, cellPhone: '+447400123456', version: 6 };
      const conflict = Object.freeze({ ...syncing[1]!, state: 'conflict' as const, portal: theirs });
      const applied = appliedFrom(a, { version: 4 });
      const second = feed.next({ ...NO_DRAFTS, drafts: [conflict, syncing[2]!], history: [applied], sync: { ...RUNNING, done: 2 } });
      expect(second).toEqual({ event: 'drafts:progress', payload: { sync: { ...RUNNING, done: 2 }, changed: [conflict], removed: [a.id], applied: [applied] } });
      deliver(second);
      expect(drafts.count).toBe(2);
      expect(drafts.forEmployee('bob')?.state).toBe('conflict');
      expect(drafts.forEmployee('carol')?.state).toBe('syncing');
      expect(drafts.sync).toMatchObject({ state: 'running', done: 2, total: 3 });
      expect(drafts.history).toEqual([applied]);
      expect(useEmployeesStore().findById('bob')).toEqual(theirs);
      expect(useEmployeesStore().findById('ada')).toMatchObject({ cellPhone: a.cellPhone, version: 4 });

      // Sync stops: the whole state again.
      const end = feed.next({ ...NO_DRAFTS, drafts: [conflict], history: [appliedFrom(c, { version: 3 }), applied], sync: IDLE_SYNC });
      expect(end.event).toBe('drafts:changed');
      deliver(end);
      expect(drafts.count).toBe(1);
      expect(drafts.isSyncing).toBe(false);
      expect(drafts.history.map((change) => change.draftId)).toEqual([c.id, a.id]);
    });

    it('the whole state when the order changed otherwise than by drafts added at the end, or the file’s problem changed', () => {
      const feed = createDraftsFeed();
      const [a, b] = [makeDraft(ada), makeDraft(bob)];
      feed.next({ ...NO_DRAFTS, drafts: [a, b] });
      expect(feed.next({ ...NO_DRAFTS, drafts: [b, a], sync: RUNNING }).event).toBe('drafts:changed');
      const c = makeDraft(makeEmployee({ id: 'carol' }));
      expect(feed.next({ ...NO_DRAFTS, drafts: [c, b, a], sync: RUNNING }).event).toBe('drafts:changed');
      expect(feed.next({ ...NO_DRAFTS, drafts: [c, b, a, makeDraft(ada)], sync: RUNNING }).event).toBe('drafts:progress');
      expect(feed.next({ ...NO_DRAFTS, drafts: [c], sync: RUNNING, problem: 'unreadable' }).event).toBe('drafts:changed');
    });

    it('200 random steps of a sync: after every event the store holds exactly main’s drafts, history and status', async () => {
      const drafts = useDraftsStore();
      await drafts.start();
      const feed = createDraftsFeed();
      let seed = 7;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const employeeFor = (index: number) => makeEmployee({ id: `e-${index}`, version: 1 + (index % 5) });
      let state: DraftsState = { ...NO_DRAFTS, drafts: Array.from({ length: 30 }, (_, index) => makeDraft(employeeFor(index))) };
      deliver(feed.next(state));
      let progressEvents = 0;
      for (let step = 0; step < 200; step++) {
        let list: Draft[] = [...state.drafts];
        let history = [...state.history];
        for (let change = Math.floor(random() * 6); change > 0 && list.length > 0; change--) {
          const index = Math.floor(random() * list.length);
          const draft = list[index]!;
          const roll = random();
          if (roll < 0.4) list[index] = Object.freeze({ ...draft, state: roll < 0.2 ? 'syncing' : 'failed', attempts: draft.attempts + 1 });
          else if (roll < 0.7) {
            list = list.filter((candidate) => candidate !== draft);
            history = [appliedFrom(draft, { version: draft.baseVersion + 1 }), ...history].slice(0, HISTORY_LIMIT);
          } else if (roll < 0.8) list = list.filter((candidate) => candidate !== draft);
          else list.push(makeDraft(employeeFor(100 + step)));
        }
        const running = random() < 0.9;
        state = { ...state, drafts: list, history, sync: running ? { ...RUNNING, done: step, total: 200 } : IDLE_SYNC };
        const event = feed.next(state);
        if (event.event === 'drafts:progress') progressEvents++;
        deliver(event);
        expect(drafts.drafts).toEqual(state.drafts);
        expect(drafts.history).toEqual(state.history);
        expect(drafts.sync).toEqual(state.sync);
        expect(drafts.count).toBe(state.drafts.length);
      }
      expect(progressEvents).toBeGreaterThan(100);
    });
  });
});
