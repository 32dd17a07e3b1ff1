import { apiErrorSchema, employeeSchema, etagOf, type Employee, type EmployeeBatchRequest, type EmployeeBatchResponse } from '../../../common/api';
import type { Draft, SyncStatus, SyncWaitReason } from '../../../common/drafts';
import { IpcFailure } from '../../../common/ipc';
import type { Logger } from '../log';
import { loggingBackgroundRunner } from '../infra/background';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './backoff';
import type { DraftStore, DraftsDocument } from './draft-store';

/**
 * Sends drafts to the portal: oldest first, up to 100 per `POST /employees/batch`, each with its
 * base version as If-Match and its own idempotency key (the same on every retry, so a retry can
 * never apply a change twice). Every state change is written to the drafts file before the next
 * step, so a crash at any point leaves drafts that are re-sent with the same keys.
 *
 *   200 → synced (into the history)     412 → conflict (the portal's copy kept beside mine)
 *   422/404/403/400 → rejected (why)    network, timeout, 5xx, 429, 409 → failed, retried with
 *                                        backoff and jitter, never sooner than Retry-After
 */
export type BatchItem = EmployeeBatchRequest['items'][number];
export type BatchResult = EmployeeBatchResponse['results'][number];

export interface SyncTransport {
  /** One batch request; throws IpcFailure when the request as a whole failed. */
  sendBatch(items: BatchItem[]): Promise<BatchResult[]>;
}

export type SyncGate = { ok: true; transport: SyncTransport } | { ok: false; reason: string; code?: SyncWaitReason };

export interface SyncEngineOptions {
  /** The signed-in account's drafts, or null. */
  store: () => DraftStore | null;
  /** Whether sync may run now (signed in with the portal, portal reachable) and how to send. */
  gate: () => SyncGate;
  /** Changes the portal applied (or its copies after conflicts), a batch at a time: the offline employee list follows. */
  onEmployees?: (employees: readonly Employee[]) => void;
  /** After every change of drafts or status. */
  onChange?: () => void;
  log: Logger;
  clock?: () => number;
  random?: () => number;
  batchSize?: number;
  /** Batches on their way at once (default IN_FLIGHT). */
  inFlight?: number;
  backoff?: BackoffPolicy;
  /** Automatic runs (new drafts, retries when due). Off in tests that drive `run` themselves. */
  isAutomatic?: boolean;
}

export interface SyncReport {
  batches: number;
  synced: number;
  conflicts: number;
  rejected: number;
  failed: number;
}

export interface SyncEngine {
  status(): SyncStatus;
  /**
   * Sends every due draft now; resolves when nothing due is left or sync has to wait.
   * `retryNow` (the admin's "Sync now") also sends failed drafts whose retry is not due yet, once.
   */
  run(options?: { retryNow?: boolean }): Promise<SyncReport>;
  /** Something changed (a draft, the connection, the session): run soon if allowed. */
  kick(): void;
  stop(): void;
  /** Resolves when the run in progress (if any) has ended; starts none. Quitting waits on it. */
  whenIdle(): Promise<void>;
}

export const BATCH_SIZE = 100;
/**
 * One batch on its way at a time by default. Two (`inFlight: 2`) write and send the next batch while
 * the portal applies the one before, which hides a long round trip; against the reference portal on
 * loopback it was no faster (the portal's own work sets the pace) and main's longest stall grew.
 */
export const IN_FLIGHT = 1;

const REJECTION_MESSAGES: Record<number, string> = {
  400: 'The portal did not accept this change as sent.',
  403: 'Only a portal administrator may change numbers.',
  404: 'This employee no longer exists on the portal (or belongs to another company).',
  428: 'The portal asked for the version the change was made against.',
};

function isDue(draft: Draft, now: number): boolean {
  // Made while working offline: waits for the admin's "Review and send" (drafts-service.ts).
  if (draft.isHeldForReview === true) return false;
  if (draft.state === 'pending' || draft.state === 'syncing') return true;
  return draft.state === 'failed' && (draft.nextAttemptAt === null || Date.parse(draft.nextAttemptAt) <= now);
}

