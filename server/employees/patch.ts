import {
  idempotencyKeySchema,
  versionFromEtag,
  type ApiError,
  type Employee,
  type EmployeePatch,
} from '../../common/api';
import { explainPhoneRefusal, validatePhone } from '../../common/phone';
import type { AuthedUser } from '../auth/authenticate';
import type { Queryable } from '../db/store';
import { companySettings, type CompanySettings } from '../company/settings';
import { changeNumber, NumberChangeBatch } from './number-change';
import { claimKey, completeKey, requestHash } from './idempotency';
import { findEmployee } from './repository';
import { toEmployee, type EmployeeRow } from './serialize';

/**
 * One employee change, as PATCH /employees/{id} and each item of POST /employees/batch make it.
 * Answers with a status and body instead of throwing, so the batch can report every item and an
 * idempotency key can store whatever the answer was.
 */
export interface PatchCommand {
  actor: AuthedUser;
  employeeId: string;
  /** The If-Match header (or the batch item's ifMatch). */
  ifMatch: string | undefined;
  idempotencyKey: string | undefined;
  patch: EmployeePatch;
  requestId: string;
  now: Date;
  /** An item of POST /employees/batch: what the batch's items share (see WriteBatch). */
  batch?: WriteBatch;
}

/**
 * What the items of one POST /employees/batch share, made inside the batch's transaction: their
 * audit rows and notices, written together by `finish` before it commits, and the company's
 * settings, read once for the batch (the items are one transaction, judged at one setting).
 */
export class WriteBatch {
  readonly records = new NumberChangeBatch();
  private settings: Promise<CompanySettings> | null = null;

  settingsOf(db: Queryable, companyId: string): Promise<CompanySettings> {
    this.settings ??= companySettings(db, companyId);
    return this.settings;
  }

  /** Call inside the batch's transaction, after its last item. */
  finish(db: Queryable): Promise<void> {
    return this.records.write(db);
  }
}

