import { describe, expect, it } from 'vitest';
import { maskPhone } from '../../../common/phone';
import { ManualClock } from '../../../server/clock';
import { describeEachBackend } from '../../support/backends';
import { useBackendPortal } from '../../support/backend-portal';
import { portalRequest } from '../../support/portal';
import {
  ACCOUNTS,
  ensureAccounts,
  otherCode,
  readEmployeeId,
  readLastCodeSentTo,
  sendCode,
  startChallenge,
  totpCode,
  verify,
  type TokenBody,
} from './auth-helpers';

// Codes are single use and counted in the database: both backends.
describeEachBackend('sign-in challenges', (backend) => {
  const clock = new ManualClock('2026-01-15T09:00:00Z');
  const env = useBackendPortal(backend, { clock, check: ensureAccounts });

  const adminPhone = () => ACCOUNTS.admin.phone;

  describe('second factor by SMS and voice', () => {
    it('signs in by SMS: send, read the code from the demo carrier, verify, get tokens and the user', async () => {
      const challenge = await startChallenge(env.portal, 'admin');
      const sent = await sendCode(env.portal, challenge.challengeId, 'sms');
      expect(sent.status).toBe(200);
      expect(sent.body).toEqual({ sent: true, method: 'sms', destination: maskPhone(adminPhone()), resendAfter: 30, sendsLeft: 4 });

      const message = (await env.portal.app.demoSms!.recent(1))[0]!;
      expect(message).toMatchObject({ channel: 'sms', recipient: adminPhone(), at: clock.now().toISOString() });
      expect(message.text).toMatch(/^Your Portal login code is \d{6}\. It expires in 10 minutes\.$/);
      const code = await readLastCodeSentTo(env.portal, adminPhone());

      // Only a keyed hash of the code is at rest: the plaintext is in no column of the challenge.
      const stored = (await env.portal.store.get('SELECT * FROM challenges WHERE id = ?', challenge.challengeId)) as Record<string, unknown>;
      expect(stored['code_hash']).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(stored)).not.toContain(code);

      const verified = await verify(env.portal, challenge.challengeId, code);
      expect(verified.status).toBe(200);
      const tokens = verified.body as TokenBody;
      expect(tokens.accessToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(tokens.accessToken).not.toBe(tokens.refreshToken);
      expect(tokens.expiresIn).toBe(900);
      const company = await env.portal.store.get('SELECT c.id, c.name, c.country FROM companies c JOIN employees e ON e.company_id = c.id WHERE e.email = ?', ACCOUNTS.admin.email);
      expect(tokens.user).toMatchObject({ id: await readEmployeeId(env.portal, ACCOUNTS.admin.email), email: ACCOUNTS.admin.email, role: 'admin', company });
      expect(tokens.user.company.country).toBe('US');

      const employee = await env.portal.store.get('SELECT last_login_at FROM employees WHERE email = ?', ACCOUNTS.admin.email);
      expect(employee).toEqual({ last_login_at: clock.now().toISOString() });
      expect(await env.portal.store.get('SELECT state, code_hash FROM challenges WHERE id = ?', challenge.challengeId)).toEqual({ state: 'used', code_hash: null });

      const me = await portalRequest(env.portal, 'GET', '/api/v1/me', { token: tokens.accessToken });
      expect(me.status).toBe(200);
      expect(me.body).toEqual(tokens.user);
    });

    it('signs in by voice call, for another company too', async () => {
      const challenge = await startChallenge(env.portal, 'globex');
      const sent = await sendCode(env.portal, challenge.challengeId, 'voice');
      expect(sent.status).toBe(200);
      const phone = ACCOUNTS.globex.phone;
      expect((await env.portal.app.demoSms!.recent(1))[0]).toMatchObject({ channel: 'voice', recipient: phone });
      const verified = await verify(env.portal, challenge.challengeId, await readLastCodeSentTo(env.portal, phone), 'voice');
      expect(verified.status).toBe(200);
      expect((verified.body as TokenBody).user.company.country).toBe('GB');
    });

    it('accepts a code once: a replay finds the challenge gone (410)', async () => {
      const challenge = await startChallenge(env.portal, 'admin');
      await sendCode(env.portal, challenge.challengeId);
      const code = await readLastCodeSentTo(env.portal, adminPhone());
      expect((await verify(env.portal, challenge.challengeId, code)).status).toBe(200);
      const replay = await verify(env.portal, challenge.challengeId, code);
      expect(replay.status).toBe(410);
      expect(replay.body).toMatchObject({ code: 'challenge_expired' });
    });

    it('lets exactly one of many simultaneous verifies with the right code through', async () => {
      const challenge = await startChallenge(env.portal, 'admin');
      await sendCode(env.portal, challenge.challengeId);
      const code = await readLastCodeSentTo(env.portal, adminPhone());
      const answers = await Promise.all(Array.from({ length: 8 }, () => verify(env.portal, challenge.challengeId, code)));
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 410, 410, 410, 410, 410, 410, 410]);
    });

    it('counts down attemptsLeft and kills the challenge on the 5th wrong code, even for the right code after', async () => {
      const challenge = await startChallenge(env.portal, 'admin');
      await sendCode(env.portal, challenge.challengeId);
      const code = await readLastCodeSentTo(env.portal, adminPhone());
      for (const attemptsLeft of [4, 3, 2, 1, 0]) {
        const wrong = await verify(env.portal, challenge.challengeId, otherCode(code));
        expect(wrong.status).toBe(401);
        expect(wrong.body).toEqual({ code: 'invalid_code', message: expect.any(String), attemptsLeft });
      }
      expect(await env.portal.store.get('SELECT state FROM challenges WHERE id = ?', challenge.challengeId)).toEqual({ state: 'killed' });
      expect((await verify(env.portal, challenge.challengeId, code)).status).toBe(410);
      expect((await sendCode(env.portal, challenge.challengeId)).status).toBe(410);
    });

    it('binds a code to its challenge: it does not open another sign-in', async () => {
      const first = await startChallenge(env.portal, 'admin');
      const second = await startChallenge(env.portal, 'admin');
      await sendCode(env.portal, first.challengeId);
      const firstCode = await readLastCodeSentTo(env.portal, adminPhone());
      await sendCode(env.portal, second.challengeId);
      const secondCode = await readLastCodeSentTo(env.portal, adminPhone());
      const crossed = await verify(env.portal, second.challengeId, firstCode);
      // One chance in a million that both challenges drew the same code.
      if (firstCode !== secondCode) expect(crossed.status).toBe(401);
      expect((await verify(env.portal, first.challengeId, firstCode)).status).toBe(200);
    });

    it('replaces the code on a resend: the old one stops working', async () => {
      const challenge = await startChallenge(env.portal, 'admin');
      await sendCode(env.portal, challenge.challengeId);
      const oldCode = await readLastCodeSentTo(env.portal, adminPhone());
      clock.advance(30_000);
      expect((await sendCode(env.portal, challenge.challengeId)).status).toBe(200);
      const newCode = await readLastCodeSentTo(env.portal, adminPhone());
      if (oldCode !== newCode) {
        const stale = await verify(env.portal, challenge.challengeId, oldCode);
        expect(stale.status).toBe(401);
        expect(stale.body).toMatchObject({ attemptsLeft: 4 });
      }
      expect((await verify(env.portal, challenge.challengeId, newCode)).status).toBe(200);
    });

    it('holds resends 30 s apart (429 + Retry-After) and allows 5 per challenge', async () => {
      const challenge = await startChallenge(env.portal, 'tech');
      expect((await sendCode(env.portal, challenge.challengeId)).status).toBe(200);
      const tooSoon = await sendCode(env.portal, challenge.challengeId);
      expect(tooSoon.status).toBe(429);
      expect(tooSoon.headers['retry-after']).toBe('30');
      expect(tooSoon.body).toMatchObject({ code: 'rate_limited', retryAfter: 30 });
      clock.advance(10_000);
      expect((await sendCode(env.portal, challenge.challengeId, 'voice')).headers['retry-after']).toBe('20');
      const messages = await env.portal.store.get('SELECT count(*) AS n FROM sms_messages');

      const sendsLeft: number[] = [];
      for (let index = 0; index < 4; index++) {
        clock.advance(30_000);
        const sent = await sendCode(env.portal, challenge.challengeId);
        expect(sent.status).toBe(200);
        sendsLeft.push((sent.body as { sendsLeft: number }).sendsLeft);
      }
      expect(sendsLeft).toEqual([3, 2, 1, 0]);
      expect(((await env.portal.store.get('SELECT count(*) AS n FROM sms_messages')) as { n: number }).n).toBe((messages as { n: number }).n + 4);

      clock.advance(30_000);
      const sixth = await sendCode(env.portal, challenge.challengeId);
      expect(sixth.status).toBe(429);
      // No more sends on this challenge: the wait is until it expires (10 min after login, 2:40 ago).
      expect(sixth.headers['retry-after']).toBe(String(10 * 60 - 160));
      expect(sixth.body).toMatchObject({ code: 'rate_limited', retryAfter: 10 * 60 - 160 });
    });

    it('lets a code and its challenge expire after 10 minutes', async () => {
      const challenge = await startChallenge(env.portal, 'admin');
      await sendCode(env.portal, challenge.challengeId);
      const code = await readLastCodeSentTo(env.portal, adminPhone());
      clock.advance(10 * 60_000 - 1000);
      const late = await startChallenge(env.portal, 'admin'); // a fresh sign-in for the "just in time" check
      await sendCode(env.portal, late.challengeId);
      const lateCode = await readLastCodeSentTo(env.portal, adminPhone());
      clock.advance(1000);
      const expired = await verify(env.portal, challenge.challengeId, code);
      expect(expired.status).toBe(410);
      expect(expired.body).toMatchObject({ code: 'challenge_expired' });
      expect((await sendCode(env.portal, challenge.challengeId)).status).toBe(410);

      clock.advance(10 * 60_000 - 2000);
      expect((await verify(env.portal, late.challengeId, lateCode)).status).toBe(200);
    });

    it('ends a challenge whose account is locked meanwhile', async () => {
      const challenge = await startChallenge(env.portal, 'tech');
      await sendCode(env.portal, challenge.challengeId);
      await env.portal.store.run('UPDATE employees SET locked = 1 WHERE email = ?', ACCOUNTS.tech.email);
      try {
        expect((await verify(env.portal, challenge.challengeId, await readLastCodeSentTo(env.portal, ACCOUNTS.tech.phone))).status).toBe(410);
      } finally {
        await env.portal.store.run('UPDATE employees SET locked = 0 WHERE email = ?', ACCOUNTS.tech.email);
      }
    });
  });

  describe('second factor by authenticator app (TOTP)', () => {
    const totpUser = () => readEmployeeId(env.portal, ACCOUNTS.totp.email);

    it('accepts the current code, once per time step, and keeps the secret encrypted at rest', async () => {
      const sealed = (await env.portal.store.get('SELECT totp_secret FROM employees WHERE email = ?', ACCOUNTS.totp.email)) as { totp_secret: string };
      expect(sealed.totp_secret).toMatch(/^v1\./);
      expect(sealed.totp_secret).not.toContain('JBSWY3DP');

      const messagesBefore = (await env.portal.app.demoSms!.recent(1000)).length;
      const first = await startChallenge(env.portal, 'totp');
      expect(first.methods[0]).toBe('totp');
      const code = totpCode(clock.now());
      const verified = await verify(env.portal, first.challengeId, code, 'totp');
      expect(verified.status).toBe(200);
      expect((verified.body as TokenBody).user.email).toBe(ACCOUNTS.totp.email);
      expect((await env.portal.app.demoSms!.recent(1000)).length).toBe(messagesBefore);

      // Same step again, on a new challenge: refused (RFC 6238 §5.2).
      const second = await startChallenge(env.portal, 'totp');
      const reused = await verify(env.portal, second.challengeId, code, 'totp');
      expect(reused.status).toBe(401);
      expect(reused.body).toMatchObject({ code: 'invalid_code', attemptsLeft: 4 });

      // The next step's code works (and is checked without naming the method).
      clock.advance(30_000);
      expect((await verify(env.portal, second.challengeId, totpCode(clock.now()))).status).toBe(200);
    });

    it('tolerates one step of clock drift either way, not two', async () => {
      clock.advance(60_000);
      const challenge = await startChallenge(env.portal, 'totp');
      const now = clock.now().getTime();
      expect((await verify(env.portal, challenge.challengeId, totpCode(new Date(now + 90_000)), 'totp')).status).toBe(401);
      expect((await verify(env.portal, challenge.challengeId, totpCode(new Date(now - 60_000)), 'totp')).status).toBe(401);
      expect((await verify(env.portal, challenge.challengeId, totpCode(new Date(now + 30_000)), 'totp')).status).toBe(200);
    });

    it('refuses a code from a step before the newest one used (a code seen over the shoulder)', async () => {
      // The previous test consumed the step after "now"; the current step's code is older than that.
      const challenge = await startChallenge(env.portal, 'totp');
      const newest = (await env.portal.store.get<{ step: number }>('SELECT max(step) AS step FROM totp_used_steps WHERE employee_id = ?', await totpUser()))!;
      expect(newest.step).toBe(Math.floor(clock.now().getTime() / 30_000) + 1);
      expect((await verify(env.portal, challenge.challengeId, totpCode(clock.now()), 'totp')).status).toBe(401);
    });

    it('lets a TOTP user fall back to SMS', async () => {
      const challenge = await startChallenge(env.portal, 'totp');
      expect((await sendCode(env.portal, challenge.challengeId)).status).toBe(200);
      const code = await readLastCodeSentTo(env.portal, ACCOUNTS.totp.phone);
      expect((await verify(env.portal, challenge.challengeId, code, 'sms')).status).toBe(200);
    });
  });
});
