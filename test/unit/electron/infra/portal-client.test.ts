import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { IpcFailure } from '../../../../common/ipc';
import { createPortalClient, type PortalClient, type TokenSource } from '../../../../electron/main/infra/portal-client';
import { failureFromResponse, failureFromTransportError, retryAfterSeconds } from '../../../../electron/main/infra/portal-errors';
import { makeCertificate, startHttpsServer, type TestCertificate, type TestHttpsServer } from '../support/tls';
import { sampleEmployee } from '../support/fixtures';

const EMPLOYEE = sampleEmployee();
const STALE_TOKEN = 'stale-access-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const FRESH_TOKEN = 'fresh-access-token-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const seenAuthorization: string[] = [];
function route(request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? '/', 'https://x').pathname.replace(/^\/api\/v1/, '');
  const status = /^\/status\/(\d{3})$/.exec(path);
  if (path === '/ok') return send(response, 200, { status: 'ok', extra: 'stripped' });
  if (path === '/slow') return; // never answers
  if (path === '/hangup') {
    request.socket.destroy();
    return;
  }
  if (path === '/not-json') {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<html>proxy login</html>');
    return;
  }
  if (path === '/protected') {
    seenAuthorization.push(request.headers.authorization ?? '');
    if (request.headers.authorization === `Bearer ${FRESH_TOKEN}`) return send(response, 200, { status: 'ok' });
    return send(response, 401, { code: 'unauthenticated', message: 'Sign in first.' });
  }
  if (path === '/sudo') return send(response, 401, { code: 'step_up_required', message: 'Confirm it is you.' });
  if (path === '/redirect') {
    response.writeHead(302, { location: 'https://evil.example/steal' });
    response.end();
    return;
  }
  if (status) {
    const code = Number(status[1]);
    const bodies: Record<number, unknown> = {
      400: { code: 'bad_request', message: 'bad' },
      401: { code: 'unauthenticated', message: 'no' },
      403: { code: 'forbidden', message: 'no' },
      404: { code: 'not_found', message: 'no' },
      409: { code: 'in_progress', message: 'busy' },
      410: { code: 'challenge_expired', message: 'gone' },
      412: { code: 'precondition_failed', message: 'stale', current: EMPLOYEE },
      422: { code: 'validation_failed', message: 'no', errors: [{ field: 'cellPhone', code: 'invalid', message: 'Not a phone number.' }] },
      429: { code: 'rate_limited', message: 'slow down', retryAfter: 7 },
      500: { code: 'server_error', message: 'boom at /var/lib/portal/db.sqlite' },
      502: '<html>bad gateway</html>',
    };
    return send(response, code, bodies[code] ?? { code: 'server_error', message: 'x' }, code === 429 ? { 'retry-after': '7' } : {});
  }
  send(response, 404, { code: 'not_found', message: 'No such resource.' });
}

let certificate: TestCertificate;
let wrongHost: TestCertificate;
let expired: TestCertificate;
let portal: TestHttpsServer;
let wrongHostPortal: TestHttpsServer;
let expiredPortal: TestHttpsServer;
let silentTcp: TcpServer;
let silentPort: number;
let closedPort: number;
const silentSockets = new Set<Socket>();

beforeAll(async () => {
  [certificate, wrongHost, expired] = await Promise.all([
    makeCertificate({ names: ['localhost', '127.0.0.1'] }),
    makeCertificate({ names: ['portal.wrong.example'] }),
    makeCertificate({ names: ['127.0.0.1'], notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) }),
  ]);
  [portal, wrongHostPortal, expiredPortal] = await Promise.all([
    startHttpsServer(certificate, route),
    startHttpsServer(wrongHost, route),
    startHttpsServer(expired, route),
  ]);
  // Accepts TCP and never starts TLS: the connect-phase timeout must fire.
  silentTcp = createTcpServer((socket) => {
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
  });
  await new Promise<void>((resolve) => silentTcp.listen(0, '127.0.0.1', resolve));
  silentPort = (silentTcp.address() as AddressInfo).port;
  const closing = createTcpServer();
  await new Promise<void>((resolve) => closing.listen(0, '127.0.0.1', resolve));
  closedPort = (closing.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closing.close(() => resolve()));
}, 60_000);

afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  await Promise.all([portal.close(), wrongHostPortal.close(), expiredPortal.close(), new Promise<void>((resolve) => silentTcp.close(() => resolve()))]);
});

