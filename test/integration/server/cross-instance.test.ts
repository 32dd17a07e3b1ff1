import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApiError, Employee } from '../../../common/api';
import { FAILURE_LIMIT } from '../../../server/auth/rate-limit';
import { issueTokenPair } from '../../../server/auth/tokens';
import { startPortal, type RunningPortal } from '../../../server/server';
import { describeEachBackend, freshPostgresDatabase } from '../../support/backends';
import { portalRequest } from '../../support/portal';
import { ACCOUNTS, totpCode } from './auth-helpers';

/**
 * Two portal instances on one PostgreSQL database behave as one portal: every shared state (versions,
 * idempotency keys, codes, TOTP steps, throttles, refresh families) lives in the database, none in a process.
 */
describeEachBackend('two instances on one database', () => {
  let directory: string;
  let a: RunningPortal;
  let b: RunningPortal;
  let token: string;
  const adminId = 'acme-0001';

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'portal-two-'));
    const database = await freshPostgresDatabase();
    // Every instance needs the same data key: codes and TOTP secrets are keyed with it.
    const dataKeyFile = join(directory, 'shared.datakey');
    const common = { port: 0, seed: 'demo', sms: { kind: 'demo' as const }, database, dataKeyFile, print: () => {} };
    a = await startPortal({ ...common, dbFile: join(directory, 'a') });
    b = await startPortal({ ...common, dbFile: join(directory, 'b') });
    token = (await issueTokenPair(a.store, adminId, new Date())).accessToken;
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const employee = async (portal: RunningPortal, id: string) => {
    const response = await portalRequest(portal, 'GET', `/api/v1/employees/${id}`, { token });
    expect(response.status, response.text).toBe(200);
    return response.body as Employee;
  };
  const patch = (portal: RunningPortal, id: string, version: number, cellPhone: string, headers: Record<string, string> = {}) =>
    portalRequest(portal, 'PATCH', `/api/v1/employees/${id}`, { token, body: { cellPhone }, headers: { 'if-match': `"${version}"`, ...headers } });

  it('50 writers with one If-Match, split across the instances: exactly one 200 and 49 × 412', async () => {
    const before = await employee(a, 'acme-0100');
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) => patch(index % 2 === 0 ? a : b, 'acme-0100', before.version, `+1212555${String(1000 + index).padStart(4, '0')}`)),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(49);
    const after = await employee(b, 'acme-0100');
    expect(after.version).toBe(before.version + 1);
    const winner = responses.find((response) => response.status === 200)!.body as Employee;
    expect(after.cellPhone).toBe(winner.cellPhone);
  });

  it('an Idempotency-Key retried on the other instance gets the stored answer, and changes nothing twice', async () => {
    const before = await employee(a, 'acme-0101');
    const key = randomUUID();
    const first = await patch(a, 'acme-0101', before.version, '+12125550199', { 'idempotency-key': key });
    expect(first.status, first.text).toBe(200);
    const retried = await patch(b, 'acme-0101', before.version, '+12125550199', { 'idempotency-key': key });
    expect(retried.status).toBe(200);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.body).toEqual(first.body);
    expect((await employee(b, 'acme-0101')).version).toBe(before.version + 1);
  });

  it('one Idempotency-Key sent to both instances at once: one change, every answer the stored one (no 409 in_progress)', async () => {
    const before = await employee(a, 'acme-0102');
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) => patch(index % 2 === 0 ? a : b, 'acme-0102', before.version, '+12125550198', { 'idempotency-key': key })),
    );
    expect(responses.map((response) => `${response.status} ${response.text}`).filter((line) => !line.startsWith('200 '))).toEqual([]);
    expect(new Set(responses.map((response) => response.text)).size).toBe(1);
    expect(responses.filter((response) => response.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect((await employee(b, 'acme-0102')).version).toBe(before.version + 1);
    // A retry after the first request finished, on either instance, gets the same stored answer.
    const late = await patch(b, 'acme-0102', before.version, '+12125550198', { 'idempotency-key': key });
    expect(late.status).toBe(200);
    expect(late.text).toBe(responses[0]!.text);
  });

  it('a sign-in code used on one instance is refused on the other', async () => {
    const login = await portalRequest(a, 'POST', '/api/v1/auth/login', { body: { email: 'admin@acme.test', password: 'acme-admin-demo' } });
    expect(login.status, login.text).toBe(200);
    const { challengeId } = login.body as { challengeId: string };
    const sent = await portalRequest(b, 'POST', `/api/v1/auth/challenges/${challengeId}/send`, { body: { method: 'sms' } });
    expect(sent.status, sent.text).toBe(200);
    const message = (await a.app.demoSms!.recent(1))[0]!;
    const code = /\b(\d{6})\b/.exec(message.text)![1]!;
    const used = await portalRequest(a, 'POST', `/api/v1/auth/challenges/${challengeId}/verify`, { body: { code } });
    expect(used.status, used.text).toBe(200);
    const replayed = await portalRequest(b, 'POST', `/api/v1/auth/challenges/${challengeId}/verify`, { body: { code } });
    expect(replayed.status).toBe(410);
    expect((replayed.body as ApiError).code).toBe('challenge_expired');
  });

  it('an authenticator code used on one instance is refused on the other (TOTP steps are shared)', async () => {
    const challengeOn = async (portal: RunningPortal) => {
      const login = await portalRequest(portal, 'POST', '/api/v1/auth/login', { body: { email: ACCOUNTS.totp.email, password: ACCOUNTS.totp.password } });
      expect(login.status, login.text).toBe(200);
      return (login.body as { challengeId: string }).challengeId;
    };
    const code = totpCode(new Date());
    const first = await challengeOn(a);
    const used = await portalRequest(a, 'POST', `/api/v1/auth/challenges/${first}/verify`, { body: { code, method: 'totp' } });
    expect(used.status, used.text).toBe(200);
    const second = await challengeOn(b);
    const replayed = await portalRequest(b, 'POST', `/api/v1/auth/challenges/${second}/verify`, { body: { code, method: 'totp' } });
    expect(replayed.status).toBe(401);
    expect(replayed.body).toMatchObject({ code: 'invalid_code' });
  });

  it('password failures count across the instances', async () => {
    const email = `guess-${randomUUID()}@acme.test`;
    const source = '127.0.0.1';
    const at = new Date().toISOString();
    // All but two of the failures before the limit, then one wrong password on each instance.
    await a.store.transaction(async (tx) => {
      for (let index = 0; index < FAILURE_LIMIT - 2; index++) {
        await tx.run("INSERT INTO sign_in_failures (account, source, kind, at) VALUES (?, ?, 'password', ?)", email, source, at);
      }
    });
    const wrong = (portal: RunningPortal) => portalRequest(portal, 'POST', '/api/v1/auth/login', { body: { email, password: 'not-the-password' } });
    expect((await wrong(a)).status).toBe(401);
    expect((await wrong(b)).status).toBe(401);
    // The limit is reached only if each instance counted the other's failure.
    const limited = await wrong(a);
    expect(limited.status).toBe(429);
    expect((limited.body as ApiError).code).toBe('rate_limited');
  });

  it('a refresh token reused on the other instance ends the whole session', async () => {
    const pair = await issueTokenPair(a.store, adminId, new Date());
    const rotated = await portalRequest(a, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: pair.refreshToken } });
    expect(rotated.status, rotated.text).toBe(200);
    const next = rotated.body as { accessToken: string; refreshToken: string };
    const reused = await portalRequest(b, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: pair.refreshToken } });
    expect(reused.status).toBe(401);
    // Reuse revoked the family: the token the honest client got is dead on both instances.
    expect((await portalRequest(a, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: next.refreshToken } })).status).toBe(401);
    expect((await portalRequest(b, 'GET', '/api/v1/me', { token: next.accessToken })).status).toBe(401);
  });
}, ['postgres']);