function bodyMessage(body: unknown): { code: string; message: string } | null {
  const parsed = apiErrorSchema.safeParse(body);
  if (!parsed.success) return null;
  const field = parsed.data.errors?.find((error) => error.field === 'cellPhone') ?? parsed.data.errors?.[0];
  return { code: field?.code ?? parsed.data.code, message: (field?.message ?? parsed.data.message).slice(0, 500) };
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;
  const batchSize = Math.min(BATCH_SIZE, options.batchSize ?? BATCH_SIZE);
  const inFlight = Math.max(1, options.inFlight ?? IN_FLIGHT);
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const log = options.log;
  const runInBackground = loggingBackgroundRunner(log);
  let status: SyncStatus = { state: 'idle', reason: null, done: 0, total: 0, lastSyncAt: null, nextAttemptAt: null };
  let running: Promise<SyncReport> | null = null;
  let isKickedAgain = false;
  let isRetryNowAgain = false;
  let timer: NodeJS.Timeout | null = null;
  let isStopped = false;

  const iso = (time: number) => new Date(time).toISOString();
  function setStatus(patch: Partial<SyncStatus>): void {
    status = { ...status, ...patch };
    // A step-up wait lasts until the next change of state.
    if (patch.state !== undefined && patch.needsStepUp === undefined) delete status.needsStepUp;
    // The reason's code goes with the reason (a new reason without one clears it).
    if (patch.reason !== undefined) status = { ...status, reasonCode: patch.reasonCode ?? null, errorCode: patch.errorCode ?? null };
    options.onChange?.();
  }

  /** The earliest retry among failed drafts: a timer runs sync again then. */
  function scheduleRetry(store: DraftStore): void {
    if (timer) clearTimeout(timer);
    timer = null;
    const times = store.drafts().filter((draft) => draft.state === 'failed' && draft.nextAttemptAt !== null).map((draft) => Date.parse(draft.nextAttemptAt!));
    const next = times.length > 0 ? Math.min(...times) : null;
    if (status.nextAttemptAt !== (next === null ? null : iso(next))) setStatus({ nextAttemptAt: next === null ? null : iso(next) });
    if (next === null || !(options.isAutomatic ?? true) || isStopped) return;
    timer = setTimeout(() => {
      timer = null;
      engine.kick();
    }, Math.max(0, next - clock()));
    timer.unref();
  }

  function markFailed(document: DraftsDocument, ids: ReadonlySet<string>, failure: { code: string; message: string }, retryAfterSeconds?: number): void {
    const now = clock();
    for (const draft of document.drafts) {
      if (!ids.has(draft.id)) continue;
      draft.attempts += 1;
      draft.state = 'failed';
      draft.error = failure;
      draft.nextAttemptAt = iso(now + retryDelayMs(draft.attempts, random, backoff, retryAfterSeconds));
      draft.updatedAt = iso(now);
    }
  }

  /**
   * Applies one item's answer to its draft (`draft`: the draft now, by the id of `sent`, what was
   * sent). A synced draft's id goes into `synced`, for the caller to drop them all in one pass.
   */
  function settle(document: DraftsDocument, draft: Draft | undefined, sent: Draft, result: BatchResult | undefined, report: SyncReport, applied: Employee[], synced: Set<string>): void {
    const now = clock();
    if (result === undefined) {
      if (draft?.idempotencyKey === sent.idempotencyKey) markFailed(document, new Set([sent.id]), { code: 'server', message: 'The portal did not answer for this change.' });
      report.failed++;
      return;
    }
    const isSameContent = draft !== undefined && draft.idempotencyKey === sent.idempotencyKey;
    // Stale, but the portal already holds this very number (our own write before a crash, or the
    // same fix made by someone else): nothing to change, nothing to ask.
    const stale = result.status === 412 ? employeeSchema.safeParse(apiErrorSchema.safeParse(result.body).data?.current) : null;
    const isAlreadyThere = stale?.success === true && stale.data.cellPhone === sent.cellPhone;
    if ((result.status >= 200 && result.status < 300) || isAlreadyThere) {
      const employee = isAlreadyThere ? stale! : employeeSchema.safeParse(result.body);
      const version = employee.success ? employee.data.version : sent.baseVersion + 1;
      document.history.unshift({
        draftId: sent.id,
        employeeId: sent.employeeId,
        employee: sent.employee,
        cellPhone: employee.success ? (employee.data.cellPhone ?? sent.cellPhone) : sent.cellPhone,
        basePhone: sent.basePhone,
        version,
        appliedAt: iso(now),
      });
      if (employee.success) applied.push(employee.data);
      report.synced++;
      if (isSameContent) synced.add(sent.id);
      else if (draft) {
        // Edited while this change was on its way: the portal now holds our own earlier value,
        // so the edit's base moves on to it (it is not someone else's change to warn about).
        draft.baseVersion = version;
        draft.basePhone = sent.cellPhone;
      }
      return;
    }
    if (!isSameContent || !draft) return; // edited or discarded meanwhile: its new content is sent next time
    draft.updatedAt = iso(now);
    if (result.status === 412) {
      const body = apiErrorSchema.safeParse(result.body);
      const current = employeeSchema.safeParse(body.success ? body.data.current : undefined);
      draft.state = 'conflict';
      draft.portal = current.success ? current.data : null;
      draft.error = { code: 'conflict', message: 'Someone changed this employee on the portal after you drafted this change.' };
      draft.nextAttemptAt = null;
      draft.attempts = 0;
      if (current.success) applied.push(current.data);
      report.conflicts++;
      return;
    }
    const retryable = result.status >= 500 || result.status === 429 || result.status === 409;
    if (retryable) {
      markFailed(document, new Set([draft.id]), bodyMessage(result.body) ?? { code: 'server', message: 'The portal could not apply this change yet.' });
      report.failed++;
      return;
    }
    const why = bodyMessage(result.body);
    draft.state = 'rejected';
    draft.error = { code: why?.code ?? String(result.status), message: REJECTION_MESSAGES[result.status] ?? why?.message ?? 'The portal refused this change.' };
    if (result.status === 422 && why) draft.error = why;
    draft.nextAttemptAt = null;
    report.rejected++;
  }

  /** A batch on its way: its drafts as sent (marked `syncing` on disk before the request went). */
  interface Flight {
    ids: Set<string>;
    sent: Draft[];
    answer: Promise<{ ok: true; results: BatchResult[] } | { ok: false; failure: IpcFailure }>;
  }

  async function runOnce(retryNow: boolean): Promise<SyncReport> {
    const report: SyncReport = { batches: 0, synced: 0, conflicts: 0, rejected: 0, failed: 0 };
    const store = options.store();
    if (!store) return report;
    // Failed drafts sent ahead of their retry time: each once in this run, so a failure cannot loop.
    const retryingNow = new Set(retryNow ? store.drafts().filter((draft) => draft.state === 'failed' && draft.isHeldForReview !== true).map((draft) => draft.id) : []);
    /** Drafts in a batch on its way: never in a second one at the same time. */
    const flying = new Set<string>();
    const due = () => store.drafts().filter((draft) => !flying.has(draft.id) && (isDue(draft, clock()) || (draft.state === 'failed' && retryingNow.has(draft.id))));
    const initial = due().length;
    if (initial === 0) {
      scheduleRetry(store);
      if (status.state !== 'idle' || status.reason !== null) setStatus({ state: 'idle', reason: null });
      return report;
    }
    setStatus({ state: 'running', reason: null, done: 0, total: initial });
    let done = 0;

    const launch = (transport: SyncTransport): Flight | null => {
      const batch = due().slice(0, batchSize);
      if (batch.length === 0) return null;
      const ids = new Set(batch.map((draft) => draft.id));
      for (const id of ids) {
        retryingNow.delete(id);
        flying.add(id);
      }
      // Written before sending: after a crash these are found as `syncing` and re-sent with the same keys.
      try {
        store.transact((document) => {
          for (const draft of document.drafts) if (ids.has(draft.id)) draft.state = 'syncing';
        }, { only: ids });
      } catch (error) {
        for (const id of ids) flying.delete(id);
        throw error;
      }
      options.onChange?.();
      const sent = batch.map((draft) => ({ ...draft }));
      const items: BatchItem[] = sent.map((draft) => ({
        id: draft.employeeId,
        ifMatch: etagOf(draft.baseVersion),
        idempotencyKey: draft.idempotencyKey,
        patch: { cellPhone: draft.cellPhone },
      }));
      report.batches++;
      const answer = transport.sendBatch(items).then(
        (results) => ({ ok: true as const, results }),
        (error: unknown) => ({ ok: false as const, failure: error instanceof IpcFailure ? error : new IpcFailure('server', 'The portal could not be reached.') }),
      );
      return { ids, sent, answer };
    };

    /** Writes a batch's outcome; returns what to say when the run ends because of it (null: go on). */
    const land = (flight: Flight, outcome: Awaited<Flight['answer']>): (() => void) | null => {
      const { ids, sent } = flight;
      if (!outcome.ok) {
        const { failure } = outcome;
        if (failure.code === 'unauthenticated' || failure.code === 'step_up_required') {
          // Not the drafts' fault: they wait, untouched, for the next sign-in or a fresh code.
          store.transact((document) => {
            for (const draft of document.drafts) if (ids.has(draft.id) && draft.state === 'syncing') draft.state = 'pending';
          }, { only: ids });
          if (failure.code === 'step_up_required') {
            return () => setStatus({ state: 'waiting', reason: 'Confirm it is you with a code to send your drafts.', reasonCode: 'step_up', needsStepUp: true });
          }
          return () => setStatus({ state: 'waiting', reason: 'Sign in with the portal to send your drafts.', reasonCode: 'sign_in' });
        }
        if (failure.code === 'forbidden') {
          store.transact((document) => {
            for (const draft of document.drafts) {
              if (!ids.has(draft.id) || draft.state !== 'syncing') continue;
              draft.state = 'rejected';
              draft.error = { code: 'forbidden', message: REJECTION_MESSAGES[403]! };
            }
          }, { only: ids });
          report.rejected += ids.size;
          return null;
        }
        store.transact((document) => {
          const stillSent = new Set(document.drafts.filter((draft) => ids.has(draft.id) && draft.state === 'syncing').map((draft) => draft.id));
          markFailed(document, stillSent, { code: failure.code, message: failure.message.slice(0, 500) }, failure.extra.retryAfterSeconds);
        }, { only: ids });
        report.failed += ids.size;
        log.info('sync: a batch failed; retrying later', { code: failure.code, drafts: ids.size });
        return () => {
          setStatus({ state: 'waiting', reason: `${failure.message} Your drafts are kept and will be sent again automatically.`, reasonCode: 'send_failed', errorCode: failure.code });
          scheduleRetry(store);
        };
      }
      const byKey = new Map(outcome.results.map((result) => [result.idempotencyKey, result]));
      const applied: Employee[] = [];
      store.transact((document) => {
        // By id, and synced drafts dropped in one pass (a search and a splice of the whole list per draft grew with drafts × batch).
        const current = new Map(document.drafts.filter((draft) => ids.has(draft.id)).map((draft) => [draft.id, draft]));
        const synced = new Set<string>();
        for (const draft of sent) settle(document, current.get(draft.id), draft, byKey.get(draft.idempotencyKey), report, applied, synced);
        if (synced.size > 0) document.drafts = document.drafts.filter((draft) => !synced.has(draft.id));
        // A draft edited while its batch was out is back to pending with its new key.
        for (const draft of current.values()) if (draft.state === 'syncing') draft.state = 'pending';
      }, { only: ids });
      if (applied.length > 0) options.onEmployees?.(applied);
      done += sent.length;
      setStatus({ done: Math.min(done, Math.max(status.total, done)), total: Math.max(status.total, done), lastSyncAt: iso(clock()) });
      return null;
    };

    // Up to `inFlight` batches on their way: with more than one, the next is written and sent while
    // the portal works on the one before; each answer is written in the order the batches went.
    const flights: Flight[] = [];
    let ending: (() => void) | null = null;
    for (;;) {
      while (ending === null && !isStopped && flights.length < inFlight) {
        const gate = options.gate();
        if (!gate.ok) {
          ending = () => {
            setStatus({ state: 'waiting', reason: gate.reason, reasonCode: gate.code ?? null });
            scheduleRetry(store);
          };
          break;
        }
        const flight = launch(gate.transport);
        if (!flight) break;
        flights.push(flight);
      }
      const flight = flights.shift();
      if (!flight) break;
      const outcome = await flight.answer;
      for (const id of flight.ids) flying.delete(id);
      const end = land(flight, outcome);
      ending ??= end;
    }
    if (ending) {
      ending();
      return report;
    }
    setStatus({ state: 'idle', reason: null });
    scheduleRetry(store);
    return report;
  }

  const engine: SyncEngine = {
    status: () => ({ ...status }),
    run(runOptions = {}) {
      let retryNow = runOptions.retryNow ?? false;
      if (running) {
        isKickedAgain = true;
        isRetryNowAgain ||= retryNow;
        return running;
      }
      const flight = (async () => {
        let total: SyncReport = { batches: 0, synced: 0, conflicts: 0, rejected: 0, failed: 0 };
        do {
          isKickedAgain = false;
          const report = await runOnce(retryNow);
          retryNow = isRetryNowAgain;
          isRetryNowAgain = false;
          total = {
            batches: total.batches + report.batches,
            synced: total.synced + report.synced,
            conflicts: total.conflicts + report.conflicts,
            rejected: total.rejected + report.rejected,
            failed: total.failed + report.failed,
          };
        } while (isKickedAgain && !isStopped);
        return total;
      })().finally(() => {
        running = null;
      });
      running = flight;
      return flight;
    },
    kick() {
      if (isStopped || !(options.isAutomatic ?? true)) return;
      runInBackground('syncing drafts', () => engine.run());
    },
    stop() {
      isStopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
    whenIdle: () => (running ? running.then(() => undefined, () => undefined) : Promise.resolve()),
  };
  return engine;
}
