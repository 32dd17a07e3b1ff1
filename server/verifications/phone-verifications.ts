import { versionFromEtag, type ApiError, type PhoneVerification } from '../../common/api';
import { phoneMessage, validatePhone } from '../../common/phone';
import type { AuthedUser } from '../auth/authenticate';
import { rateLimited } from '../auth/auth-errors';
import { checkSendAllowed, codeExpiry, MAX_SENDS, MAX_WRONG_CODES, newChallengeId, RESEND_COOLDOWN_SECONDS } from '../auth/challenges';
import { CODE_LIFETIME_SECONDS, codeMatches, generateCode, hashCode } from '../auth/codes';
import type { Clock } from '../clock';
import type { Queryable, Store } from '../db/store';
import { HttpError } from '../http/errors';
import type { SmsProvider } from '../sms/provider';
import { changeNumber } from '../employees/number-change';
import { answer, conditionalWrite, failure, stale, type PatchOutcome } from '../employees/patch';
import { findEmployee } from '../employees/repository';
import { toEmployee, type EmployeeRow } from '../employees/serialize';

/**
 * Phone verification: before a new number is saved, a code goes to it and the administrator types
 * the code the employee reads out. The code follows the sign-in code's rules (server/auth): 6
 * digits from the CSPRNG, only its keyed hash stored, single use, 10 minutes, 5 wrong tries, 30 s
 * between sends, 5 sends. On top of that an employee's phone gets at most MAX_VERIFICATIONS_PER_HOUR
 * verifications an hour, so nobody can use the portal to flood a number with texts.
 */
export const MAX_VERIFICATIONS_PER_HOUR = 5;
const HOUR_MS = 60 * 60 * 1000;

interface VerificationRow {
  id: string;
  employee_id: string;
  actor_id: string;
  cell_phone: string;
  expires_at: string;
  code_hash: string | null;
  code_method: 'sms' | 'voice' | null;
  code_expires_at: string | null;
  sends: number;
  last_sent_at: string | null;
  failed_attempts: number;
  state: 'open' | 'killed' | 'used';
}

export interface VerificationDeps {
  db: Store;
  clock: Clock;
  dataKey: Buffer;
  sms: SmsProvider;
}

/** What the employee hears or reads: who asks for the code, so a stranger's call asking for it stands out. */
export function verificationMessage(code: string, companyName: string): string {
  return `Your ${companyName} administrator is confirming this number for Portal sign-in. Your code is ${code}. ` +
    `Read it out only to your administrator. It expires in ${CODE_LIFETIME_SECONDS / 60} minutes.`;
}

export const verificationExpired = (): HttpError =>
  new HttpError(410, 'verification_expired', 'This verification has expired or was ended. Send a new code.');

async function loadOpen(db: Queryable, actor: AuthedUser, employeeId: string, verificationId: string, now: Date): Promise<VerificationRow | null> {
  const row = await db.get<VerificationRow>(
    `SELECT id, employee_id, actor_id, cell_phone, expires_at, code_hash, code_method, code_expires_at, sends, last_sent_at,
            failed_attempts, state
       FROM phone_verifications WHERE id = ? AND employee_id = ? AND company_id = ?`,
    verificationId, employeeId, actor.companyId);
  // Another admin's verification, a used, killed or expired one: one answer for all, like sign-in.
  if (!row || row.actor_id !== actor.id || row.state !== 'open' || row.expires_at <= now.toISOString()) return null;
  return row;
}

async function sendCode(deps: VerificationDeps, actor: AuthedUser, row: VerificationRow, method: 'sms' | 'voice'): Promise<PhoneVerification> {
  const { db } = deps;
  const now = deps.clock.now();
  checkSendAllowed(row, now, { limit: `No more codes can be sent for this verification (${MAX_SENDS} were sent). Start again later.` });
  const code = generateCode();
  const codeExpiresAt = codeExpiry(row, now);
  const updated = await db.run(
    `UPDATE phone_verifications SET code_hash = ?, code_method = ?, code_expires_at = ?, sends = sends + 1, last_sent_at = ?
      WHERE id = ? AND state = 'open' AND sends = ?`,
    hashCode(deps.dataKey, row.id, code), method, codeExpiresAt, now.toISOString(), row.id, row.sends);
  if (updated.changes !== 1) throw rateLimited(RESEND_COOLDOWN_SECONDS, 'A code was just sent. Wait before asking for another.');
  await deps.sms.send({ channel: method, recipient: row.cell_phone, text: verificationMessage(code, actor.companyName) });
  return {
    id: row.id,
    cellPhone: row.cell_phone,
    method,
    expiresAt: codeExpiresAt,
    resendAfter: RESEND_COOLDOWN_SECONDS,
    sendsLeft: MAX_SENDS - row.sends - 1,
  };
}

