import { afterAll, beforeAll, expect, it } from 'vitest';
import { groupedWrites } from '../../../server/db/grouped-writes';
import type { Queryable } from '../../../server/db/store';
import { appendAudit } from '../../../server/employees/audit';
import { NotificationDispatcher } from '../../../server/notifications/dispatcher';
import { enqueueNumberChange } from '../../../server/notifications/outbox';
import { describeEachBackend } from '../../support/backends';
import { startBackendPortal, type TestPortal } from '../../support/portal';

// The outbox is sent a group at a time (one commit to claim, one to record), and the demo carriers
// record what arrives together in one commit: still every notice exactly once, on both databases.
describeEachBackend('notices sent in groups', (backend) => {
  let portal: TestPortal;

  beforeAll(async () => {
    portal = await startBackendPortal(backend);
    // Only the dispatchers of this test send.
    await portal.app.notifications.stop();
  });
  afterAll(async () => {
    await portal?.close();
  });

  async function enqueue(changes: number): Promise<string[]> {
    const at = portal.app.clock.now();
    for (let index = 0; index < changes; index++) {
      const employeeId = `acme-${String(200 + index).padStart(4, '0')}`;
      const auditId = await appendAudit(portal.store, {
        at: at.toISOString(), companyId: 'acme', actorId: 'acme-0001', actorEmail: 'admin@acme.test', employeeId, field: 'cellPhone',
        oldValue: null, newValue: null, requestId: 'group-test',
      });
      await enqueueNumberChange(portal.store, {
        auditId, employeeEmail: `${employeeId}@acme.test`, oldPhone: '+12125550142', newPhone: '+12125550143',
        actorName: 'Alex Morgan', companyName: 'Acme IT Services', at,
      });
    }
    const rows = await portal.store.all<{ idempotency_key: string }>("SELECT idempotency_key FROM notification_outbox WHERE state = 'pending' ORDER BY id");
    return rows.map((row) => row.idempotency_key);
  }

  function countingCarriers(sent: string[]) {
    const take = async (key: string | undefined) => {
      await new Promise((resolve) => setImmediate(resolve));
      sent.push(key ?? '');
    };
    return {
      sms: { send: (message: { idempotencyKey?: string }) => take(message.idempotencyKey) },
      mail: { send: (message: { idempotencyKey?: string }) => take(message.idempotencyKey) },
    };
  }

  it('two instances draining one outbox at once send each of 250 notices exactly once, and mark all sent', async () => {
    const keys = await enqueue(125);
    expect(keys).toHaveLength(250);
    const sent: string[] = [];
    const first = new NotificationDispatcher(portal.store, portal.app.clock, countingCarriers(sent));
    const second = new NotificationDispatcher(portal.store, portal.app.clock, countingCarriers(sent));
    await Promise.all([first.kick(), second.kick(), first.kick()]);
    expect([...sent].sort()).toEqual([...keys].sort());
    const states = await portal.store.all<{ state: string; attempts: number }>(
      `SELECT state, attempts FROM notification_outbox WHERE idempotency_key IN (${keys.map(() => '?').join(',')})`, ...keys);
    expect(states.every((row) => row.state === 'sent' && row.attempts === 1)).toBe(true);
    await Promise.all([first.stop(), second.stop()]);
  });

  it('the demo carriers record notices handed over together in one commit, and each key once', async () => {
    let transactions = 0;
    const counted: Queryable = new Proxy(portal.store, {
      get(target, property, receiver) {
        if (property === 'transaction') {
          return (work: Parameters<Queryable['transaction']>[0]) => {
            transactions++;
            return target.transaction(work);
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const write = groupedWrites(counted);
    const insert = (key: string) =>
      write('INSERT INTO mail_messages (at, recipient, subject, text, idempotency_key) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
        new Date().toISOString(), 'pat@acme.test', 'Subject', 'Text', key);
    const results = await Promise.all([insert('group-a'), insert('group-b'), insert('group-a')]);
    expect(transactions).toBe(1);
    expect(results.map((result) => result.changes)).toEqual([1, 1, 0]);

    // A statement that fails fails its whole group: nothing of it is written, every caller hears.
    const failing = await Promise.allSettled([insert('group-c'), write('INSERT INTO no_such_table (x) VALUES (?)', 1)]);
    expect(failing.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(transactions).toBe(2);
    const stored = await portal.store.all<{ idempotency_key: string }>(
      "SELECT idempotency_key FROM mail_messages WHERE idempotency_key LIKE 'group-%' ORDER BY idempotency_key");
    expect(stored.map((row) => row.idempotency_key)).toEqual(['group-a', 'group-b']);
  });
});