const okSchema = z.object({ status: z.literal('ok') });
const clients: PortalClient[] = [];
function client(url: string, extra: Partial<Parameters<typeof createPortalClient>[0]> = {}, trust: { caPems?: string[]; certificatePin?: string } = { caPems: [certificate.cert] }): PortalClient {
  const made = createPortalClient({ endpoint: { url, ...trust }, connectTimeoutMs: 500, requestTimeoutMs: 800, ...extra });
  clients.push(made);
  return made;
}
afterAll(() => {
  for (const made of clients) made.dispose();
});

/** Runs a request that must fail; returns the failure after checking it is a plain contract error. */
async function failureOf(promise: Promise<unknown>): Promise<IpcFailure> {
  const error: unknown = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(IpcFailure);
  const failure = error as IpcFailure;
  // Nothing of the transport crosses: no config, request, response, headers or cause.
  for (const key of ['config', 'request', 'response', 'headers', 'cause', 'isAxiosError', 'toJSON']) expect(Object.hasOwn(failure, key)).toBe(false);
  const crossing = JSON.stringify(failure.toError());
  expect(crossing).not.toMatch(/Bearer|authorization|STALE|stale-access|fresh-access|\/var\/lib/i);
  expect(Object.keys(failure.toError()).every((key) => ['code', 'message', 'fields', 'retryAfterSeconds', 'attemptsLeft', 'current'].includes(key))).toBe(true);
  return failure;
}

describe('portal client: answers', () => {
  it('parses a 2xx answer with the schema (unknown keys stripped)', async () => {
    await expect(client(portal.url).request({ method: 'GET', path: '/ok', authenticated: false, schema: okSchema })).resolves.toEqual({ status: 'ok' });
  });

  it('keeps TLS verification with the portal certificate as an extra CA, and the leaf pin on top', async () => {
    const pinned = client(portal.url, {}, { caPems: [certificate.cert], certificatePin: certificate.pin });
    await expect(pinned.request({ method: 'GET', path: '/ok', authenticated: false, schema: okSchema })).resolves.toEqual({ status: 'ok' });
  });

  it('maps an answer that does not match its schema to server', async () => {
    const failure = await failureOf(client(portal.url).request({ method: 'GET', path: '/not-json', authenticated: false, schema: okSchema }));
    expect(failure.code).toBe('server');
  });

  it('does not follow redirects (a token must not travel to another host)', async () => {
    const failure = await failureOf(client(portal.url).request({ method: 'GET', path: '/redirect', authenticated: false, schema: okSchema }));
    expect(failure.code).toBe('server');
  });

  it.each([
    [400, 'server'],
    [401, 'unauthenticated'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'server'],
    [410, 'challenge_expired'],
    [412, 'conflict'],
    [422, 'validation'],
    [429, 'rate_limited'],
    [500, 'server'],
    [502, 'server'],
  ] as const)('maps HTTP %i to %s', async (status, code) => {
    const failure = await failureOf(client(portal.url).request({ method: 'GET', path: `/status/${status}`, authenticated: false, schema: okSchema }));
    expect(failure.code).toBe(code);
    if (status === 412) expect(failure.extra.current).toEqual(EMPLOYEE);
    if (status === 422) expect(failure.extra.fields).toEqual([{ field: 'cellPhone', code: 'invalid', message: 'Not a phone number.' }]);
    if (status === 429) expect(failure.extra.retryAfterSeconds).toBe(7);
  });
});

describe('portal errors: Retry-After on server errors', () => {
  it('a 503 with Retry-After carries the wait (sync never retries sooner); without the header, none', () => {
    expect(failureFromResponse(503, { 'retry-after': '42' }, { code: 'server_error', message: 'busy' }).extra.retryAfterSeconds).toBe(42);
    expect(failureFromResponse(503, { 'retry-after': new Date(Date.now() + 90_000).toUTCString() }, null).extra.retryAfterSeconds).toBeGreaterThanOrEqual(89);
    expect(failureFromResponse(500, {}, null).extra.retryAfterSeconds).toBeUndefined();
    expect(failureFromResponse(503, { 'retry-after': '5' }, null).code).toBe('server');
  });
});

