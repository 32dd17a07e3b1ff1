import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { Employee } from '../../common/api';
import type { IpcResult } from '../../common/ipc';
import { afterNextPaint } from '../lib/after-paint';
import { runInBackground } from '../lib/background';
import { describeError } from '../lib/errors';
import { t } from '../i18n';
import { DEFAULT_QUERY, EmployeeIndex, type EmployeeQuery, type SortKey, type SortOrder } from '../lib/employee-index';
import { yieldToMain } from '../lib/sort-in-slices';
import { portal } from '../services/portal';
import { describeOfflineFailure, type OfflinePage } from '../services/offline-copy-pages';
// auth imports this store too (sign-out resets it); both only call each other inside actions.
import { useAuthStore } from './auth';
import { useOfflineStore } from './offline';

export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'error';
/** Where the rows came from: the portal, or the encrypted offline copy on this computer. */
export type RowSource = 'portal' | 'offline';

/** The portal's largest page. */
export const PAGE_SIZE = 1000;
/**
 * The offline copy's page: the copy's worker joins it from rows it keeps, so a page costs the window
 * more than the host, and a smaller one keeps the task that receives and decodes it short.
 */
export const OFFLINE_PAGE_SIZE = 2000;
/** The first page is small, so that the first rows show at once. */
export const FIRST_PAGE_SIZE = 100;
/** Rows added to the index per slice while loading (landline checks cost ~20 µs a row). */
const INGEST_SLICE = 250;
/** While loading, the grid shows new rows at most this often (each showing re-filters). */
const PUBLISH_EVERY_MS = 400;
/** While loading, the count of rows read changes at most this often (each change re-renders the view's progress). */
const PROGRESS_EVERY_MS = 250;
/** Reopening, the delta is asked for after the rows held are painted, or after this long at most. */
const REOPEN_PAINT_WAIT_MS = 100;
/** Below this many rows a column is sorted at once; above it, in slices. */
const SORT_AT_ONCE_LIMIT = 5000;

/**
 * Every employee of the company, for the Manage Employees grid. The rows live in an EmployeeIndex
 * that Vue never makes reactive (100,000 proxied objects would cost seconds and megabytes);
 * `revision` tells views that rows changed and `results` holds the positions that match the query.
 */