export interface PatchOutcome {
  status: number;
  body: Employee | ApiError;
  /** True when the answer is the stored one of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

export const answer = (status: number, body: Employee | ApiError): PatchOutcome => ({ status, body, replayed: false });
export const failure = (status: number, code: ApiError['code'], message: string, extra: Omit<ApiError, 'code' | 'message'> = {}) =>
  answer(status, { code, message, ...extra });

export const stale = (row: EmployeeRow, actor: AuthedUser) =>
  failure(412, 'precondition_failed', 'This employee was changed after you loaded them. Review the current details and try again.', {
    current: toEmployee(row, actor),
  });

export function patchEmployee(db: Queryable, command: PatchCommand): Promise<PatchOutcome> {
  return conditionalWrite(db, command, ['PATCH', `/api/v1/employees/${command.employeeId}`, command.patch], (tx, ifMatch, record) =>
    apply(tx, command, ifMatch, record));
}

/**
 * The rules every write to an employee follows (PATCH, batch items, confirming a phone
 * verification): If-Match required, and an Idempotency-Key's first outcome is stored and replayed.
 * `write` gets the database to use, the If-Match and a `record` to call with its outcome inside its
 * transaction.
 *
 * With a key, the claim, the change and the stored outcome are one transaction that holds the key's
 * lock: a retry of the same key (on any instance) that arrives while the first request is in
 * flight waits for it and then gets its stored answer, never `409 in_progress`; and a request that
 * fails or dies leaves no claim behind.
 */
export async function conditionalWrite(
  db: Queryable,
  command: Pick<PatchCommand, 'actor' | 'ifMatch' | 'idempotencyKey' | 'now' | 'batch'>,
  request: readonly [method: string, path: string, body: unknown],
  write: (db: Queryable, ifMatch: string, record: (db: Queryable, outcome: PatchOutcome) => Promise<void>) => Promise<PatchOutcome>,
): Promise<PatchOutcome> {
  const ifMatch = command.ifMatch?.trim() ?? '';
  // `If-Match: *` would let a write through without naming the version it was made against.
  if (ifMatch === '' || ifMatch === '*') {
    return failure(428, 'precondition_required', 'Send If-Match with the ETag of the employee you changed (for example "3").');
  }
  const key = command.idempotencyKey;
  if (key === undefined) return write(db, ifMatch, async () => {});
  if (!idempotencyKeySchema.safeParse(key).success) {
    return failure(400, 'bad_request', 'The Idempotency-Key header must be a UUID.');
  }

  const actorId = command.actor.id;
  const [method, path, body] = request;
  const hash = requestHash([method, path, ifMatch, body]);
  return atomically(db, command.batch, async (tx) => {
    const claim = await claimKey(tx, actorId, key, hash, command.now);
    if (claim.kind === 'replay') return { status: claim.response.status, body: claim.response.body as Employee | ApiError, replayed: true };
    if (claim.kind === 'refused') return answer(claim.response.status, claim.response.body);
    const claimed = { actorId, key, hash, now: command.now };
    let recorded = false;
    const outcome = await write(tx, ifMatch, async (inner, result) => {
      await completeKey(inner, claimed, result);
      recorded = true;
    });
    // A path that answered without recording still stores its answer with the key.
    if (!recorded) await completeKey(tx, claimed, outcome);
    return outcome;
  });
}

/**
 * `db.transaction(work)`, except for an item of a batch: the batch is one transaction, and an item
 * that throws fails (rolls back) the whole batch, so a savepoint per item or step would undo nothing
 * more — and costs statements (PostgreSQL: round trips) per item.
 */
function atomically<T>(db: Queryable, batch: WriteBatch | undefined, work: (tx: Queryable) => Promise<T>): Promise<T> {
  return batch ? work(db) : db.transaction(work);
}

/** The change itself. `record` stores the outcome with the idempotency key (inside the change's transaction). */
async function apply(db: Queryable, command: PatchCommand, ifMatch: string, record: (db: Queryable, outcome: PatchOutcome) => Promise<void>): Promise<PatchOutcome> {
  const { actor } = command;
  const finish = async (outcome: PatchOutcome, tx: Queryable = db) => {
    await record(tx, outcome);
    return outcome;
  };

  const row = await findEmployee(db, actor.companyId, command.employeeId);
  if (!row) return finish(failure(404, 'not_found', 'No such employee.'));

  // `cellPhone: null` removes the number (a leaver, or someone moving to an authenticator app).
  const requested = command.patch.cellPhone;
  const result = requested === null ? ({ ok: true, e164: null } as const) : validatePhone(requested, actor.companyCountry);
  if (!result.ok) {
    return finish(
      failure(422, 'validation_failed', 'The change was not saved.', {
        errors: [{ field: 'cellPhone', code: result.reason, message: explainPhoneRefusal(requested, actor.companyCountry, result.reason) }],
      }),
    );
  }
  // A weak, malformed or listed ETag never matches strongly (RFC 9110 §13.1.1): 412, like a stale one.
  if (versionFromEtag(ifMatch) !== row.version) return finish(stale(row, actor));
  // The same number again (in whatever format), or no number again: nothing to change, nothing to audit.
  if (result.e164 === row.cell_phone) return finish(answer(200, toEmployee(row, actor)));
  // Removing a number leaves nothing to verify: allowed whatever the setting.
  const settings = command.batch ? command.batch.settingsOf(db, actor.companyId) : companySettings(db, actor.companyId);
  if (result.e164 !== null && (await settings).requireVerifiedPhone) {
    return finish(failure(422, 'verification_required', `${actor.companyName} accepts only verified numbers: use Verify and save, which sends a code to the new number.`));
  }

  const updated = await atomically(db, command.batch, async (tx): Promise<PatchOutcome | null> => {
    const next = await changeNumber(
      tx, { actor, before: row, cellPhone: result.e164, verified: false, requestId: command.requestId, at: command.now }, command.batch?.records);
    if (!next) return null;
    return finish(answer(200, toEmployee(next, actor)), tx);
  });
  if (updated) return updated;

  // Another writer won the compare-and-swap between our read and our write.
  const current = await findEmployee(db, actor.companyId, command.employeeId);
  return finish(current ? stale(current, actor) : failure(404, 'not_found', 'No such employee.'));
}
