import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Employee } from '../../common/api';
import type { AppliedChange, Draft, DraftsProgress, DraftsState, SyncStatus } from '../../common/drafts';
import { withDraftChanges } from '../../common/drafts/changes';
import { HISTORY_LIMIT } from '../../common/drafts/limits';
import type { IpcResult } from '../../common/ipc';
import { describeError } from '../lib/errors';
import { draftsProblemText } from '../lib/offline-problems';
import { portal } from '../services/portal';
import { useEmployeesStore } from './employees';
import { useStepUpStore } from './step-up';

const IDLE: SyncStatus = { state: 'idle', reason: null, done: 0, total: 0, lastSyncAt: null, nextAttemptAt: null };

/**
 * The outbox: changes drafted while the portal could not be reached, kept (encrypted, durably) by
 * main, which also sends them. This store mirrors main's state (`drafts:changed`) and keeps the
 * grid's rows in step with what sync did: an applied change and a conflict's portal copy both
 * replace the row.
 */
export const useDraftsStore = defineStore('drafts', () => {
  const drafts = shallowRef<readonly Draft[]>([]);
  const history = shallowRef<readonly AppliedChange[]>([]);
  const sync = shallowRef<SyncStatus>(IDLE);
  /** A drafts file main could not read (kept aside), or no keychain for drafts: main's code… */
  const problemState = shallowRef<Pick<DraftsState, 'problem' | 'problemDetail'>>({ problem: null });
  /** …in the language shown. */
  const problem = computed(() => draftsProblemText(problemState.value));
  /** The last failed call (save, discard, resolve, sync now), in plain words. */
  const error = ref<string | null>(null);
  const isLoaded = ref(false);
  let unsubscribe: (() => void) | null = null;
  /** History entries already applied to the grid (by draft id). */
  let seenHistory = new Set<string>();

  const byEmployee = computed(() => new Map(drafts.value.map((draft) => [draft.employeeId, draft])));
  const count = computed(() => drafts.value.length);
  /** Drafts made while working offline: they wait for "Review and send" at a portal sign-in. */
  const heldCount = computed(() => drafts.value.filter((draft) => draft.isHeldForReview === true).length);
  const isSyncing = computed(() => sync.value.state === 'running');

  function forEmployee(employeeId: string): Draft | undefined {
    return byEmployee.value.get(employeeId);
  }

  function applyState(state: DraftsState): void {
    drafts.value = Object.freeze([...state.drafts]);
    history.value = Object.freeze([...state.history]);
    sync.value = state.sync;
    problemState.value = { problem: state.problem, problemDetail: state.problemDetail ?? null };
    isLoaded.value = true;
    patchGrid(state.history, state.drafts);
    seenHistory = new Set(state.history.map((change) => change.draftId));
  }

  /**
   * `drafts:progress` (while sync runs): what changed since main's last drafts event. Changed drafts
   * replace theirs in place, new ones go last (main's order), gone ones leave; applied changes go on
   * top of the history. Applied by id, so it also fits a state read meanwhile (drafts:get-state).
   */
  function applyProgress(progress: DraftsProgress): void {
    sync.value = progress.sync;
    if (progress.changed.length > 0 || progress.removed.length > 0) {
      drafts.value = Object.freeze(withDraftChanges(drafts.value, progress.removed, progress.changed));
    }
    if (progress.applied.length > 0) {
      const added = new Set(progress.applied.map((change) => change.draftId));
      history.value = Object.freeze([...progress.applied, ...history.value.filter((change) => !added.has(change.draftId))].slice(0, HISTORY_LIMIT));
    }
    patchGrid(progress.applied, progress.changed);
    for (const change of progress.applied) seenHistory.add(change.draftId);
  }

  /** What sync did becomes what the grid shows, without a reload (never a row older than the grid's). */
  function patchGrid(applied: readonly AppliedChange[], changedDrafts: readonly Draft[]): void {
    const employees = useEmployeesStore();
    // Oldest first, so the newest applied value of an employee is the one left in the row.
    for (const change of [...applied].reverse()) {
      if (seenHistory.has(change.draftId)) continue;
      const row = employees.findById(change.employeeId);
      if (row && row.version < change.version) {
        employees.applyEmployee({ ...row, cellPhone: change.cellPhone, version: change.version, updatedAt: change.appliedAt });
      }
    }
    for (const draft of changedDrafts) {
      if (draft.state !== 'conflict' || draft.portal === null) continue;
      const row = employees.findById(draft.employeeId);
      if (row && row.version < draft.portal.version) employees.applyEmployee(draft.portal);
    }
  }

  /** Reads main's state and follows its changes (at sign-in, or when working offline starts). */
  async function start(): Promise<void> {
    if (!unsubscribe) {
      const stopState = portal.events.onDraftsChanged(applyState);
      const stopProgress = portal.events.onDraftsProgress(applyProgress);
      unsubscribe = () => {
        stopState();
        stopProgress();
      };
    }
    const result = await portal.drafts.getState();
    if (result.ok) applyState(result.value);
    else error.value = describeError(result.error);
  }

  function remember(draft: Draft): void {
    const others = drafts.value.filter((candidate) => candidate.id !== draft.id && candidate.employeeId !== draft.employeeId);
    drafts.value = Object.freeze([...others, draft].sort((a, b) => a.createdAt.localeCompare(b.createdAt)));
  }

  function forget(id: string): void {
    drafts.value = Object.freeze(drafts.value.filter((draft) => draft.id !== id));
  }

  /** Drafts a number (E.164, as the Edit Employee window reads it; main checks it again); answered once it is on disk. */
  async function save(employee: Employee, cellPhone: string): Promise<IpcResult<Draft>> {
    error.value = null;
    const result = await portal.drafts.save({ employee, cellPhone });
    if (result.ok) remember(result.value);
    else error.value = describeError(result.error);
    return result;
  }

  async function discard(id: string): Promise<boolean> {
    error.value = null;
    const result = await portal.drafts.discard({ id });
    if (!result.ok) {
      error.value = describeError(result.error);
      return false;
    }
    forget(id);
    return true;
  }

  /** A conflict's choice: send mine against the portal's version, or keep the portal's (draft dropped). */
  async function resolve(id: string, choice: 'mine' | 'portal'): Promise<boolean> {
    error.value = null;
    const result = await portal.drafts.resolve({ id, choice });
    if (!result.ok) {
      error.value = describeError(result.error);
      return false;
    }
    if (result.value.draft === null) forget(id);
    else remember(result.value.draft);
    return true;
  }

  async function syncNow(): Promise<void> {
    error.value = null;
    const result = await portal.drafts.syncNow();
    if (!result.ok) {
      error.value = describeError(result.error);
      return;
    }
    sync.value = result.value;
    // Sudo mode: a code over the Outbox, then the same drafts are sent again.
    if (result.value.needsStepUp && (await useStepUpStore().confirm())) await syncNow();
  }

  /** "Review and send": the admin looked at the changes made offline; main may send them now. */
  async function sendReviewed(): Promise<boolean> {
    error.value = null;
    const result = await portal.drafts.sendReviewed();
    if (!result.ok) {
      error.value = describeError(result.error);
      return false;
    }
    applyState(result.value);
    return true;
  }

  /** Forgets the mirrored state (sign-out, leaving offline work); the drafts stay with main. */
  function reset(): void {
    unsubscribe?.();
    unsubscribe = null;
    drafts.value = [];
    history.value = [];
    sync.value = IDLE;
    problemState.value = { problem: null };
    error.value = null;
    isLoaded.value = false;
    seenHistory = new Set();
  }

  return {
    drafts,
    history,
    sync,
    problem,
    error,
    isLoaded,
    byEmployee,
    count,
    heldCount,
    isSyncing,
    forEmployee,
    applyState,
    applyProgress,
    start,
    save,
    discard,
    resolve,
    syncNow,
    sendReviewed,
    reset,
  };
});
