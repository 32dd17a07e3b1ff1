import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPortal, tokenFor, type TestPortal } from '../support/portal';
import { call, ifMatch, storedEmployee } from '../support/employees';

/**
 * Attack: an insider or a stolen admin session quietly moves an employee's second factor to a
 * number the attacker holds, so that the employee's sign-in codes go to the attacker. Whatever
 * path the change takes (PATCH, a batch item, a confirmed verification), the employee must be told
 * at the OLD number and by email.
 */
let portal: TestPortal;
let stolenSession: string;
const ATTACKER_PHONE = '+12125550666';

beforeAll(async () => {
  portal = await startTestPortal();
  stolenSession = tokenFor(portal, 'admin@acme.test');
});
afterAll(async () => {
  await portal?.close();
});

function victim(offset: number): { id: string; phone: string; email: string; version: number } {
  const row = portal.db
    .prepare("SELECT id, cell_phone AS phone, email, version FROM employees WHERE company_id = 'acme' AND cell_phone IS NOT NULL AND id > 'acme-0200' ORDER BY id LIMIT 1 OFFSET ?")
    .get(offset) as { id: string; phone: string; email: string; version: number };
  return row;
}

async function expectTold(target: { phone: string; email: string }): Promise<void> {
  await portal.app.notifications.kick();
  const texts = portal.db.prepare('SELECT text FROM sms_messages WHERE recipient = ?').all(target.phone) as { text: string }[];
  const mails = portal.db.prepare('SELECT text FROM mail_messages WHERE recipient = ?').all(target.email) as { text: string }[];
  expect(texts.map((row) => row.text)).toEqual([expect.stringMatching(/^Your sign-in phone number was changed from •••• \d{4} to •••• 0666 by Alex Morgan/)]);
  expect(mails.map((row) => row.text)).toEqual([expect.stringMatching(/to •••• 0666 by Alex Morgan/)]);
}

describe('a silent redirect of an employee’s second factor', () => {
  it('through PATCH: the employee is told at the old number and by email', async () => {
    const target = victim(0);
    const response = await call(portal, 'https', 'PATCH', `/api/v1/employees/${target.id}`, {
      token: stolenSession,
      body: { cellPhone: ATTACKER_PHONE },
      headers: { 'if-match': ifMatch(target.version) },
    });
    expect(response.status).toBe(200);
    await expectTold(target);
  });

  it('through a batch item: the same', async () => {
    const target = victim(1);
    const response = await call(portal, 'https', 'POST', '/api/v1/employees/batch', {
      token: stolenSession,
      body: { items: [{ id: target.id, ifMatch: ifMatch(target.version), idempotencyKey: randomUUID(), patch: { cellPhone: ATTACKER_PHONE } }] },
    });
    expect(response.body).toMatchObject({ results: [{ status: 200 }] });
    await expectTold(target);
  });

  it('through a verification the attacker confirms from their own phone: the same', async () => {
    const target = victim(2);
    const started = await call(portal, 'https', 'POST', `/api/v1/employees/${target.id}/phone-verifications`, {
      token: stolenSession,
      body: { cellPhone: ATTACKER_PHONE },
      headers: { 'if-match': ifMatch(target.version) },
    });
    expect(started.status).toBe(201);
    const sent = portal.db.prepare('SELECT text FROM sms_messages WHERE recipient = ? ORDER BY id DESC LIMIT 1').get(ATTACKER_PHONE) as { text: string };
    const code = /\b(\d{6})\b/.exec(sent.text)![1]!;
    const confirmed = await call(portal, 'https', 'POST', `/api/v1/employees/${target.id}/phone-verifications/${(started.body as { id: string }).id}/confirm`, {
      token: stolenSession,
      body: { code },
      headers: { 'if-match': ifMatch(storedEmployee(portal, target.id).version) },
    });
    expect(confirmed.status).toBe(200);
    await expectTold(target);
  });
});
