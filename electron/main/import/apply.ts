import { BATCH_MAX_ITEMS, apiErrorSchema, employeeSchema, etagOf, type EmployeeBatchRequest, type EmployeeBatchResponse, type Employee } from '../../../common/api';
import { IpcFailure } from '../../../common/ipc';
import { formatInternational } from '../../../common/phone';
import type { PlannedChange } from './check';

export interface ApplyOutcome {
  applied: number;
  conflicts: number;
  refused: number;
  notSent: number;
  drafted: number;
  isCancelled: boolean;
  requests: number;
}

export interface ApplyOptions {
  /** POST /employees/batch (≤ 100 items). Throws IpcFailure on transport or whole-request errors. */
  sendBatch(items: EmployeeBatchRequest['items']): Promise<EmployeeBatchResponse['results']>;
  /** The portal cannot be reached: keep the change as a draft in the Outbox instead. */
  saveDraft(change: PlannedChange): Promise<void>;
  isCancelled(): boolean;
  onProgress(done: number, total: number): void;
  /** Employees the portal saved (the offline copy and the grid follow them). */
  onApplied(employees: Employee[]): void;
  /**
   * Sudo mode: the portal asked for a fresh second factor. Resolves true once the admin entered a
   * code (sending goes on), false if they did not (the rest is not sent, as with Cancel).
   */
  confirmStepUp?: () => Promise<boolean>;
  chunkSize?: number;
  /** Batches in flight at once (default APPLY_CONCURRENCY). */
  concurrency?: number;
}

/**
 * Batches in flight at once: enough to overlap one batch's round trip and JSON work with the
 * portal's commit of another, few enough not to crowd a portal that serves requests one at a time.
 */
export const APPLY_CONCURRENCY = 4;
/** Times a batch the portal did not answer is sent again (same keys) before the rest becomes drafts. */
const TRANSPORT_RETRIES = 2;

/** A refusal's code for the window: the field's code (a phone reason), else the portal's code, else the HTTP status. */
function errorCodeOf(body: unknown, status: number | undefined): string {
  const parsed = apiErrorSchema.safeParse(body);
  if (!parsed.success) return status === undefined ? 'server_error' : String(status);
  const field = parsed.data.errors?.find((error) => error.field === 'cellPhone') ?? parsed.data.errors?.[0];
  return (field?.code ?? parsed.data.code).slice(0, 64);
}

function errorMessage(body: unknown): string | null {
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
    return (body as { message: string }).message.slice(0, 300);
  }
  return null;
}

/** A conflict in plain words: what the portal holds now. */
function conflictMessage(body: unknown): string {
  const current = employeeSchema.safeParse((body as { current?: unknown } | null)?.current);
  if (!current.success) return 'Changed on the portal since the check; nothing was overwritten. Check the file again.';
  const number = current.data.cellPhone === null ? 'no number' : formatInternational(current.data.cellPhone);
  return `Changed on the portal since the check (it now has ${number}); nothing was overwritten. Check the file again.`;
}

/** A conflict's number on the portal now (E.164, null for none; undefined when the portal did not say). */
function portalPhoneOf(body: unknown): string | null | undefined {
  const current = employeeSchema.safeParse((body as { current?: unknown } | null)?.current);
  return current.success ? current.data.cellPhone : undefined;
}

/** How the sending stopped early, which decides what becomes of the batches not sent. */
type Stop = { kind: 'cancelled' } | { kind: 'offline' } | { kind: 'refused'; message: string; code: string };

/**
 * Sends the checked changes in batches of up to 100, each item with the version seen at the check
 * (If-Match) and its own idempotency key, a few batches in flight at once (each employee is in one
 * batch only, so their order does not matter). Cancel stops new batches from starting (batches in
 * flight finish and stay applied). When the portal asks for a fresh second factor
 * (`step_up_required`, nothing of that batch was applied), sending pauses until `confirmStepUp`
 * answers, then the same batch goes again with the same keys. When the portal cannot be reached,
 * the changes not yet applied become drafts in the Outbox.
 */