const methodFor = (requested: 'sms' | 'voice' | undefined, landline: boolean): 'sms' | 'voice' => (landline ? 'voice' : (requested ?? 'sms'));

/**
 * POST /employees/{id}/phone-verifications: checks the number and the If-Match like PATCH would,
 * then sends a code to the number. Answers 201 with the verification, or an error outcome.
 */
/** An error outcome of a write, as the start of a verification answers it. */
const refuse = (outcome: PatchOutcome): { status: number; body: ApiError } => ({ status: outcome.status, body: outcome.body as ApiError });

export async function startVerification(
  deps: VerificationDeps,
  command: { actor: AuthedUser; employeeId: string; ifMatch: string | undefined; cellPhone: string; method: 'sms' | 'voice' | undefined },
): Promise<{ status: number; body: PhoneVerification | ApiError }> {
  const { db, clock } = deps;
  const { actor } = command;
  const now = clock.now();
  const ifMatch = command.ifMatch?.trim() ?? '';
  if (ifMatch === '' || ifMatch === '*') {
    return refuse(failure(428, 'precondition_required', 'Send If-Match with the ETag of the employee you are changing (for example "3").'));
  }
  const employee = await findEmployee(db, actor.companyId, command.employeeId);
  if (!employee) return refuse(failure(404, 'not_found', 'No such employee.'));
  const result = validatePhone(command.cellPhone, actor.companyCountry);
  if (!result.ok) {
    return refuse(
      failure(422, 'validation_failed', 'No code was sent.', {
        errors: [{ field: 'cellPhone', code: result.reason, message: phoneMessage(result.reason) }],
      }),
    );
  }
  if (versionFromEtag(ifMatch) !== employee.version) return refuse(stale(employee, actor));

  const id = newChallengeId();
  const row: VerificationRow = {
    id,
    employee_id: employee.id,
    actor_id: actor.id,
    cell_phone: result.e164,
    expires_at: new Date(now.getTime() + CODE_LIFETIME_SECONDS * 1000).toISOString(),
    code_hash: null,
    code_method: null,
    code_expires_at: null,
    sends: 0,
    last_sent_at: null,
    failed_attempts: 0,
    state: 'open',
  };
  await db.transaction(async (tx) => {
    // The hourly count is checked and raised under the employee's lock (one count across instances).
    await tx.lock(`phone-verifications:${employee.id}`);
    const since = new Date(now.getTime() - HOUR_MS).toISOString();
    const recent = (await tx.get<{ count: number; oldest: string | null }>(
      'SELECT count(*) AS count, min(created_at) AS oldest FROM phone_verifications WHERE employee_id = ? AND created_at > ?', employee.id, since))!;
    if (recent.count >= MAX_VERIFICATIONS_PER_HOUR && recent.oldest !== null) {
      const wait = (new Date(recent.oldest).getTime() + HOUR_MS - now.getTime()) / 1000;
      throw rateLimited(wait, `${MAX_VERIFICATIONS_PER_HOUR} verifications were started for this employee in the last hour. Try again later.`);
    }
    // One open verification per admin and employee: a new one ends the previous.
    await tx.run("UPDATE phone_verifications SET state = 'killed', code_hash = NULL WHERE employee_id = ? AND actor_id = ? AND state = 'open'",
      employee.id, actor.id);
    await tx.run(
      `INSERT INTO phone_verifications (id, company_id, employee_id, actor_id, cell_phone, base_version, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      id, actor.companyId, employee.id, actor.id, result.e164, employee.version, now.toISOString(), row.expires_at);
  });
  return { status: 201, body: await sendCode(deps, actor, row, methodFor(command.method, result.warning === 'landline')) };
}

/** POST /employees/{id}/phone-verifications/{vid}/send: a new code for the same verification. */
export async function resendVerification(
  deps: VerificationDeps,
  command: { actor: AuthedUser; employeeId: string; verificationId: string; method: 'sms' | 'voice' | undefined },
): Promise<PhoneVerification> {
  const row = await loadOpen(deps.db, command.actor, command.employeeId, command.verificationId, deps.clock.now());
  if (!row) throw verificationExpired();
  const checked = validatePhone(row.cell_phone, command.actor.companyCountry);
  return sendCode(deps, command.actor, row, methodFor(command.method, checked.ok && checked.warning === 'landline'));
}

export interface ConfirmCommand {
  actor: AuthedUser;
  employeeId: string;
  verificationId: string;
  ifMatch: string | undefined;
  idempotencyKey: string | undefined;
  code: string;
  requestId: string;
  now: Date;
}

class Rollback extends Error {}

/**
 * POST …/confirm: checks the code and, if right, applies the number with `verified: true` in one
 * transaction (the verification is spent in the same commit as the change, so of any number of
 * racing or retried confirms exactly one changes the employee). If-Match and Idempotency-Key as PATCH.
 */
export function confirmVerification(deps: Pick<VerificationDeps, 'db' | 'dataKey'>, command: ConfirmCommand): Promise<PatchOutcome> {
  const path = `/api/v1/employees/${command.employeeId}/phone-verifications/${command.verificationId}/confirm`;
  return conditionalWrite(deps.db, command, ['POST', path, { code: command.code }], async (db, ifMatch, record) => {
    const finish = async (outcome: PatchOutcome, tx: Queryable = db) => {
      await record(tx, outcome);
      return outcome;
    };
    const { actor, now } = command;
    const employee = await findEmployee(db, actor.companyId, command.employeeId);
    if (!employee) return finish(failure(404, 'not_found', 'No such employee.'));
    const verification = await loadOpen(db, actor, employee.id, command.verificationId, now);
    const expired = () => finish(failure(410, 'verification_expired', verificationExpired().message));
    if (!verification) return expired();
    if (versionFromEtag(ifMatch) !== employee.version) return finish(stale(employee, actor));

    const right =
      verification.code_hash !== null &&
      verification.code_expires_at !== null &&
      verification.code_expires_at > now.toISOString() &&
      codeMatches(deps.dataKey, verification.id, command.code, verification.code_hash);
    if (!right) {
      return db.transaction(async (tx) => {
        // Counted in the row, so parallel wrong codes (on any instance) each count.
        const counted = await tx.get<{ failed_attempts: number }>(
          `UPDATE phone_verifications SET failed_attempts = failed_attempts + 1,
                  state = CASE WHEN failed_attempts + 1 >= ? THEN 'killed' ELSE state END,
                  code_hash = CASE WHEN failed_attempts + 1 >= ? THEN NULL ELSE code_hash END WHERE id = ? RETURNING failed_attempts`,
          MAX_WRONG_CODES, MAX_WRONG_CODES, verification.id);
        const wrong = counted?.failed_attempts ?? verification.failed_attempts + 1;
        const left = Math.max(0, MAX_WRONG_CODES - wrong);
        const message =
          left > 0
            ? `That code is not right. ${left} ${left === 1 ? 'attempt' : 'attempts'} left.`
            : 'That code is not right, and this verification has ended. Send a new code.';
        // 422, not 401: the caller's session is fine, and clients treat 401 as "sign in again".
        return finish(failure(422, 'invalid_code', message, { attemptsLeft: left }), tx);
      });
    }

    try {
      return await db.transaction(async (tx) => {
        const spent = await tx.run("UPDATE phone_verifications SET state = 'used', code_hash = NULL WHERE id = ? AND state = 'open'", verification.id);
        if (spent.changes !== 1) throw new Rollback('spent');
        const next = await changeNumber(tx, { actor, before: employee, cellPhone: verification.cell_phone, verified: true, requestId: command.requestId, at: now });
        if (!next) throw new Rollback('stale');
        return finish(answer(200, toEmployee(next, actor)), tx);
      });
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
      if (error.message === 'spent') return expired();
      const current: EmployeeRow | undefined = await findEmployee(db, actor.companyId, employee.id);
      return finish(current ? stale(current, actor) : failure(404, 'not_found', 'No such employee.'));
    }
  });
}
