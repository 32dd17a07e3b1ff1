import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { auditListSchema, employeeSchema, phoneVerificationSchema, type PhoneVerification } from '../../../common/api';
import { ManualClock } from '../../../server/clock';
import { describeEachBackend } from '../../support/backends';
import { useBackendPortal } from '../../support/backend-portal';
import { sessionToken } from '../../support/portal';
import { call, ifMatch, readEmployee, type CallResult } from '../../support/employees';

// Verify and save: a code to the new number, the same rules as sign-in codes, one request applies it.
describeEachBackend('verify and save', (backend) => {
  const clock = new ManualClock('2026-12-06T14:03:00Z');
  const env = useBackendPortal(backend, { clock, tokens: { admin: 'admin@acme.test', secondAdmin: 'totp@acme.test', tech: 'tech@acme.test' } });
  const { tokens } = env;
  // The clock moves by hours in here: fresh tokens for every test.
  beforeEach(() => env.renewTokens());

  async function start(id: string, cellPhone: string, token = tokens.admin, extra: { method?: 'sms' | 'voice'; version?: number } = {}): Promise<CallResult> {
    return call(env.portal, 'https', 'POST', `/api/v1/employees/${id}/phone-verifications`, {
      token,
      body: { cellPhone, ...(extra.method ? { method: extra.method } : {}) },
      headers: { 'if-match': ifMatch(extra.version ?? (await readEmployee(env.portal, id)).version) },
    });
  }

  async function started(id: string, cellPhone: string, token = tokens.admin): Promise<PhoneVerification> {
    const response = await start(id, cellPhone, token);
    expect(response.status, response.text).toBe(201);
    return phoneVerificationSchema.parse(response.body);
  }

  async function confirm(id: string, verificationId: string, code: string, options: { token?: string; key?: string; version?: number } = {}): Promise<CallResult> {
    return call(env.portal, 'https', 'POST', `/api/v1/employees/${id}/phone-verifications/${verificationId}/confirm`, {
      token: options.token ?? tokens.admin,
      body: { code },
      headers: {
        'if-match': ifMatch(options.version ?? (await readEmployee(env.portal, id)).version),
        'idempotency-key': options.key ?? randomUUID(),
      },
    });
  }

  /** The code in the newest message the demo carrier delivered to `recipient`. */
  async function codeSentTo(recipient: string): Promise<string> {
    const row = await env.portal.store.get<{ text: string }>('SELECT text FROM sms_messages WHERE recipient = ? ORDER BY id DESC LIMIT 1', recipient);
    const code = /\b(\d{6})\b/.exec(row?.text ?? '')?.[1];
    if (!code) throw new Error(`no code sent to ${recipient}`);
    return code;
  }

  const wrongCode = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  const auditCount = async (id: string): Promise<number> =>
    (await env.portal.store.get<{ n: number }>('SELECT count(*) AS n FROM audit_log WHERE employee_id = ?', id))!.n;

  describe('verify and save', () => {
    it('sends a 6-digit code to the new number and, with that code, saves it as verified in one request', async () => {
      const id = 'acme-0101';
      const before = await readEmployee(env.portal, id);
      const verification = await started(id, '+1 (212) 555-0101');
      expect(verification).toMatchObject({ cellPhone: '+12125550101', method: 'sms', resendAfter: 30, sendsLeft: 4 });
      expect(new Date(verification.expiresAt).getTime() - clock.now().getTime()).toBe(10 * 60 * 1000);
      const text = (await env.portal.store.get<{ text: string }>('SELECT text FROM sms_messages WHERE recipient = ? ORDER BY id DESC', '+12125550101'))!.text;
      expect(text).toMatch(/Acme IT Services administrator.*code is \d{6}\b/);
      // Nothing changed yet.
      expect((await readEmployee(env.portal, id)).version).toBe(before.version);

      const response = await confirm(id, verification.id, await codeSentTo('+12125550101'));
      expect(response.status, response.text).toBe(200);
      const employee = employeeSchema.parse(response.body);
      expect(employee).toMatchObject({ cellPhone: '+12125550101', updatedBy: 'Alex Morgan', phoneVerifiedAt: clock.now().toISOString(), version: before.version + 1 });
      expect(response.headers.etag).toBe(ifMatch(before.version + 1));

      const audit = await call(env.portal, 'https', 'GET', `/api/v1/audit?employeeId=${id}`, { token: tokens.admin });
      const [entry] = auditListSchema.parse(audit.body).items;
      expect(entry).toMatchObject({ verified: true, newValue: '•••• 0101', actor: { email: 'admin@acme.test', name: 'Alex Morgan' } });
    });

    it('a Save Changes without verifying is recorded as verified: false and clears an earlier verification', async () => {
      const id = 'acme-0101';
      const response = await call(env.portal, 'https', 'PATCH', `/api/v1/employees/${id}`, {
        token: tokens.admin,
        body: { cellPhone: '+12125550191' },
        headers: { 'if-match': ifMatch((await readEmployee(env.portal, id)).version) },
      });
      expect(response.status).toBe(200);
      expect(employeeSchema.parse(response.body)).toMatchObject({ phoneVerifiedAt: null, updatedBy: 'Alex Morgan' });
      const audit = await call(env.portal, 'https', 'GET', `/api/v1/audit?employeeId=${id}`, { token: tokens.admin });
      expect(auditListSchema.parse(audit.body).items[0]).toMatchObject({ verified: false, newValue: '•••• 0191' });
    });

    it('a wrong code says how many tries are left; the 5th kills the verification, even for the right code', async () => {
      const id = 'acme-0102';
      const verification = await started(id, '+12125550102');
      const code = await codeSentTo('+12125550102');
      for (const left of [4, 3, 2, 1, 0]) {
        const response = await confirm(id, verification.id, wrongCode(code));
        expect(response.status).toBe(422);
        expect(response.body).toMatchObject({ code: 'invalid_code', attemptsLeft: left });
      }
      const late = await confirm(id, verification.id, code);
      expect(late.status).toBe(410);
      expect(late.body).toMatchObject({ code: 'verification_expired' });
      expect(await auditCount(id)).toBe(0);
    });

    it('a code is single use, and expires after 10 minutes', async () => {
      const id = 'acme-0103';
      const first = await started(id, '+12125550103');
      const code = await codeSentTo('+12125550103');
      expect((await confirm(id, first.id, code)).status).toBe(200);
      const again = await confirm(id, first.id, code);
      expect(again.status).toBe(410);

      const second = await started(id, '+12125550113');
      clock.advance(10 * 60 * 1000);
      const expired = await confirm(id, second.id, await codeSentTo('+12125550113'));
      expect(expired.status).toBe(410);
      expect((await readEmployee(env.portal, id)).cell_phone).toBe('+12125550103');
    });

    it('resends after 30 s (not before), at most 5 sends, and a new code replaces the old one', async () => {
      const id = 'acme-0104';
      const verification = await started(id, '+12125550104');
      const firstCode = await codeSentTo('+12125550104');
      const resend = () => call(env.portal, 'https', 'POST', `/api/v1/employees/${id}/phone-verifications/${verification.id}/send`, { token: tokens.admin, body: {} });
      const early = await resend();
      expect(early.status).toBe(429);
      expect(early.headers['retry-after']).toBe('30');
      let sendsLeft = 4;
      for (let i = 0; i < 4; i++) {
        clock.advance(30_000);
        const response = await resend();
        expect(response.status, response.text).toBe(200);
        expect(phoneVerificationSchema.parse(response.body).sendsLeft).toBe(--sendsLeft);
      }
      clock.advance(30_000);
      expect((await resend()).status).toBe(429);
      const latest = await codeSentTo('+12125550104');
      if (latest !== firstCode) expect((await confirm(id, verification.id, firstCode)).status).toBe(422);
      expect((await confirm(id, verification.id, latest)).status).toBe(200);
    });

    it('sends to a landline by voice call', async () => {
      const verification = await started('acme-0105', '+1 212 555 0105');
      expect(verification.method).toBe('sms'); // US numbers are fixed-line-or-mobile: texts work
      const landline = await started('acme-0106', '+44 20 7946 0106');
      expect(landline.method).toBe('voice');
      const row = (await env.portal.store.get<{ channel: string }>('SELECT channel FROM sms_messages WHERE recipient = ? ORDER BY id DESC', '+442079460106'))!;
      expect(row.channel).toBe('voice');
    });

    it('starts at most 5 verifications per employee an hour (no flooding a phone with texts)', async () => {
      const id = 'acme-0107';
      for (let i = 0; i < 5; i++) expect((await start(id, `+1212555017${i}`)).status).toBe(201);
      const sixth = await start(id, '+12125550179');
      expect(sixth.status).toBe(429);
      expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
      clock.advance(60 * 60 * 1000 + 1000);
      expect((await start(id, '+12125550179', await sessionToken(env.portal, 'admin@acme.test'))).status).toBe(201);
    });

    it('refuses what PATCH refuses: no If-Match (428), a stale one (412), a bad number (422), a non-admin (403)', async () => {
      const id = 'acme-0108';
      const noIfMatch = await call(env.portal, 'https', 'POST', `/api/v1/employees/${id}/phone-verifications`, { token: tokens.admin, body: { cellPhone: '+12125550108' } });
      expect(noIfMatch.status).toBe(428);
      const stale = await start(id, '+12125550108', tokens.admin, { version: (await readEmployee(env.portal, id)).version + 5 });
      expect(stale.status).toBe(412);
      expect(stale.body).toMatchObject({ current: { id } });
      const premium = await start(id, '+1 900 555 0100');
      expect(premium.status).toBe(422);
      expect((await start(id, '+12125550108', tokens.tech)).status).toBe(403);
      const sent = (await env.portal.store.get<{ n: number }>('SELECT count(*) AS n FROM sms_messages WHERE recipient IN (?, ?)', '+12125550108', '+19005550100'))!;
      expect(sent.n).toBe(0);
    });

    it('a confirm without If-Match is 428, and 412 when someone changed the employee after the code was sent', async () => {
      const id = 'acme-0109';
      const verification = await started(id, '+12125550109');
      const code = await codeSentTo('+12125550109');
      const noIfMatch = await call(env.portal, 'https', 'POST', `/api/v1/employees/${id}/phone-verifications/${verification.id}/confirm`, {
        token: tokens.admin,
        body: { code },
      });
      expect(noIfMatch.status).toBe(428);
      const seen = (await readEmployee(env.portal, id)).version;
      const other = await call(env.portal, 'https', 'PATCH', `/api/v1/employees/${id}`, {
        token: tokens.secondAdmin,
        body: { cellPhone: '+12125550119' },
        headers: { 'if-match': ifMatch(seen) },
      });
      expect(other.status).toBe(200);
      const stale = await confirm(id, verification.id, code, { version: seen });
      expect(stale.status).toBe(412);
      expect(stale.body).toMatchObject({ current: { cellPhone: '+12125550119', updatedBy: 'Jordan Okafor' } });
      // The code was not spent: confirmed against the version now current, it applies.
      expect((await confirm(id, verification.id, code)).status).toBe(200);
    });

    it("another admin cannot confirm an admin's verification", async () => {
      const id = 'acme-0110';
      const verification = await started(id, '+12125550110');
      const response = await confirm(id, verification.id, await codeSentTo('+12125550110'), { token: tokens.secondAdmin });
      expect(response.status).toBe(410);
      expect((await readEmployee(env.portal, id)).cell_phone).not.toBe('+12125550110');
    });
  });

  describe('confirm applies exactly once', () => {
    it('a retry with the same Idempotency-Key gets the stored answer; nothing is applied twice', async () => {
      const id = 'acme-0111';
      const verification = await started(id, '+12125550111');
      const key = randomUUID();
      const version = (await readEmployee(env.portal, id)).version;
      const code = await codeSentTo('+12125550111');
      const first = await confirm(id, verification.id, code, { key, version });
      const retry = await confirm(id, verification.id, code, { key, version });
      expect(first.status).toBe(200);
      expect(retry.status).toBe(200);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect(await auditCount(id)).toBe(1);
      expect((await readEmployee(env.portal, id)).version).toBe(version + 1);
    });

    it('of 12 racing confirms (different keys) exactly one applies; the change is audited and notified once', async () => {
      const id = 'acme-0112';
      const verification = await started(id, '+12125550112');
      const code = await codeSentTo('+12125550112');
      const version = (await readEmployee(env.portal, id)).version;
      const responses = await Promise.all(Array.from({ length: 12 }, () => confirm(id, verification.id, code, { version })));
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.every((status) => status === 200 || status === 410)).toBe(true);
      expect(await auditCount(id)).toBe(1);
      expect((await readEmployee(env.portal, id)).version).toBe(version + 1);
      const notices = (await env.portal.store.get<{ n: number }>(
        'SELECT count(*) AS n FROM notification_outbox o JOIN audit_log a ON a.id = o.audit_id WHERE a.employee_id = ?', id))!;
      expect(notices.n).toBe(2); // a text to the old number and an email
    });
  });

  describe('requireVerifiedPhone', () => {
    it('makes Save Changes (PATCH and batch) answer 422 verification_required, and Verify and save still works', async () => {
      const settings = await call(env.portal, 'https', 'PATCH', '/api/v1/company/settings', { token: tokens.admin, body: { requireVerifiedPhone: true } });
      expect(settings.body).toEqual({ requireVerifiedPhone: true });
      expect((await call(env.portal, 'https', 'GET', '/api/v1/company/settings', { token: tokens.tech })).body).toEqual({ requireVerifiedPhone: true });
      expect((await call(env.portal, 'https', 'PATCH', '/api/v1/company/settings', { token: tokens.tech, body: { requireVerifiedPhone: false } })).status).toBe(403);
      try {
        const id = 'acme-0113';
        const before = await readEmployee(env.portal, id);
        const patch = await call(env.portal, 'https', 'PATCH', `/api/v1/employees/${id}`, {
          token: tokens.admin,
          body: { cellPhone: '+12125550113' },
          headers: { 'if-match': ifMatch(before.version) },
        });
        expect(patch.status).toBe(422);
        expect(patch.body).toMatchObject({ code: 'verification_required' });
        const batch = await call(env.portal, 'https', 'POST', '/api/v1/employees/batch', {
          token: tokens.admin,
          body: { items: [{ id, ifMatch: ifMatch(before.version), idempotencyKey: randomUUID(), patch: { cellPhone: '+12125550113' } }] },
        });
        expect(batch.body).toMatchObject({ results: [{ status: 422, body: { code: 'verification_required' } }] });
        expect((await readEmployee(env.portal, id)).version).toBe(before.version);

        const verification = await started(id, '+12125550123');
        expect((await confirm(id, verification.id, await codeSentTo('+12125550123'))).status).toBe(200);
        // Another company is not affected.
        expect((await call(env.portal, 'https', 'GET', '/api/v1/company/settings', { token: await sessionToken(env.portal, 'admin@globex.test') })).body).toEqual({
          requireVerifiedPhone: false,
        });
      } finally {
        await call(env.portal, 'https', 'PATCH', '/api/v1/company/settings', { token: tokens.admin, body: { requireVerifiedPhone: false } });
      }
    });
  });
});
