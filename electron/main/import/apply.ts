import { BATCH_MAX_ITEMS, employeeSchema, etagOf, type EmployeeBatchRequest, type EmployeeBatchResponse, type Employee } from '../../../common/api';
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
  chunkSize?: number;
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

/**
 * Sends the checked changes in batches of up to 100, each item with the version seen at the check
 * (If-Match) and its own idempotency key, one batch at a time. Stops between batches when
 * cancelled (sent batches stay applied). When the portal cannot be reached, the changes not yet
 * applied become drafts in the Outbox.
 */
export async function applyChanges(changes: readonly PlannedChange[], options: ApplyOptions): Promise<ApplyOutcome> {
  const chunkSize = Math.min(options.chunkSize ?? BATCH_MAX_ITEMS, BATCH_MAX_ITEMS);
  const outcome: ApplyOutcome = { applied: 0, conflicts: 0, refused: 0, notSent: 0, drafted: 0, isCancelled: false, requests: 0 };
  const pending = changes.filter((change) => change.status === 'pending');
  let done = 0;
  let index = 0;
  options.onProgress(0, pending.length);

  for (; index < pending.length; index += chunkSize) {
    if (options.isCancelled()) {
      outcome.isCancelled = true;
      break;
    }
    const chunk = pending.slice(index, index + chunkSize);
    let results: EmployeeBatchResponse['results'];
    try {
      outcome.requests += 1;
      results = await options.sendBatch(
        chunk.map((change) => ({
          id: change.employeeId,
          ifMatch: etagOf(change.version),
          idempotencyKey: change.idempotencyKey,
          patch: { cellPhone: change.newPhone },
        })),
      );
    } catch (error) {
      if (error instanceof IpcFailure && (error.code === 'offline' || error.code === 'timeout')) {
        await draftTheRest(pending.slice(index), options, outcome, { done, total: pending.length });
        index = pending.length;
        break;
      }
      // The whole request was refused (signed out, not an admin…): this batch and the rest are not sent.
      const message = error instanceof IpcFailure ? error.message : 'The portal refused the request.';
      for (const change of pending.slice(index)) {
        change.status = 'not_sent';
        change.message = message;
      }
      outcome.notSent += pending.length - index;
      index = pending.length;
      break;
    }
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
        outcome.conflicts += 1;
      } else {
        change.status = 'refused';
        change.message = errorMessage(result?.body) ?? 'The portal refused this change.';
        outcome.refused += 1;
      }
    }
    if (saved.length > 0) options.onApplied(saved);
    done += chunk.length;
    options.onProgress(done, pending.length);
  }
  if (outcome.isCancelled) {
    for (const change of pending.slice(index)) {
      change.status = 'not_sent';
      change.message = 'Not sent: the import was cancelled.';
    }
    outcome.notSent += pending.length - index;
  }
  return outcome;
}

async function draftTheRest(rest: readonly PlannedChange[], options: ApplyOptions, outcome: ApplyOutcome, progress: { done: number; total: number }): Promise<void> {
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
      outcome.notSent += 1;
    }
    options.onProgress(++done, progress.total);
  }
}
