import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../../server/clock';
import { portalRequest, startTestPortal, type TestPortal } from '../../support/portal';
import { ACCOUNTS, ensureAccounts, lastCodeSentTo, login, otherCode, phoneOf, sendCode, verify, type ChallengeBody, type TokenBody } from './auth-helpers';

const lines: string[] = [];
let portal: TestPortal;

beforeAll(async () => {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  // The CLI's logger settings (server/cli.ts), at the most talkative level.
  portal = await startTestPortal({
    clock: new ManualClock(),
    logger: { level: 'trace', stream, redact: { paths: ['req.headers.authorization'], censor: '[redacted]' } },
  });
  ensureAccounts(portal);
});
afterAll(async () => {
  await portal.close();
});

it('logs no password, code or token during a whole sign-in, refresh and sign-out', async () => {
  const { email, password } = ACCOUNTS.admin;
  expect((await login(portal, email, 'a-wrong-password-to-log')).status).toBe(401);
  const challenge = (await login(portal, email, password)).body as ChallengeBody;
  await sendCode(portal, challenge.challengeId);
  const code = lastCodeSentTo(portal, phoneOf(portal, email));
  expect((await verify(portal, challenge.challengeId, otherCode(code))).status).toBe(401);
  const tokens = (await verify(portal, challenge.challengeId, code)).body as TokenBody;
  const renewed = (await portalRequest(portal, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } })).body as TokenBody;
  expect((await portalRequest(portal, 'GET', '/api/v1/me', { token: renewed.accessToken })).status).toBe(200);
  expect((await portalRequest(portal, 'POST', '/api/v1/auth/logout', { token: renewed.accessToken })).status).toBe(204);

  const log = lines.join('');
  expect(log).toContain('/api/v1/auth/login'); // the logger did record the requests
  for (const secret of [password, 'a-wrong-password-to-log', tokens.accessToken, tokens.refreshToken, renewed.accessToken, renewed.refreshToken]) {
    expect(log).not.toContain(secret);
  }
  // A code as a number of its own (response times and ids are digit runs too, just not these).
  for (const digits of [code, otherCode(code)]) expect(log).not.toMatch(new RegExp(`(?<![0-9])${digits}(?![0-9])`));
});
