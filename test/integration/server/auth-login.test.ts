import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { maskPhone } from '../../../common/phone';
import { ManualClock } from '../../../server/clock';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../../../server/auth/passwords';
import { describeEachBackend } from '../../support/backends';
import { useBackendPortal } from '../../support/backend-portal';
import { portalRequest } from '../../support/portal';
import {
  ACCOUNTS,
  employeeWithoutPassword,
  ensureAccounts,
  login,
  otherCode,
  readEmployeeId,
  readLastCodeSentTo,
  sendCode,
  startChallenge,
  verify,
  type ChallengeBody,
} from './auth-helpers';

// Throttles count failures in the database, and the password step writes challenges there: both backends.
describeEachBackend('sign-in', (backend) => {
  const clock = new ManualClock('2026-01-15T09:00:00Z');
  const env = useBackendPortal(backend, { clock, check: ensureAccounts });

  async function count(table: string): Promise<number> {
    return (await env.portal.store.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
  }

  describe('POST /auth/login', () => {
    it('answers a right password with a challenge and nothing else: no token, no code sent', async () => {
      const messagesBefore = await count('sms_messages');
      const response = await login(env.portal, ACCOUNTS.admin.email, ACCOUNTS.admin.password);
      expect(response.status).toBe(200);
      const body = response.body as ChallengeBody;
      expect(Object.keys(body).sort()).toEqual(['challengeId', 'destination', 'expiresAt', 'methods']);
      expect(body.challengeId).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(body.methods).toEqual(['sms', 'voice']);
      const phone = ACCOUNTS.admin.phone;
      expect(body.destination).toBe(maskPhone(phone));
      expect(body.destination).toContain(phone.slice(-4));
      expect(body.destination).not.toContain(phone.slice(1, -4));
      expect(body.expiresAt).toBe(new Date(clock.now().getTime() + 10 * 60_000).toISOString());
      expect(response.text).not.toMatch(/token/i);
      expect(await count('sms_messages')).toBe(messagesBefore);
      const stored = await env.portal.store.get('SELECT employee_id, state, sends, code_hash FROM challenges WHERE id = ?', body.challengeId);
      expect(stored).toEqual({ employee_id: await readEmployeeId(env.portal, ACCOUNTS.admin.email), state: 'open', sends: 0, code_hash: null });
    });

    it('puts the authenticator app first for a TOTP user and keeps SMS and voice as fallbacks', async () => {
      const body = await startChallenge(env.portal, 'totp');
      expect(body.methods).toEqual(['totp', 'sms', 'voice']);
    });

    it('matches the email without regard to case or surrounding spaces', async () => {
      const response = await login(env.portal, `  ${ACCOUNTS.tech.email.toUpperCase()} `, ACCOUNTS.tech.password);
      expect(response.status).toBe(200);
    });

    it('gives one identical 401 for an unknown user, a wrong password, a locked account and an account without a password', async () => {
      const cases = [
        { email: 'nobody@acme.test', password: ACCOUNTS.admin.password },
        { email: ACCOUNTS.admin.email, password: 'acme-admin-demo-wrong' },
        { email: ACCOUNTS.locked.email, password: ACCOUNTS.locked.password },
        { email: ACCOUNTS.locked.email, password: 'wrong' },
        { email: await employeeWithoutPassword(env.portal), password: 'anything' },
      ];
      const challengesBefore = await count('challenges');
      const answers = [];
      for (const credentials of cases) answers.push(await login(env.portal, credentials.email, credentials.password));
      for (const answer of answers) {
        expect(answer.status).toBe(401);
        expect(answer.text).toBe(answers[0]!.text);
        expect(answer.headers['content-type']).toBe(answers[0]!.headers['content-type']);
        expect(answer.headers['retry-after']).toBeUndefined();
      }
      expect(answers[0]!.body).toEqual({ code: 'invalid_credentials', message: expect.any(String) });
      expect(await count('challenges')).toBe(challengesBefore);
    });

    it('tells a user with the right password but no second factor to ask an administrator (403), without a challenge', async () => {
      const company = (await env.portal.store.get<{ company_id: string }>('SELECT company_id FROM employees WHERE email = ?', ACCOUNTS.admin.email))!;
      await env.portal.store.run(
        `INSERT INTO employees (id, company_id, first_name, last_name, email, role, two_factor_status, password_hash, updated_at, search_text)
         VALUES ('test-no-factor', ?, 'No', 'Factor', 'nofactor@acme.test', 'sales', 'not_enrolled', ?, ?, 'nofactor')`,
        company.company_id, hashPassword('no-factor-pass'), clock.now().toISOString());
      const challengesBefore = await count('challenges');
      const response = await login(env.portal, 'nofactor@acme.test', 'no-factor-pass');
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ code: 'forbidden', message: expect.stringContaining('administrator') });
      expect(await count('challenges')).toBe(challengesBefore);
      // A wrong password for the same account is the usual 401.
      expect((await login(env.portal, 'nofactor@acme.test', 'wrong')).body).toMatchObject({ code: 'invalid_credentials' });
    });

    it('spends the same scrypt work on an unknown email, a wrong password and a locked account (right or wrong password)', async () => {
      const timed = async (email: string, password: string): Promise<number> => {
        const started = performance.now();
        const response = await login(env.portal, email, password);
        expect(response.status).toBe(401);
        return performance.now() - started;
      };
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
      const unknown: number[] = [];
      const wrong: number[] = [];
      const lockedRight: number[] = [];
      const lockedWrong: number[] = [];
      // Interleaved, so a burst of load from other test files falls on every kind alike.
      for (let round = 0; round < 5; round++) {
        unknown.push(await timed(`nobody-${round}@acme.test`, 'not-the-password'));
        wrong.push(await timed(ACCOUNTS.tech.email, 'not-the-password'));
        lockedRight.push(await timed(ACCOUNTS.locked.email, ACCOUNTS.locked.password));
        lockedWrong.push(await timed(ACCOUNTS.locked.email, 'not-the-password'));
      }
      const started = performance.now();
      verifyPassword('x', DUMMY_PASSWORD_HASH);
      const oneScrypt = performance.now() - started;
      // Without the dummy hash an unknown email would answer in a fraction of one scrypt; a locked
      // account checked before the password would too.
      for (const [name, times] of Object.entries({ unknown, lockedRight, lockedWrong })) {
        expect(median(times), name).toBeGreaterThan(oneScrypt * 0.5);
        // Loose bounds: other test files share these 2 cores. Skipping scrypt gives a ratio near 0.05.
        expect(median(times) / median(wrong), name).toBeGreaterThan(0.4);
        expect(median(times) / median(wrong), name).toBeLessThan(2.5);
      }
    }, 120_000); // 20 sign-ins, each a full scrypt: slow when other test files load the machine
  });

  describe('throttling per e-mail and source address (≥ 100 failures an hour)', () => {
    const account = ACCOUNTS.tech;
    // Requests from this test come from 127.0.0.1.
    const guesser: { account: string; source: string } = { account: account.email, source: '127.0.0.1' };
    beforeEach(async () => {
      await env.portal.store.run('DELETE FROM sign_in_failures');
    });

    /** `n` password failures of `who`, one a second, the newest `lastAgoMs` ago (one statement). */
    async function addFailures(n: number, lastAgoMs: number, who = guesser): Promise<void> {
      const now = clock.now().getTime();
      const times = Array.from({ length: n }, (_, index) => new Date(now - lastAgoMs - index * 1000).toISOString());
      await env.portal.store.run(
        `INSERT INTO sign_in_failures (account, source, kind, at) VALUES ${times.map(() => "(?, ?, 'password', ?)").join(', ')}`,
        ...times.flatMap((at) => [who.account, who.source, at]));
    }

    it('answers 429 with a Retry-After that doubles from 30 s, then lets the right password in', async () => {
      await addFailures(100, 10_000); // the 100th failure was 10 s ago: 20 s of the 30 s wait remain
      const first = await login(env.portal, account.email, account.password);
      expect(first.status).toBe(429);
      expect(first.headers['retry-after']).toBe('20');
      expect(first.body).toEqual({ code: 'rate_limited', message: expect.any(String), retryAfter: 20 });

      clock.advance(20_000);
      expect((await login(env.portal, account.email, 'wrong-again')).status).toBe(401); // the 101st failure
      const second = await login(env.portal, account.email, account.password);
      expect(second.status).toBe(429);
      expect(second.headers['retry-after']).toBe('60');

      clock.advance(60_000);
      expect((await login(env.portal, account.email, 'wrong-again')).status).toBe(401); // the 102nd
      const third = await login(env.portal, account.email, account.password);
      expect(third.headers['retry-after']).toBe('120');

      clock.advance(120_000);
      expect((await login(env.portal, account.email, account.password)).status).toBe(200);
    });

    it('does not count the attempts it refuses, and caps the wait at an hour', async () => {
      await addFailures(130, 0);
      const before = await count('sign_in_failures');
      const refused = await login(env.portal, account.email, 'wrong');
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('3600');
      expect(await count('sign_in_failures')).toBe(before);
    });

    it('never locks for good: once the failures are an hour old the account opens again', async () => {
      await addFailures(300, 0);
      clock.advance(60 * 60_000);
      expect((await login(env.portal, account.email, account.password)).status).toBe(200);
    });

    it('counts wrong codes too, and throttles the code step', async () => {
      const challenge = await startChallenge(env.portal, 'tech');
      expect((await sendCode(env.portal, challenge.challengeId)).status).toBe(200);
      const code = await readLastCodeSentTo(env.portal, account.phone);
      await addFailures(99, 1000);
      const wrong = await verify(env.portal, challenge.challengeId, otherCode(code));
      expect(wrong.status).toBe(401); // the 100th failure
      const right = await verify(env.portal, challenge.challengeId, code);
      expect(right.status).toBe(429);
      expect(right.headers['retry-after']).toBe('30');
      clock.advance(30_000);
      expect((await verify(env.portal, challenge.challengeId, code)).status).toBe(200);
    });

    it('cannot be outrun by parallel guesses: the check and the count are one step', async () => {
      await addFailures(99, 60_000);
      const answers = await Promise.all(Array.from({ length: 6 }, () => login(env.portal, account.email, 'parallel-guess')));
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([401, 429, 429, 429, 429, 429]);
      expect(await count('sign_in_failures')).toBe(100);
    });

    it('throttles an unknown e-mail exactly like a known one (the 429 tells nothing)', async () => {
      await addFailures(100, 0, { account: 'ghost@acme.test', source: '127.0.0.1' });
      const answer = await login(env.portal, 'ghost@acme.test', 'guess');
      expect(answer.status).toBe(429);
      expect(answer.headers['retry-after']).toBe('30');
      expect(answer.body).toMatchObject({ code: 'rate_limited' });
    });
  });

  describe('hostile bodies', () => {
    const huge = 'x'.repeat(10 * 1024);
    const cases: { name: string; path: string; body?: unknown; raw?: string; headers?: Record<string, string>; status: number }[] = [
      { name: 'email as a number', path: 'login', body: { email: 42, password: 'x' }, status: 400 },
      { name: 'password as an array', path: 'login', body: { email: 'admin@acme.test', password: ['acme-admin-demo'] }, status: 400 },
      { name: 'password as an object', path: 'login', body: { email: 'admin@acme.test', password: { $ne: '' } }, status: 400 },
      { name: 'null fields', path: 'login', body: { email: null, password: null }, status: 400 },
      { name: 'a 10 KB email', path: 'login', body: { email: huge, password: 'x' }, status: 400 },
      { name: 'a 10 KB password', path: 'login', body: { email: 'admin@acme.test', password: huge }, status: 400 },
      // PostgreSQL text cannot hold NUL: such an address is refused before any lookup, on both backends.
      { name: 'a NUL in the email', path: 'login', body: { email: 'admin@acme.test\u0000', password: 'acme-admin-demo' }, status: 400 },
      { name: 'an unknown field', path: 'login', body: { email: 'admin@acme.test', password: 'acme-admin-demo', admin: true }, status: 400 },
      { name: 'a __proto__ key', path: 'login', raw: '{"email":"admin@acme.test","password":"acme-admin-demo","__proto__":{"role":"admin"}}', status: 400 },
      { name: 'a constructor.prototype key', path: 'login', raw: '{"email":"admin@acme.test","password":"acme-admin-demo","constructor":{"prototype":{"x":1}}}', status: 400 },
      { name: 'a JSON array', path: 'login', body: [{ email: 'admin@acme.test', password: 'acme-admin-demo' }], status: 400 },
      { name: 'broken JSON', path: 'login', raw: '{"email":', status: 400 },
      { name: 'form encoding', path: 'login', raw: 'email=admin%40acme.test&password=acme-admin-demo', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415 },
      { name: 'a body over 1 MiB', path: 'login', body: { email: 'admin@acme.test', password: 'x'.repeat(1024 * 1024 + 10) }, status: 413 },
      { name: 'a 5-digit code', path: 'verify', body: { code: '12345' }, status: 400 },
      { name: 'a numeric code', path: 'verify', body: { code: 123456 }, status: 400 },
      { name: 'a 10 KB code', path: 'verify', body: { code: huge }, status: 400 },
      { name: 'a code with an unknown method', path: 'verify', body: { code: '123456', method: 'email' }, status: 400 },
      { name: 'a code with an unknown field', path: 'verify', body: { code: '123456', attempts: 0 }, status: 400 },
      { name: 'a send by email', path: 'send', body: { method: 'email' }, status: 400 },
      { name: 'a send with a __proto__ key', path: 'send', raw: '{"method":"sms","__proto__":{"sends":0}}', status: 400 },
      { name: 'a refresh token as a number', path: 'refresh', body: { refreshToken: 1 }, status: 400 },
      { name: 'a 10 KB refresh token', path: 'refresh', body: { refreshToken: huge }, status: 400 },
    ];

    let challenge: ChallengeBody;
    beforeAll(async () => {
      challenge = await startChallenge(env.portal, 'globex');
    });

    it.each(cases)('refuses $name with $status and a plain error body, changing nothing', async (testCase) => {
      const path = {
        login: '/api/v1/auth/login',
        send: `/api/v1/auth/challenges/${challenge.challengeId}/send`,
        verify: `/api/v1/auth/challenges/${challenge.challengeId}/verify`,
        refresh: '/api/v1/auth/refresh',
      }[testCase.path]!;
      const counts = () => Promise.all(['challenges', 'sign_in_failures', 'sms_messages', 'access_tokens'].map(count));
      const row = () => env.portal.store.get('SELECT sends, failed_attempts, state FROM challenges WHERE id = ?', challenge.challengeId);
      const before = await counts();
      const challengeBefore = await row();
      const response = await portalRequest(env.portal, 'POST', path, {
        ...(testCase.raw !== undefined ? { rawBody: testCase.raw } : { body: testCase.body }),
        ...(testCase.headers ? { headers: testCase.headers } : {}),
      });
      expect(response.status).toBe(testCase.status);
      expect(response.body).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      expect(response.text).not.toMatch(/at .*\.ts:\d+|SQLITE|stack/i);
      expect(await counts()).toEqual(before);
      expect(await row()).toEqual(challengeBefore);
      expect(Object.prototype).not.toHaveProperty('role');
    });

    it('refuses a challenge id that is not one of ours with 400, and an unknown well-formed one with 410', async () => {
      expect((await portalRequest(env.portal, 'POST', "/api/v1/auth/challenges/..%2F..%2Fme/verify", { body: { code: '123456' } })).status).toBe(400);
      const unknown = await verify(env.portal, 'A'.repeat(43), '123456');
      expect(unknown.status).toBe(410);
      expect(unknown.body).toMatchObject({ code: 'challenge_expired' });
    });
  });

  describe('OpenAPI', () => {
    it('documents every sign-in route from the shared schemas', async () => {
      const response = await env.portal.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      const document = response.json<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }>> }>();
      for (const path of ['/api/v1/auth/login', '/api/v1/auth/challenges/{id}/send', '/api/v1/auth/challenges/{id}/verify', '/api/v1/auth/refresh', '/api/v1/auth/logout']) {
        expect(document.paths[path]?.['post'], path).toBeDefined();
      }
      expect(document.paths['/api/v1/me']?.['get']).toBeDefined();
      expect(Object.keys(document.paths['/api/v1/auth/login']!['post']!.requestBody!.content['application/json']!.schema.properties!)).toEqual(['email', 'password']);
    });
  });
});