export async function applyChanges(changes: readonly PlannedChange[], options: ApplyOptions): Promise<ApplyOutcome> {
  const chunkSize = Math.min(options.chunkSize ?? BATCH_MAX_ITEMS, BATCH_MAX_ITEMS);
  const concurrency = Math.max(1, options.concurrency ?? APPLY_CONCURRENCY);
  const outcome: ApplyOutcome = { applied: 0, conflicts: 0, refused: 0, notSent: 0, drafted: 0, isCancelled: false, requests: 0 };
  const pending = changes.filter((change) => change.status === 'pending');
  const chunks: PlannedChange[][] = [];
  for (let index = 0; index < pending.length; index += chunkSize) chunks.push(pending.slice(index, index + chunkSize));
  let next = 0;
  let done = 0;
  let stop: Stop | null = null;
  /** Batches that failed as a whole, with why. */
  const failed: { chunk: PlannedChange[]; stop: Stop }[] = [];
  /** Sudo mode: one prompt however many batches were refused; `round` counts prompts answered. */
  let stepUp: Promise<boolean> | null = null;
  let stepUpRound = 0;
  let isStepUpDeclined = false;
  options.onProgress(0, pending.length);

  function askStepUp(sentInRound: number): Promise<boolean> {
    // Sent before the last answered prompt: the fresh code covers it, send it again.
    if (sentInRound < stepUpRound) return Promise.resolve(!isStepUpDeclined);
    stepUp ??= (options.confirmStepUp ? options.confirmStepUp() : Promise.resolve(false)).then((isConfirmed) => {
      stepUpRound += 1;
      stepUp = null;
      isStepUpDeclined ||= !isConfirmed;
      return isConfirmed;
    });
    return stepUp;
  }

  async function send(chunk: PlannedChange[]): Promise<EmployeeBatchResponse['results'] | Stop> {
    let transportFailures = 0;
    for (;;) {
      if (stepUp) await stepUp;
      if (isStepUpDeclined) return { kind: 'cancelled' };
      const round = stepUpRound;
      try {
        outcome.requests += 1;
        return await options.sendBatch(chunk.map((change) => ({
          id: change.employeeId,
          ifMatch: etagOf(change.version),
          idempotencyKey: change.idempotencyKey,
          patch: { cellPhone: change.newPhone },
        })));
      } catch (error) {
        if (error instanceof IpcFailure && error.code === 'step_up_required') {
          if (await askStepUp(round)) continue;
          return { kind: 'cancelled' };
        }
        const isTransportFailure = error instanceof IpcFailure && (error.code === 'offline' || error.code === 'timeout');
        // A batch that timed out, or whose kept-alive connection the portal closed under it, may have
        // been applied: the same keys again get the portal's stored answers, never a second change.
        if (isTransportFailure && transportFailures < TRANSPORT_RETRIES) {
          transportFailures += 1;
          continue;
        }
        if (isTransportFailure) return { kind: 'offline' };
        // The whole request was refused (signed out, not an admin…): this batch and the rest are not sent.
        return error instanceof IpcFailure ? { kind: 'refused', message: error.message, code: error.code } : { kind: 'refused', message: 'The portal refused the request.', code: 'server' };
      }
    }
  }

  function record(chunk: PlannedChange[], results: EmployeeBatchResponse['results']): void {
    const byKey = new Map(results.map((result) => [result.idempotencyKey, result]));
    const saved: Employee[] = [];
    for (const change of chunk) {
      const result = byKey.get(change.idempotencyKey);
      if (result && result.status >= 200 && result.status < 300) {
        const employee = employeeSchema.safeParse(result.body);
        if (employee.success) saved.push(employee.data);
        change.status = 'applied';
        outcome.applied += 1;
      } else if (result?.status === 412) {
        change.status = 'conflict';
        change.message = conflictMessage(result.body);
        change.portalPhone = portalPhoneOf(result.body);
        outcome.conflicts += 1;
      } else {
        change.status = 'refused';
        change.message = errorMessage(result?.body) ?? 'The portal refused this change.';
        change.errorCode = errorCodeOf(result?.body, result?.status);
        outcome.refused += 1;
      }
    }
    if (saved.length > 0) options.onApplied(saved);
    done += chunk.length;
    options.onProgress(done, pending.length);
  }

  async function lane(): Promise<void> {
    while (stop === null && next < chunks.length) {
      if (options.isCancelled()) {
        stop = { kind: 'cancelled' };
        break;
      }
      const chunk = chunks[next++]!;
      const answer = await send(chunk);
      if (Array.isArray(answer)) {
        record(chunk, answer);
      } else {
        stop ??= answer;
        failed.push({ chunk, stop: answer });
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, lane));

  // Batches not started share the fate of the first stop; failed batches keep their own.
  const notStarted = chunks.slice(next).flat();
  if (stop !== null) failed.push({ chunk: notStarted, stop });
  for (const { chunk, stop: reason } of failed) {
    if (reason.kind === 'offline') {
      done = await draftTheRest(chunk, options, outcome, { done, total: pending.length });
      continue;
    }
    for (const change of chunk) {
      change.status = 'not_sent';
      change.message = reason.kind === 'cancelled' ? 'Not sent: the import was cancelled.' : reason.message;
      change.notSentCode = reason.kind === 'cancelled' ? 'cancelled' : 'request_refused';
      if (reason.kind === 'refused') change.errorCode = reason.code;
    }
    outcome.notSent += chunk.length;
  }
  outcome.isCancelled = (stop as Stop | null)?.kind === 'cancelled';
  return outcome;
}

async function draftTheRest(rest: readonly PlannedChange[], options: ApplyOptions, outcome: ApplyOutcome, progress: { done: number; total: number }): Promise<number> {
  let { done } = progress;
  for (const change of rest) {
    try {
      await options.saveDraft(change);
      change.status = 'drafted';
      change.message = 'The portal could not be reached: saved as a draft in the Outbox.';
      outcome.drafted += 1;
    } catch (error) {
      change.status = 'not_sent';
      change.message = `Not sent, and it could not be saved as a draft: ${error instanceof IpcFailure ? error.message : 'the drafts file could not be written.'}`;
      change.notSentCode = 'draft_failed';
      change.errorCode = error instanceof IpcFailure ? error.code : 'storage';
      outcome.notSent += 1;
    }
    options.onProgress(++done, progress.total);
  }
  return done;
}