export const useEmployeesStore = defineStore('employees', () => {
  let index = markRaw(new EmployeeIndex());
  let generation = 0;

  const status = ref<LoadStatus>('idle');
  const loadedCount = ref(0);
  const total = ref<number | null>(null);
  const error = ref<string | null>(null);
  const revision = ref(0);
  const query = shallowRef<Readonly<EmployeeQuery>>(DEFAULT_QUERY);
  /** The sort the results are in (the wanted one may still be being computed). */
  const appliedSort = shallowRef<{ sort: SortKey; order: SortOrder }>({ sort: 'name', order: 'asc' });
  const results = shallowRef<Uint32Array>(new Uint32Array(0));
  const isSorting = ref(false);
  const source = ref<RowSource | null>(null);
  /** When the rows shown were current: the offline copy's time, or when they came from the portal. */
  const asOf = ref<string | null>(null);
  /** Rows shown from the list already loaded, while main asks the portal what changed (a quiet note, not a progress bar). */
  const isUpdating = ref(false);
  /** The portal's time of the rows held (its `asOf`): where the next `changedSince` delta starts; null: unknown. */
  let portalAsOf: string | null = null;

  const size = computed(() => {
    void revision.value;
    return index.size;
  });
  const resultCount = computed(() => results.value.length);
  /** Employees under "Needs attention", whatever the other filters (shown on the filter before it is ticked). */
  const attentionCount = computed(() => {
    void revision.value;
    return index.attentionCount;
  });
  const isFiltered = computed(() => {
    const q = query.value;
    return q.text.trim() !== '' || q.role !== null || q.status !== null || q.needsAttention || q.neverVerified;
  });

  function rowAt(position: number): Employee {
    return index.at(position);
  }

  function findById(id: string): Employee | undefined {
    const position = index.positionOf(id);
    return position === undefined ? undefined : index.at(position);
  }

  function setQuery(patch: Partial<EmployeeQuery>): void {
    query.value = Object.freeze({ ...query.value, ...patch });
    refresh();
  }

  /** Back to every employee: the search and every filter cleared (the sort stays). */
  function clearFilters(): void {
    const { text, role, status, needsAttention, neverVerified } = DEFAULT_QUERY;
    setQuery({ text, role, status, needsAttention, neverVerified });
  }

  function toggleSort(key: SortKey): void {
    const current = query.value;
    setQuery({ sort: key, order: current.sort === key && current.order === 'asc' ? 'desc' : 'asc' });
  }

  /** Recomputes the matching rows (synchronously: one pass over precomputed text). */
  function refresh(): void {
    const wanted = query.value;
    if (index.hasOrder(wanted.sort, wanted.order) || index.size <= SORT_AT_ONCE_LIMIT) {
      appliedSort.value = { sort: wanted.sort, order: wanted.order };
      isSorting.value = false;
    } else {
      schedulePrepare(wanted.sort, wanted.order);
    }
    // National numbers in the search ("020 7946…") are read in the company's country.
    results.value = index.filter({ ...wanted, ...appliedSort.value }, useAuthStore().companyCountry);
  }

  let preparing: string | null = null;
  function schedulePrepare(sort: SortKey, order: SortOrder): void {
    const key = `${sort}:${order}:${index.revision}`;
    if (preparing === key) return;
    preparing = key;
    isSorting.value = true;
    const target = index;
    runInBackground('Sorting the employee list', async () => {
      await target.prepareOrder(sort, order);
      if (preparing !== key) return;
      preparing = null;
      if (target === index) refresh();
    });
  }

  /**
   * Loads every employee, 1,000 at a time (the portal's largest page) after a first page of 100,
   * asking for the next page while the current one is indexed. The first page shows at once;
   * later ones every 400 ms.
   * A reload builds a new index and swaps it in when complete, so the grid never empties.
   */
  async function load(options: { force?: boolean } = {}): Promise<void> {
    if (status.value === 'loading') return;
    if (status.value === 'loaded' && !options.force) return reopen();
    const run = ++generation;
    const target = index.size === 0 ? index : markRaw(new EmployeeIndex());
    status.value = 'loading';
    error.value = null;
    resetProgress();
    total.value = null;
    isUpdating.value = false;
    if (useAuthStore().isWorkingOffline) {
      await loadOffline(run, target, null);
      return;
    }
    if (!options.force && keepsOfflineCopy() && (await loadFromCopy(run, target))) return;
    if (run !== generation) return;
    let lastPublished = 0;
    let loaded = 0;
    let listAsOf: string | null = null;
    const fetchPage = (cursor: string | null) =>
      portal.employees.list({ limit: cursor === null ? FIRST_PAGE_SIZE : PAGE_SIZE, sort: 'name', order: 'asc', ...(cursor === null ? {} : { cursor }) });

    let pending = fetchPage(null);
    for (;;) {
      const result = await pending;
      if (run !== generation) return;
      if (!result.ok) {
        const failure = t('employeesStore.loadFailed', { reason: describeError(result.error) });
        // Unreachable before any portal rows showed: the offline copy (when this account keeps one)
        // stands in. Rows the portal already gave stay: they are newer than any copy.
        if (result.error.code === 'offline' && source.value !== 'portal') {
          await loadOffline(run, target.size === 0 ? target : markRaw(new EmployeeIndex()), failure);
          return;
        }
        status.value = 'error';
        error.value = failure;
        return;
      }
      const page = result.value;
      if (page.nextCursor !== null) pending = fetchPage(page.nextCursor);
      // The first page's time: whatever changes while the rest is read is newer, and the next delta brings it.
      if (loaded === 0) listAsOf = page.asOf ?? null;
      total.value = Math.max(page.total, loaded + page.items.length);
      if (!(await ingest(run, target, page.items))) return;
      loaded += page.items.length;
      showProgress(loaded, page.nextCursor === null);
      if (page.nextCursor === null) break;
      if (target === index && performance.now() - lastPublished >= PUBLISH_EVERY_MS) lastPublished = publishNow();
    }
    finishLoad(target, 'portal', new Date().toISOString());
    portalAsOf = listAsOf;
  }

  /**
   * Opening Manage Employees again in the session: the rows held show at once (they never left), and
   * a `changedSince` delta brings additions, changes and deletions. Rows from the offline copy
   * because the portal could not be reached wait for Reload.
   */
  async function reopen(): Promise<void> {
    if (source.value !== 'portal' || portalAsOf === null || isUpdating.value || useAuthStore().isWorkingOffline) return;
    const run = generation;
    isUpdating.value = true;
    // The rows held are drawn first; the delta (and indexing its rows) comes after that frame, never before it.
    await paintedOrLater();
    if (run === generation) await update(run);
  }

  /** Resolves once the next frame is painted, or after REOPEN_PAINT_WAIT_MS (a hidden window paints no frames). */
  function paintedOrLater(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, REOPEN_PAINT_WAIT_MS);
      afterNextPaint(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Asks main for the delta since `portalAsOf` and applies it; too old or too large for a delta: a full load. */
  async function update(run: number): Promise<void> {
    if (portalAsOf === null) return;
    isUpdating.value = true;
    const result = await portal.employees.changes({ since: portalAsOf });
    if (run !== generation) return;
    isUpdating.value = false;
    if (!result.ok) {
      // Unreachable: the rows stay, with the note of when they were current.
      if (result.error.code === 'offline') source.value = 'offline';
      return;
    }
    if (!result.value.complete) return load({ force: true });
    const { items, deleted } = result.value;
    if (items.length > 0 || deleted.length > 0) {
      index = markRaw(index.withChanges(items, deleted));
      total.value = index.size;
      publish();
    }
    portalAsOf = result.value.asOf;
    asOf.value = new Date().toISOString();
  }

  /**
   * The first opening after a restart, when this account keeps an offline copy: its rows show at
   * once and a delta brings them up to date — no full download. False when there is no copy to start
   * from (or one too old to tell deletions), when it could not be read to the end, or when the copy
   * changed while it was read three times.
   */
  async function loadFromCopy(run: number, target: EmployeeIndex): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const first = await portal.employees.listOffline({ offset: 0, limit: FIRST_PAGE_SIZE });
      if (run !== generation) return true;
      if (!first.ok || first.value.total === 0 || !first.value.since) break;
      isUpdating.value = true;
      const into = attempt === 0 ? target : markRaw(new EmployeeIndex());
      const outcome = await loadOffline(run, into, null, { first: first.value, since: first.value.since });
      if (run !== generation) return true;
      if (outcome === 'changed') continue;
      // The copy could not be read to the end (its worker stopped): the portal's list instead.
      if (outcome === 'failed') break;
      if (status.value !== 'loaded') return true;
      source.value = 'portal';
      portalAsOf = first.value.since;
      await update(run);
      return true;
    }
    // The portal's list from scratch: no row of the copy may stay (the portal may have deleted it).
    target.clear();
    resetProgress();
    total.value = null;
    isUpdating.value = false;
    return false;
  }

  /**
   * Whether the signed-in account keeps an offline copy on this computer (main tells the accounts
   * that do). Without one, the portal's first page is asked for at once, not after asking main for
   * a copy that is not there (a round trip before the first rows).
   */
  function keepsOfflineCopy(): boolean {
    const email = useAuthStore().user?.email.toLowerCase();
    return email !== undefined && useOfflineStore().accounts.some((account) => account.email.toLowerCase() === email);
  }

  /**
   * Loads the offline copy, 2,000 rows a page, with the same progress as a portal load. With
   * `failure` (the portal could not be reached) an empty copy leaves that error showing.
   */
  async function loadOffline(
    run: number,
    target: EmployeeIndex,
    failure: string | null,
    // Reopening from the copy: its first page is already read, and a page of another `since` means the copy changed meanwhile.
    from: { first: OfflinePage; since: string } | null = null,
  ): Promise<'changed' | 'failed' | void> {
    let lastPublished = 0;
    let offset = 0;
    const fetchPage = (at: number) => portal.employees.listOffline({ offset: at, limit: OFFLINE_PAGE_SIZE });
    let pending: Promise<IpcResult<OfflinePage>> = from ? Promise.resolve({ ok: true, value: from.first }) : fetchPage(0);
    let copyTime: string | null | undefined;
    for (;;) {
      const result = await pending;
      if (run !== generation) return;
      if (from && result.ok && result.value.since !== from.since) return 'changed';
      if (!result.ok) {
        if (from) return 'failed';
        status.value = 'error';
        error.value = failure ?? t('employeesStore.offlineReadFailed', { reason: describeOfflineFailure(result.error) });
        return;
      }
      const page = result.value;
      if (offset === 0 && page.asOf === null && failure !== null) {
        status.value = 'error';
        error.value = failure;
        return;
      }
      copyTime = page.asOf;
      const next = offset + page.items.length;
      const isLast = page.items.length === 0 || next >= page.total;
      if (!isLast) pending = fetchPage(next);
      total.value = Math.max(page.total, next);
      if (!(await ingest(run, target, page.items))) return;
      showProgress(next, isLast);
      offset = next;
      if (isLast) break;
      if (target === index && performance.now() - lastPublished >= PUBLISH_EVERY_MS) lastPublished = publishNow();
    }
    finishLoad(target, from ? 'portal' : 'offline', copyTime ?? null);
    if (from && target === index) publish();
  }

  /** Adds a page to the index in slices, yielding between them; false when a newer load took over. */
  async function ingest(run: number, target: EmployeeIndex, items: readonly Employee[]): Promise<boolean> {
    for (let start = 0; start < items.length; start += INGEST_SLICE) {
      target.append(items.slice(start, start + INGEST_SLICE));
      if (start + INGEST_SLICE < items.length) await yieldToMain();
      if (run !== generation) return false;
    }
    return true;
  }

  let progressShownAt = 0;
  let progressTimer: ReturnType<typeof setTimeout> | null = null;
  /**
   * The count of rows read so far, shown at once for the first page and the last, else at most every
   * PROGRESS_EVERY_MS; a count held back is shown when that time is up, so a slow next page never leaves
   * an old count on screen.
   */
  function showProgress(count: number, isLast: boolean): void {
    const now = performance.now();
    const wait = PROGRESS_EVERY_MS - (now - progressShownAt);
    if (!isLast && loadedCount.value !== 0 && wait > 0) {
      if (progressTimer !== null) clearTimeout(progressTimer);
      progressTimer = setTimeout(() => {
        progressTimer = null;
        showProgress(count, false);
      }, wait);
      return;
    }
    resetProgress(count);
    progressShownAt = now;
  }
  /** Shows `count` rows read (0: a load starts or ends), with no held-back count left to show later. */
  function resetProgress(count = 0): void {
    if (progressTimer !== null) clearTimeout(progressTimer);
    progressTimer = null;
    loadedCount.value = count;
  }

  /** Shows the rows loaded so far; returns when (for the 400 ms pacing). */
  function publishNow(): number {
    publish();
    return performance.now();
  }

  function finishLoad(target: EmployeeIndex, from: RowSource, time: string | null): void {
    index = target;
    status.value = 'loaded';
    portalAsOf = null;
    total.value = index.size;
    source.value = from;
    asOf.value = time;
    publish();
  }

  function publish(): void {
    revision.value++;
    refresh();
  }

  /** An employee as the portal now holds it: its row changes where it is (no reload, no re-filter). */
  function applyEmployee(employee: Employee): void {
    if (index.replace(employee)) revision.value++;
  }

  /** Saves a new cell phone number (E.164, as the Edit Employee window reads it; null removes it; main and the portal check it again). */
  async function saveCellPhone(input: { id: string; version: number; cellPhone: string | null; idempotencyKey: string }): Promise<IpcResult<Employee>> {
    const result = await portal.employees.update(input);
    if (result.ok) applyEmployee(result.value);
    return result;
  }

  /** Drops everything (sign-out: the list is personal data). */
  function reset(): void {
    generation++;
    index = markRaw(new EmployeeIndex());
    status.value = 'idle';
    resetProgress();
    total.value = null;
    error.value = null;
    query.value = DEFAULT_QUERY;
    appliedSort.value = { sort: 'name', order: 'asc' };
    results.value = new Uint32Array(0);
    isSorting.value = false;
    preparing = null;
    source.value = null;
    asOf.value = null;
    isUpdating.value = false;
    portalAsOf = null;
    revision.value++;
  }

  return {
    status,
    loadedCount,
    total,
    error,
    revision,
    query,
    appliedSort,
    results,
    isSorting,
    source,
    asOf,
    isUpdating,
    size,
    resultCount,
    attentionCount,
    isFiltered,
    rowAt,
    findById,
    setQuery,
    clearFilters,
    toggleSort,
    refresh,
    load,
    applyEmployee,
    saveCellPhone,
    reset,
  };
});
