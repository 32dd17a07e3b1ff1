import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/clock';
import { loggableUrl, portalLogRedact, portalLogSerializers, serializeRequest } from '../../../server/http/log-serializers';
import { portalRequest, startTestPortal, type TestPortal } from '../../support/portal';
import { ACCOUNTS, ensureAccounts, lastCodeSentTo, login, otherCode, phoneOf, sendCode, verify, type ChallengeBody, type TokenBody } from './auth-helpers';

// SQLite only: what Fastify's logger and the portal's serializers write; the store logs nothing of its
// own, so the backend does not change it (PostgreSQL's errors reach answers as 500s: hygiene.test.ts).
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
    logger: { level: 'trace', stream, serializers: portalLogSerializers, redact: portalLogRedact },
  });
  await ensureAccounts(portal);
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

it('logs no challenge id and no query string: the path is logged with :id, the search terms not at all', async () => {
  const from = lines.length;
  const { email, password } = ACCOUNTS.admin;
  const challenge = (await login(portal, email, password)).body as ChallengeBody;
  expect((await sendCode(portal, challenge.challengeId)).status).toBe(200);
  const code = lastCodeSentTo(portal, phoneOf(portal, email));
  const tokens = (await verify(portal, challenge.challengeId, code)).body as TokenBody;
  // Phone digits as a search, and a challenge id on a path no route matches (the 404 is logged too).
  const search = '2125550142';
  const found = await portalRequest(portal, 'GET', `/api/v1/employees?q=${search}&limit=5`, { token: tokens.accessToken });
  expect(found.status, found.text).toBe(200);
  expect((await portalRequest(portal, 'GET', `/api/v1/auth/challenges/${challenge.challengeId}?q=${search}`)).status).toBe(404);

  const written = lines.slice(from);
  const log = written.join('');
  expect(log).not.toContain(challenge.challengeId);
  expect(log).not.toContain('q=');
  expect(log).not.toContain(search);
  // The requests were logged, by method and cleaned path only.
  const requests = written.map((line) => JSON.parse(line) as { req?: Record<string, unknown> }).flatMap((entry) => (entry.req ? [entry.req] : []));
  expect(requests).toEqual([
    { method: 'POST', url: '/api/v1/auth/login' },
    { method: 'POST', url: '/api/v1/auth/challenges/:id/send' },
    { method: 'POST', url: '/api/v1/auth/challenges/:id/verify' },
    { method: 'GET', url: '/api/v1/employees' },
    { method: 'GET', url: '/api/v1/auth/challenges/:id' },
  ]);
});

describe('loggableUrl', () => {
  it.each([
    ['/api/v1/auth/challenges/abc_DEF-123/verify', '/api/v1/auth/challenges/:id/verify'],
    ['/api/v1/auth/challenges/abc/send?x=1', '/api/v1/auth/challenges/:id/send'],
    ['/api/v1/auth/challenges/abc', '/api/v1/auth/challenges/:id'],
    ['/api/v1/auth/challenges/abc/', '/api/v1/auth/challenges/:id/'],
    ['/api/v1/AUTH/Challenges/abc/verify', '/api/v1/AUTH/Challenges/:id/verify'],
    ['/api/v1/auth/challenges/..%2F..%2Fme/verify', '/api/v1/auth/challenges/:id/verify'],
    ['/api/v1/employees?q=555-0142&limit=5', '/api/v1/employees'],
    ['/api/v1/employees#q=555', '/api/v1/employees'],
    ['/api/v1/employees/emp-1', '/api/v1/employees/emp-1'],
  ])('%s → %s', (url, expected) => {
    expect(loggableUrl(url)).toBe(expected);
  });

  it('keeps only the method and the cleaned URL of a request', () => {
    const request = { method: 'POST', url: '/api/v1/auth/challenges/abc/verify?code=123456', headers: { authorization: 'Bearer t' }, ip: '127.0.0.1' };
    expect(serializeRequest(request)).toEqual({ method: 'POST', url: '/api/v1/auth/challenges/:id/verify' });
  });
});
