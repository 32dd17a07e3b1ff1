import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Employee } from '../../../common/api';
import type { ImportState } from '../../../common/ipc';
import { createGate, type Gate } from '../../../electron/main/ipc/gate';
import type { Services } from '../../../electron/main/create-services';
import { ManualClock } from '../../../server/clock';
import { startTestPortal, type TestPortal } from '../../support/portal';
import { ACCOUNTS, invokeOrThrow, lastSmsCode, loadAllEmployees, servicesFor, signIn, type ServicesHandle } from './support';

/**
 * Sudo mode during "Import phone numbers", in main against a real portal whose clock the test moves:
 * the admin's second factor turns 2 hours old in the middle of an apply. The apply pauses and asks
 * for a code (`needsStepUp`), the admin steps up, and the same apply goes on: every change applied
 * exactly once (one audit row and one set of notices per employee), none lost, the batches applied
 * before the pause left as they were.
 */
let portal: TestPortal;
let handle: ServicesHandle;
let services: Services;
let gate: Gate;
/**
 * The portal's clock, moved 2 h 10 min on once `whenToAge()` is true (read at each request's
 * authentication, so the jump lands between two batches whatever the machine's speed).
 */
class AgingClock extends ManualClock {
  whenToAge: () => boolean = () => false;
  private hasAged = false;
  override now(): Date {
    if (!this.hasAged && this.whenToAge()) {
      this.hasAged = true;
      this.advance(130 * 60_000);
    }
    return super.now();
  }
}
const clock = new AgingClock(new Date());

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo:1200', clock });
  // The portal runs in this process: while it commits one batch, the connections of the other
  // batches in flight wait for their TLS handshake (longer than the 2 s connect budget of the other tests).
  handle = await servicesFor(portal, { timeouts: { connectMs: 30_000, requestMs: 60_000 } });
  services = handle.services;
  await signIn(portal, services, 'admin');
  gate = createGate({ services, isTrustedSender: () => true });
}, 120_000);
afterAll(async () => {
  await handle?.close();
  await portal?.close();
});

const call = <T>(channel: string, payload: unknown = {}): Promise<T> => invokeOrThrow<T>(gate, channel, payload);

async function upload(name: string, text: string): Promise<void> {
  const data = Buffer.from(text, 'utf8');
  await call('import:upload-chunk', { name, size: data.byteLength, offset: 0, data: data.toString('base64') });
}

function nextState(predicate: (state: ImportState) => boolean): Promise<ImportState> {
  return new Promise((resolve) => {
    const stop = services.emitter.onEvent((event, payload) => {
      if (event === 'import:changed' && predicate(payload as ImportState)) {
        stop();
        resolve(payload as ImportState);
      }
    });
  });
}

describe('import phone numbers: sudo mode during Apply (real portal, moved clock)', () => {
  it('the second factor turns 2 hours old mid-apply: Apply waits for a code, then the same apply finishes; each change applied once, with its notices', async () => {
    const chosen = (await loadAllEmployees(services)).filter((employee) => employee.cellPhone !== null && !/^(admin|tech|totp|locked)@/.test(employee.email)).slice(0, 900);
    const newNumber = (index: number) => `+1646555${String(4000 + index).padStart(4, '0')}`;
    await upload('sudo.csv', ['Employee ID,Cell phone number', ...chosen.map((employee, index) => `${employee.id},${newNumber(index)}`)].join('\n'));
    await call('import:check');
    await services.imports.idle();
    expect(services.imports.getState()).toMatchObject({ phase: 'checked', counts: { changes: 900, errors: 0 } });

    // Two batches in, the admin's second factor is 2 h 10 min old.
    const ids = chosen.map((employee) => employee.id);
    const marks = ids.map(() => '?').join(',');
    const countChanged = portal.db.prepare(`SELECT count(*) AS changed FROM audit_log WHERE employee_id IN (${marks})`);
    clock.whenToAge = () => (countChanged.get(...ids) as { changed: number }).changed >= 200;
    const asked = nextState((state) => state.needsStepUp === true);
    await call('import:apply');
    const waiting = await asked;
    expect(waiting).toMatchObject({ phase: 'applying', needsStepUp: true, activity: 'waiting_for_code' });
    const appliedBeforeThePause = waiting.progress!.done;
    expect(appliedBeforeThePause).toBeGreaterThanOrEqual(200);
    expect(appliedBeforeThePause).toBeLessThan(900);
    // Nothing more is sent while the apply waits.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(services.imports.getState()).toMatchObject({ phase: 'applying', needsStepUp: true, progress: { done: appliedBeforeThePause } });

    // The step-up, as the prompt does it: a challenge, a code by text message, the code.
    await services.auth.startStepUp();
    await services.auth.sendStepUpCode({ method: 'sms' });
    expect(await services.auth.verifyStepUp({ code: lastSmsCode(portal, ACCOUNTS.admin.phone), method: 'sms' })).toMatchObject({ step: 'verified' });
    expect(await call<ImportState>('import:continue-apply')).toMatchObject({ phase: 'applying', needsStepUp: false });

    await services.imports.idle();
    const done = services.imports.getState();
    expect(done.outcome).toMatchObject({ applied: 900, conflicts: 0, refused: 0, notSent: 0, drafted: 0, isCancelled: false });
    // The batches refused for the code were sent again: more requests than the 9 batches.
    expect(done.outcome!.requests).toBeGreaterThan(9);

    const numbers = new Map((portal.db.prepare(`SELECT id, cell_phone FROM employees WHERE id IN (${marks})`).all(...ids) as { id: string; cell_phone: string }[]).map((row) => [row.id, row.cell_phone]));
    chosen.forEach((employee, index) => expect(numbers.get(employee.id)).toBe(newNumber(index)));
    // Exactly one change per employee (no batch applied twice) …
    const audits = portal.db.prepare(`SELECT employee_id, count(*) AS changes FROM audit_log WHERE employee_id IN (${marks}) AND field = 'cellPhone' GROUP BY employee_id`).all(...ids) as { employee_id: string; changes: number }[];
    expect(audits).toHaveLength(900);
    expect(audits.every((row) => row.changes === 1)).toBe(true);
    // … and each with the notices of a single change: a text (or call) to the old number and an email.
    const notices = portal.db.prepare(
      `SELECT a.employee_id AS id, group_concat(n.channel) AS channels, group_concat(n.recipient) AS recipients FROM audit_log a JOIN notification_outbox n ON n.audit_id = a.id
       WHERE a.employee_id IN (${marks}) GROUP BY a.employee_id`,
    ).all(...ids) as { id: string; channels: string; recipients: string }[];
    expect(notices).toHaveLength(900);
    const byId = new Map<string, Employee>(chosen.map((employee) => [employee.id, employee]));
    for (const notice of notices) {
      const employee = byId.get(notice.id)!;
      const channels = notice.channels.split(',');
      expect(channels.filter((channel) => channel === 'email')).toHaveLength(1);
      expect(channels.filter((channel) => channel !== 'email')).toEqual([expect.stringMatching(/^(sms|voice)$/)]);
      expect(notice.recipients.split(',').sort()).toEqual([employee.cellPhone!, employee.email].sort());
    }
  }, 240_000);
});
