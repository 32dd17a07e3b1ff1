import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditListSchema } from '../../../common/api';
import { issueTokenPair } from '../../../server/auth/tokens';
import { ManualClock } from '../../../server/clock';
import { openStore } from '../../../server/db/connection';
import type { Store } from '../../../server/db/store';
import { describeEachBackend, freshPostgresDatabase } from '../../support/backends';
import { bundleChildProgram, type BundledChild } from '../../support/bundled-child';
import { useBackendPortal } from '../../support/backend-portal';
import { portalRequest, startBackendPortal } from '../../support/portal';
import { call, ifMatch, readEmployee } from '../../support/employees';

// Every change of a number tells the employee: a text to the old number and an email, masked, once.
// The notices' outbox is in the database, and is claimed there: both backends.
describeEachBackend('notices of a number change', (backend) => {
  describe('sent on every change', () => {
    const clock = new ManualClock('2026-12-06T14:03:00Z');
    const env = useBackendPortal(backend, { clock, tokens: { admin: 'admin@acme.test' } });
    const { tokens } = env;

    async function devList<T>(path: '/api/v1/dev/sms' | '/api/v1/dev/mail'): Promise<T[]> {
      const response = await call(env.portal, 'https', 'GET', path);
      expect(response.status).toBe(200);
      return (response.body as { items: T[] }).items;
    }

    it('PATCH texts the old number and emails the employee, numbers masked; /dev/sms and /dev/mail show them; the audit says notified', async () => {
      const id = 'acme-0150';
      const before = await readEmployee(env.portal, id);
      const email = (await env.portal.store.get<{ email: string }>('SELECT email FROM employees WHERE id = ?', id))!.email;
      const response = await call(env.portal, 'https', 'PATCH', `/api/v1/employees/${id}`, {
        token: tokens.admin,
        body: { cellPhone: '+44 7400 123 456' },
        headers: { 'if-match': ifMatch(before.version) },
      });
      expect(response.status).toBe(200);
      await env.portal.app.notifications.kick();

      const expected =
        `Your sign-in phone number was changed from •••• ${before.cell_phone!.slice(-4)} to •••• 3456 by Alex Morgan (Acme IT Services) ` +
        'on 6 Dec 2026 at 14:03 UTC. If you did not expect this, contact your administrator.';
      const texts = (await devList<{ recipient: string; text: string }>('/api/v1/dev/sms')).filter((message) => message.recipient === before.cell_phone);
      expect(texts.map((message) => message.text)).toEqual([expected]);
      const mails = (await devList<{ recipient: string; subject: string; text: string }>('/api/v1/dev/mail')).filter((mail) => mail.recipient === email);
      expect(mails).toEqual([expect.objectContaining({ subject: 'Your sign-in phone number was changed', text: expected })]);
      expect(mails[0]!.text).not.toContain('7400 123');

      const audit = await call(env.portal, 'https', 'GET', `/api/v1/audit?employeeId=${id}`, { token: tokens.admin });
      expect(auditListSchema.parse(audit.body).items[0]).toMatchObject({
        verified: false,
        notified: true,
        notifications: [{ channel: 'sms', state: 'sent' }, { channel: 'email', state: 'sent' }],
      });
    });

    it('a batch change notifies too; setting the same number again notifies nobody', async () => {
      const id = 'acme-0151';
      const before = await readEmployee(env.portal, id);
      const batch = await call(env.portal, 'https', 'POST', '/api/v1/employees/batch', {
        token: tokens.admin,
        body: { items: [{ id, ifMatch: ifMatch(before.version), idempotencyKey: randomUUID(), patch: { cellPhone: '+12125550151' } }] },
      });
      expect(batch.body).toMatchObject({ results: [{ status: 200 }] });
      const same = await call(env.portal, 'https', 'PATCH', `/api/v1/employees/${id}`, {
        token: tokens.admin,
        body: { cellPhone: '+1 212 555 0151' },
        headers: { 'if-match': ifMatch(before.version + 1) },
      });
      expect(same.status).toBe(200);
      await env.portal.app.notifications.kick();
      const notices = await env.portal.store.all(
        'SELECT o.channel, o.state FROM notification_outbox o JOIN audit_log a ON a.id = o.audit_id WHERE a.employee_id = ? ORDER BY o.id', id);
      expect(notices).toEqual([{ channel: 'sms', state: 'sent' }, { channel: 'email', state: 'sent' }]);
    });

    it('/dev/mail is demo mode only', async () => {
      // A portal with a real carrier (the signed webhook; nothing is sent in this test) has no demo outboxes.
      const real = await startBackendPortal(backend, { seed: null, sms: { kind: 'webhook', url: 'http://127.0.0.1:9/hook', secret: Buffer.alloc(32, 7) } });
      try {
        expect((await portalRequest(real, 'GET', '/api/v1/dev/mail')).status).toBe(404);
      } finally {
        await real.close();
      }
    });
  });

  // A real portal process, SIGKILLed by the test at a point of its dispatcher, then started again.
  describe('notices survive a crash and are sent exactly once', () => {
    interface Child {
      process: ChildProcess;
      url: string;
      output: () => string;
      waitFor(pattern: RegExp): Promise<RegExpExecArray>;
    }

    // A child seeds its database: slow on a loaded machine.
    const STARTUP_MS = 120_000;

    // The child program, bundled once for these tests (the same code, without loading tsx at every start).
    let program: BundledChild | undefined;
    beforeAll(() => {
      program = bundleChildProgram('test/support/notifying-portal-child.ts');
    });
    afterAll(() => program?.remove());

    /** A portal process whose files (certificate, data key) sit beside `dbFile`, on `database` when given. */
    function startChild(dbFile: string, database: string | null, hold?: string): Promise<Child> {
      const args = [program!.path, dbFile, hold ?? 'none', ...(database ? [database] : [])];
      const child = spawn(process.execPath, args, { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const waiters: { pattern: RegExp; resolve: (match: RegExpExecArray) => void }[] = [];
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        for (const waiter of [...waiters]) {
          const match = waiter.pattern.exec(output);
          if (match) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(match);
          }
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      const waitFor = (pattern: RegExp) =>
        new Promise<RegExpExecArray>((resolve, reject) => {
          const match = pattern.exec(output);
          if (match) return resolve(match);
          const timer = setTimeout(() => reject(new Error(`no ${String(pattern)} in:\n${output}`)), STARTUP_MS);
          waiters.push({ pattern, resolve: (found) => (clearTimeout(timer), resolve(found)) });
        });
      return waitFor(/LISTENING (\S+)/).then((match) => ({ process: child, url: match[1]!, output: () => output, waitFor }));
    }

    function killed(child: Child): Promise<void> {
      return new Promise((resolve) => {
        child.process.once('exit', () => resolve());
        child.process.kill('SIGKILL');
      });
    }

    async function request(child: Child, dbFile: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const cert = readFileSync(`${dbFile}.cert.pem`, 'utf8');
      return portalRequest({ url: child.url, tls: { cert } }, method, path, { body, headers });
    }

    const outboxStates = async (store: Store) =>
      (await store.all<{ state: string }>('SELECT state FROM notification_outbox ORDER BY id')).map((row) => row.state);

    for (const hold of ['hold-before-send', 'hold-after-send'] as const) {
      it(`killed ${hold === 'hold-before-send' ? 'after the change committed, before the carrier was called' : 'after the carrier took the text, before it was marked sent'}: sent once after restart`, async () => {
        const directory = mkdtempSync(join(tmpdir(), 'notify-crash-'));
        const dbFile = join(directory, 'portal.sqlite');
        const database = backend === 'postgres' ? await freshPostgresDatabase() : null;
        let store: Store | undefined;
        try {
          const first = await startChild(dbFile, database, hold);
          // The test's own connection to the portal's database, beside the portal process.
          store = await openStore(database ?? dbFile);
          const token = (await issueTokenPair(store, 'acme-0001', new Date())).accessToken;
          // Someone with a number, so that both notices (a text to it and an email) are due.
          const before = (await store.get<{ id: string; cell_phone: string; version: number; email: string }>(
            "SELECT id, cell_phone, version, email FROM employees WHERE company_id = 'acme' AND cell_phone IS NOT NULL AND id > 'acme-0100' ORDER BY id LIMIT 1"))!;
          const id = before.id;
          const patch = await request(first, dbFile, 'PATCH', `/api/v1/employees/${id}`, { cellPhone: '+12125550160' }, {
            authorization: `Bearer ${token}`,
            'if-match': ifMatch(before.version),
          });
          expect(patch.status).toBe(200);
          await first.waitFor(/HOLDING \S+ \d+/);
          await killed(first);

          const textsNow = (await store.get<{ n: number }>('SELECT count(*) AS n FROM sms_messages WHERE recipient = ?', before.cell_phone))!.n;
          expect(textsNow).toBe(hold === 'hold-before-send' ? 0 : 1);
          // Both notices were claimed in one commit before any carrier was called; neither is marked sent.
          expect(await outboxStates(store)).toEqual(['sending', 'sending']);

          const second = await startChild(dbFile, database);
          try {
            await expect.poll(() => outboxStates(store!), { timeout: 60_000 }).toEqual(['sent', 'sent']);
            const sms = (await request(second, dbFile, 'GET', '/api/v1/dev/sms')).body as { items: { recipient: string; text: string }[] };
            const mail = (await request(second, dbFile, 'GET', '/api/v1/dev/mail')).body as { items: { recipient: string }[] };
            expect(sms.items.filter((message) => message.recipient === before.cell_phone)).toHaveLength(1);
            expect(sms.items.find((message) => message.recipient === before.cell_phone)?.text).toMatch(/changed from •••• \d{4} to •••• 0160/);
            expect(mail.items.filter((message) => message.recipient === before.email)).toHaveLength(1);
          } finally {
            await killed(second);
          }
        } finally {
          await store?.close();
          rmSync(directory, { recursive: true, force: true });
        }
      }, 3 * STARTUP_MS);
    }
  });
});