describe('portal client: transport failures', () => {
  it('ECONNREFUSED → offline, and tells the connection service', async () => {
    const reports: boolean[] = [];
    const failure = await failureOf(
      client(`https://127.0.0.1:${closedPort}`, { onReachability: (isReachable) => reports.push(isReachable) }).request({ method: 'GET', path: '/ok', authenticated: false, schema: okSchema }),
    );
    expect(failure.code).toBe('offline');
    expect(reports).toEqual([false]);
  });

  it('an unresolvable host → offline', async () => {
    const failure = await failureOf(client('https://portal.invalid').request({ method: 'GET', path: '/ok', authenticated: false, schema: okSchema }));
    expect(failure.code).toBe('offline');
  });

  it('socket hang up → offline', async () => {
    const failure = await failureOf(client(portal.url).request({ method: 'GET', path: '/hangup', authenticated: false, schema: okSchema }));
    expect(failure.code).toBe('offline');
  });

  it('no answer within the request timeout → timeout', async () => {
    const failure = await failureOf(client(portal.url).request({ method: 'GET', path: '/slow', authenticated: false, schema: okSchema }));
    expect(failure.code).toBe('timeout');
  });

  it('no TLS handshake within the connect timeout → timeout', async () => {
    const failure = await failureOf(
      client(`https://127.0.0.1:${silentPort}`, { connectTimeoutMs: 300, requestTimeoutMs: 5_000 }).request({ method: 'GET', path: '/ok', authenticated: false, schema: okSchema }),
    );
    expect(failure.code).toBe('timeout');
  });

  it('a self-signed certificate that is not trusted → tls_untrusted (verification is never switched off)', async () => {
    const failure = await failureOf(client(portal.url, {}, {}).request({ method: 'GET', path: '/ok', authenticated: false, schema: okSchema }));
    expect(failure.code).toBe('tls_untrusted');
  });

  it("another portal's certificate as the extra CA does not make this portal's acceptable (one shared secure context)", async () => {
    const trusting = client(portal.url, {}, { caPems: [wrongHost.cert] });
    for (let attempt = 0; attempt < 2; attempt++) {
      const failure = await failureOf(trusting.request({ method: 'GET', path: '/ok', authenticated: false, schema: okSchema }));
      expect(failure.code).toBe('tls_untrusted');
    }
  });

  it('a pin alone does not make an untrusted certificate acceptable', async () => {
    const failure = await failureOf(client(portal.url, {}, { certificatePin: certificate.pin }).request({ method: 'GET', path: '/ok', authenticated: false, schema: okSchema }));
    expect(failure.code).toBe('tls_untrusted');
  });

  it('a trusted certificate for another host name → tls_untrusted', async () => {
    const failure = await failureOf(
      client(wrongHostPortal.url, {}, { caPems: [wrongHost.cert] }).request({ method: 'GET', path: '/ok', authenticated: false, schema: okSchema }),
    );
    expect(failure.code).toBe('tls_untrusted');
  });

  it('a pin that does not match the certificate → tls_untrusted', async () => {
    const failure = await failureOf(
      client(portal.url, {}, { caPems: [certificate.cert], certificatePin: '0'.repeat(64) }).request({ method: 'GET', path: '/ok', authenticated: false, schema: okSchema }),
    );
    expect(failure.code).toBe('tls_untrusted');
  });

  it('an expired certificate → tls_untrusted', async () => {
    const failure = await failureOf(client(expiredPortal.url, {}, { caPems: [expired.cert] }).request({ method: 'GET', path: '/ok', authenticated: false, schema: okSchema }));
    expect(failure.code).toBe('tls_untrusted');
  });

  it('refuses plain http', () => {
    expect(() => createPortalClient({ endpoint: { url: 'http://127.0.0.1:1' } })).toThrow(IpcFailure);
  });
});

