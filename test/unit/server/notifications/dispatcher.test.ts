import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../server/clock';
import { openDatabase, type Db } from '../../../../server/db/connection';
import { SqliteStore } from '../../../../server/db/sqlite-store';
import { MAX_ATTEMPTS, NotificationDispatcher, retryDelayMs } from '../../../../server/notifications/dispatcher';
import { enqueueNumberChange } from '../../../../server/notifications/outbox';

// The dispatcher over a real SQLite outbox, with carriers that fail on command.
let directory: string;
let db: Db;
const clock = new ManualClock('2026-12-06T14:03:00Z');

interface Sent {
  channel: string;
  recipient: string;
  key: string | undefined;
}

function carriers(failures: { remaining: number }) {
  const sent: Sent[] = [];
  const deliver = (channel: string, recipient: string, key: string | undefined) => {
    if (failures.remaining > 0) {
      failures.remaining--;
      return Promise.reject(new Error('carrier unavailable'));
    }
    sent.push({ channel, recipient, key });
    return Promise.resolve();
  };
  return {
    sent,
    sms: { send: (message: { channel: string; recipient: string; idempotencyKey?: string }) => deliver(message.channel, message.recipient, message.idempotencyKey) },
    mail: { send: (message: { recipient: string; idempotencyKey?: string }) => deliver('email', message.recipient, message.idempotencyKey) },
  };
}

async function enqueueChange(): Promise<void> {
  db.prepare("INSERT INTO audit_log (at, company_id, actor_id, actor_email, employee_id, field, request_id) VALUES (?, 'acme', 'acme-0001', 'admin@acme.test', 'acme-0100', 'cellPhone', 'r')").run(
    clock.now().toISOString(),
  );
  const auditId = (db.prepare('SELECT max(id) AS id FROM audit_log').get() as { id: number }).id;
  await enqueueNumberChange(new SqliteStore(db), {
    auditId,
    employeeEmail: 'pat@acme.test',
    oldPhone: '+12125550142',
    newPhone: '+447400123456',
    actorName: 'Alex Morgan',
    companyName: 'Acme IT Services',
    at: clock.now(),
  });
}

const states = () => db.prepare('SELECT state, attempts FROM notification_outbox ORDER BY id').all() as { state: string; attempts: number }[];

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'outbox-'));
  db = openDatabase(join(directory, 'portal.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('NotificationDispatcher', () => {
  it('sends a text to the old number and an email, each once, with its own idempotency key', async () => {
    const carrier = carriers({ remaining: 0 });
    const dispatcher = new NotificationDispatcher(new SqliteStore(db), clock, carrier);
    await enqueueChange();
    await dispatcher.kick();
    await dispatcher.kick();
    expect(carrier.sent.map(({ channel, recipient }) => ({ channel, recipient }))).toEqual([
      { channel: 'sms', recipient: '+12125550142' },
      { channel: 'email', recipient: 'pat@acme.test' },
    ]);
    expect(new Set(carrier.sent.map((message) => message.key)).size).toBe(2);
    expect(states()).toEqual([{ state: 'sent', attempts: 1 }, { state: 'sent', attempts: 1 }]);
    await dispatcher.stop();
  });

  it('retries a failed send after a growing wait, and sends it once it goes through', async () => {
    const carrier = carriers({ remaining: 2 });
    const dispatcher = new NotificationDispatcher(new SqliteStore(db), clock, carrier);
    await enqueueChange();
    await dispatcher.kick(); // both fail once
    expect(states()).toEqual([{ state: 'pending', attempts: 1 }, { state: 'pending', attempts: 1 }]);
    await dispatcher.kick(); // not due yet
    expect(carrier.sent).toHaveLength(0);
    clock.advance(retryDelayMs(1));
    await dispatcher.kick();
    expect(carrier.sent).toHaveLength(2);
    expect(states()).toEqual([{ state: 'sent', attempts: 2 }, { state: 'sent', attempts: 2 }]);
    expect(retryDelayMs(2)).toBe(2 * retryDelayMs(1));
    await dispatcher.stop();
  });

  it(`gives a notice up after ${MAX_ATTEMPTS} failures`, async () => {
    const carrier = carriers({ remaining: 1000 });
    const dispatcher = new NotificationDispatcher(new SqliteStore(db), clock, carrier);
    await enqueueChange();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS + 2; attempt++) {
      await dispatcher.kick();
      clock.advance(retryDelayMs(attempt));
    }
    expect(states()).toEqual([{ state: 'failed', attempts: MAX_ATTEMPTS }, { state: 'failed', attempts: MAX_ATTEMPTS }]);
    await dispatcher.stop();
  });

  it('at start, sends again (same key) what a dead process left mid-send', async () => {
    await enqueueChange();
    db.prepare("UPDATE notification_outbox SET state = 'sending', attempts = 1").run();
    const keys = (db.prepare('SELECT idempotency_key AS key FROM notification_outbox ORDER BY id').all() as { key: string }[]).map((row) => row.key);
    const carrier = carriers({ remaining: 0 });
    const dispatcher = new NotificationDispatcher(new SqliteStore(db), clock, carrier);
    await dispatcher.start();
    await dispatcher.kick();
    expect(carrier.sent.map((message) => message.key)).toEqual(keys);
    await dispatcher.stop();
  });
});