describe('portal client: tokens', () => {
  function tokenSource(refreshTo: string | null): TokenSource & { token: string; refreshes: number; activity: number; ended: number } {
    const source = {
      token: STALE_TOKEN,
      refreshes: 0,
      activity: 0,
      ended: 0,
      accessToken: () => source.token,
      async refreshAfterRejection(rejected: string) {
        source.refreshes++;
        if (rejected !== source.token) return true;
        if (refreshTo === null) return false;
        source.token = refreshTo;
        return true;
      },
      onActivity: () => {
        source.activity++;
      },
      onUnauthenticated: () => {
        source.ended++;
      },
    };
    return source;
  }

  it('attaches the access token, refreshes once on 401 and retries', async () => {
    const tokens = tokenSource(FRESH_TOKEN);
    seenAuthorization.length = 0;
    await expect(client(portal.url, { tokens }).request({ method: 'GET', path: '/protected', schema: okSchema })).resolves.toEqual({ status: 'ok' });
    expect(seenAuthorization).toEqual([`Bearer ${STALE_TOKEN}`, `Bearer ${FRESH_TOKEN}`]);
    expect(tokens.refreshes).toBe(1);
    expect(tokens.activity).toBe(1);
  });

  it('after a refused refresh: unauthenticated, and the session is told', async () => {
    const tokens = tokenSource(null);
    const failure = await failureOf(client(portal.url, { tokens }).request({ method: 'GET', path: '/protected', schema: okSchema }));
    expect(failure.code).toBe('unauthenticated');
    expect(tokens.ended).toBe(1);
    expect(tokens.activity).toBe(0);
  });

  it('a 401 step_up_required is about the change, not the session: no refresh, no sign-out', async () => {
    const tokens = tokenSource(FRESH_TOKEN);
    const failure = await failureOf(client(portal.url, { tokens }).request({ method: 'PATCH', path: '/sudo', body: {}, schema: okSchema }));
    expect(failure.code).toBe('step_up_required');
    expect(tokens.refreshes).toBe(0);
    expect(tokens.ended).toBe(0);
  });

  it('never refreshes more than once per call', async () => {
    const tokens = tokenSource('another-token-that-the-portal-refuses-xxxxxxxxxx');
    const failure = await failureOf(client(portal.url, { tokens }).request({ method: 'GET', path: '/protected', schema: okSchema }));
    expect(failure.code).toBe('unauthenticated');
    expect(tokens.refreshes).toBe(1);
  });

  it('sends no token on unauthenticated calls', async () => {
    const tokens = tokenSource(FRESH_TOKEN);
    seenAuthorization.length = 0;
    await failureOf(client(portal.url, { tokens }).request({ method: 'GET', path: '/protected', authenticated: false, schema: okSchema }));
    expect(seenAuthorization).toEqual(['']);
    expect(tokens.refreshes).toBe(0);
  });
});

describe('portal errors: mapping helpers', () => {
  it.each([
    ['ECONNREFUSED', 'offline'],
    ['ENOTFOUND', 'offline'],
    ['EAI_AGAIN', 'offline'],
    ['ECONNRESET', 'offline'],
    ['ETIMEDOUT', 'timeout'],
    ['ECONNABORTED', 'timeout'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls_untrusted'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls_untrusted'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls_untrusted'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls_untrusted'],
    ['CERT_HAS_EXPIRED', 'tls_untrusted'],
    ['ERR_CERT_PIN_MISMATCH', 'tls_untrusted'],
    ['ERR_SOMETHING_ELSE', 'server'],
  ])('%s → %s (also when nested in cause)', (code, expected) => {
    expect(failureFromTransportError(Object.assign(new Error('x'), { code })).code).toBe(expected);
    const wrapped = Object.assign(new Error('wrapped'), { code: 'ERR_BAD_REQUEST', config: { headers: { Authorization: 'Bearer secret' } } });
    Object.defineProperty(wrapped, 'cause', { value: Object.assign(new Error('inner'), { code }) });
    expect(failureFromTransportError(wrapped).code).toBe(expected === 'server' ? 'server' : expected);
  });

  it('socket hang up without a code → offline', () => {
    expect(failureFromTransportError(new Error('socket hang up')).code).toBe('offline');
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterSeconds('12', null)).toBe(12);
    expect(retryAfterSeconds(new Date(Date.now() + 30_000).toUTCString(), null)).toBeGreaterThanOrEqual(29);
    expect(retryAfterSeconds(undefined, { code: 'rate_limited', message: 'x', retryAfter: 4 })).toBe(4);
    expect(retryAfterSeconds('nonsense', null)).toBe(1);
  });

  it('drops a conflict body that is not an employee', () => {
    const failure = failureFromResponse(412, {}, { code: 'precondition_failed', message: 'x', current: { evil: true } });
    expect(failure.code).toBe('conflict');
    expect(failure.extra.current).toBeUndefined();
  });

  it('invalid_code carries attempts left; invalid_credentials stays itself', () => {
    expect(failureFromResponse(401, {}, { code: 'invalid_code', message: 'x', attemptsLeft: 3 }).extra.attemptsLeft).toBe(3);
    expect(failureFromResponse(401, {}, { code: 'invalid_credentials', message: 'x' }).code).toBe('invalid_credentials');
  });
});
