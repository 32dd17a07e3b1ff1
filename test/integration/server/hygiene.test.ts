import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { validatePhone } from '../../../common/phone';
import { describeEachBackend } from '../../support/backends';
import { useBackendPortal } from '../../support/backend-portal';
import { TRANSPORTS, call, ifMatch, readAudit, readEmployee, type CallOptions, type CallResult, type StoredEmployee } from '../../support/employees';

// Hostile input: every request here gets a 4xx with the API's error body, leaks no internals,
// and leaves the employee exactly as it was. Both backends: a value the HTTP layer lets through
// reaches the database, and each database refuses different things (PostgreSQL: NUL characters).
const TARGET = 'acme-0090';

/** Stack frames, SQL, driver names and file paths: none may appear in an answer. */
const INTERNALS = /\bat .+:\d+:\d+|node_modules|\.ts\b|SQLITE|sqlite|postgres|PostgreSQL|SELECT |INSERT |UPDATE |DELETE FROM|\bstack\b|Error:|relation "|byte sequence/;

function expectCleanError(response: CallResult, status: number | 'any4xx') {
  if (status === 'any4xx') {
    expect(response.status, response.text.slice(0, 200)).toBeGreaterThanOrEqual(400);
    expect(response.status, response.text.slice(0, 200)).toBeLessThan(500);
  } else {
    expect(response.status, response.text.slice(0, 200)).toBe(status);
  }
  expect(String(response.headers['content-type'])).toMatch(/^application\/json/);
  expect(response.body).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  expect(response.text).not.toMatch(INTERNALS);
  expect(response.text.length).toBeLessThan(20_000);
}

const deep = (levels: number): unknown => (levels === 0 ? '+12125550190' : { a: deep(levels - 1) });

/** JSON bodies that are valid JSON but not a valid patch. */
const HOSTILE_JSON: [string, unknown][] = [
  ['an unknown field beside a good one', { cellPhone: '+12125550190', role: 'admin' }],
  ['only unknown fields', { email: 'x@evil.test' }],
  ['an empty object', {}],
  ['null', null],
  ['an array', ['+12125550190']],
  ['an array of patches', [{ cellPhone: '+12125550190' }]],
  ['a string', '+12125550190'],
  ['a number', 12125550190],
  ['true', true],
  ['cellPhone as a number', { cellPhone: 12125550190 }],
  ['cellPhone as a float', { cellPhone: 1.5e10 }],
  ['cellPhone as true', { cellPhone: true }],
  // `cellPhone: null` is no longer hostile: it removes the number (employees-remove-number.test.ts).
  ['cellPhone as an array', { cellPhone: ['+12125550190'] }],
  ['cellPhone as an object', { cellPhone: { number: '+12125550190' } }],
  ['cellPhone nested 50 deep', { cellPhone: deep(50) }],
  ['a 100 KB cellPhone', { cellPhone: '1'.repeat(100_000) }],
  ['a 100 KB field name', { ['x'.repeat(100_000)]: 1, cellPhone: '+12125550190' }],
  ['5,000 unknown fields', Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`f${i}`, i]))],
  ['a 1,000-character cellPhone', { cellPhone: '1'.repeat(1000) }],
];

/** Bodies sent byte for byte (the JSON parser must see them as written). */
const HOSTILE_RAW: [string, string][] = [
  ['__proto__ holding the field', '{"__proto__":{"cellPhone":"+12125550190"}}'],
  ['__proto__ beside the field', '{"cellPhone":"+12125550190","__proto__":{"isAdmin":true}}'],
  ['constructor.prototype', '{"constructor":{"prototype":{"cellPhone":"+12125550190"}}}'],
  ['constructor.prototype beside the field', '{"cellPhone":"+12125550190","constructor":{"prototype":{"role":"admin"}}}'],
  ['truncated JSON', '{"cellPhone":"+1212'],
  ['single quotes', "{'cellPhone':'+12125550190'}"],
  ['trailing garbage', '{"cellPhone":"+12125550190"} x'],
  ['a bare word', 'cellPhone'],
  ['NaN', '{"cellPhone":NaN}'],
  ['a lone surrogate escape', '{"cellPhone":"\\ud800"}'],
  ['an empty body', ''],
  ['whitespace only', '   \n'],
  ['a duplicated key ending in a premium-rate number', '{"cellPhone":"+12125550190","cellPhone":"+19005550100"}'],
  ['a 200,000-deep array', `${'['.repeat(200_000)}${']'.repeat(200_000)}`],
];

// shared/ lies beside the repository (in CI too), wherever the checkout is.
const phoneCases = JSON.parse(readFileSync(new URL('../../../../shared/testdata/phone-cases.json', import.meta.url), 'utf8')) as { input: unknown }[];
/** The shared hostile and invalid phone inputs, as the Acme (US) portal judges them. */
const REFUSED_PHONES = phoneCases
  .map((phoneCase) => phoneCase.input)
  // null is not a phone number to the rules, but to PATCH it means "remove the number" (a legitimate change).
  .filter((input) => input !== null && !validatePhone(input, 'US').ok);

describeEachBackend('hygiene', (backend) => {
  const logLines: string[] = [];
  const env = useBackendPortal(backend, {
    logger: {
      level: 'info',
      stream: new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString('utf8'));
          done();
        },
      }),
    },
    tokens: { admin: 'admin@acme.test' },
  });
  const { tokens } = env;

  const patchRaw = async (transport: (typeof TRANSPORTS)[number], options: CallOptions & { version?: number }) =>
    call(env.portal, transport, 'PATCH', `/api/v1/employees/${TARGET}`, {
      token: tokens.admin,
      ...options,
      headers: { 'if-match': ifMatch(options.version ?? (await readEmployee(env.portal, TARGET)).version), ...(options.headers ?? {}) },
    });

  describe.each(TRANSPORTS)('hostile bodies over %s', (transport) => {
    let before: StoredEmployee;
    let auditCount: number;
    beforeAll(async () => {
      before = await readEmployee(env.portal, TARGET);
      auditCount = (await readAudit(env.portal, TARGET)).length;
    });
    const unchanged = async () => {
      expect(await readEmployee(env.portal, TARGET)).toEqual(before);
      expect(await readAudit(env.portal, TARGET)).toHaveLength(auditCount);
    };

    it.each(HOSTILE_JSON)('%s → 4xx, unchanged', async (_name, body) => {
      const response = await patchRaw(transport, { rawBody: JSON.stringify(body) });
      expectCleanError(response, 'any4xx');
      await unchanged();
    });

    it.each(HOSTILE_RAW)('%s → 4xx, unchanged', async (_name, rawBody) => {
      const response = await patchRaw(transport, { rawBody, headers: { 'content-type': 'application/json' } });
      expectCleanError(response, 'any4xx');
      await unchanged();
    });

    it.each(REFUSED_PHONES.map((input) => [JSON.stringify(input).slice(0, 60), input]))('phone %s → 4xx, unchanged', async (_name, input) => {
      const response = await patchRaw(transport, { body: { cellPhone: input } });
      expectCleanError(response, typeof input === 'string' ? 422 : 400);
      if (typeof input === 'string') {
        const expected = validatePhone(input, 'US');
        expect(response.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'cellPhone', code: expected.ok ? '' : expected.reason }] });
      }
      await unchanged();
    });

    it('unknown fields are 400 bad_request, not silently dropped', async () => {
      const response = await patchRaw(transport, { body: { cellPhone: '+12125550190', twoFactor: { status: 'active' } } });
      expectCleanError(response, 400);
      expect(response.body).toMatchObject({ code: 'bad_request', errors: [expect.objectContaining({ code: 'unrecognized_keys' })] });
      await unchanged();
    });

    it('malformed JSON is 400 with a fixed message', async () => {
      const response = await patchRaw(transport, { rawBody: '{"cellPhone": "+1212', headers: { 'content-type': 'application/json' } });
      expectCleanError(response, 400);
      expect(response.body).toEqual({ code: 'bad_request', message: 'The request is malformed.' });
      await unchanged();
    });

    it('a body over 1 MiB is 413', async () => {
      const huge = JSON.stringify({ cellPhone: '+12125550190', padding: 'x'.repeat(1024 * 1024) });
      const response = await patchRaw(transport, { rawBody: huge });
      expectCleanError(response, 413);
      expect(response.body).toMatchObject({ code: 'payload_too_large' });
      await unchanged();
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/merge-patch+json'])(
      'content type %s is 415',
      async (contentType) => {
        const response = await patchRaw(transport, { rawBody: '{"cellPhone":"+12125550190"}', headers: { 'content-type': contentType } });
        expectCleanError(response, 415);
        expect(response.body).toMatchObject({ code: 'unsupported_media_type' });
        await unchanged();
      },
    );

    it('hostile headers: a 10 KB If-Match is 412, a 10 KB Idempotency-Key is 400', async () => {
      expectCleanError(await patchRaw(transport, { body: { cellPhone: '+12125550190' }, headers: { 'if-match': `"${'9'.repeat(10_000)}"` } }), 412);
      expectCleanError(await patchRaw(transport, { body: { cellPhone: '+12125550190' }, headers: { 'idempotency-key': 'k'.repeat(10_000) } }), 400);
      await unchanged();
    });

    it('hostile paths and queries are 4xx JSON answers', async () => {
      for (const path of [
        '/api/v1/employees/..%2F..%2Fetc%2Fpasswd',
        `/api/v1/employees/${'a'.repeat(5000)}`,
        "/api/v1/employees/acme-0001'%20OR%201=1--",
        '/api/v1/employees?limit=1e309',
        '/api/v1/employees?sort=name;DROP%20TABLE%20employees',
        '/api/v1/employees?q=' + 'x'.repeat(5000),
        '/api/v1/employees?__proto__[limit]=5',
        '/api/v1/employees?constructor[prototype][x]=1',
        // NUL characters: SQLite stores them, PostgreSQL text cannot hold them.
        '/api/v1/employees?q=ab%00cd',
        '/api/v1/employees/acme-00%0090',
        `/api/v1/employees?sort=name&cursor=${Buffer.from(JSON.stringify({ s: 'name', o: 'asc', k: ['a\u0000', 'b', 'c'] })).toString('base64url')}`,
        `/api/v1/audit?employeeId=acme-00%0090`,
        '/api/v1/nowhere',
      ]) {
        const response = await call(env.portal, transport, 'GET', path, { token: tokens.admin });
        expect(response.status, path).toBeLessThan(500);
        expectCleanError(response, 'any4xx');
      }
      expectCleanError(await call(env.portal, transport, 'POST', `/api/v1/employees/${TARGET}`, { token: tokens.admin, body: { cellPhone: '+12125550190' } }), 404);
      expectCleanError(await call(env.portal, transport, 'PUT', `/api/v1/employees/${TARGET}`, { token: tokens.admin, body: { cellPhone: '+12125550190' } }), 404);
      await unchanged();
    });

    it('after all that, a well-formed change still works', async () => {
      const response = await patchRaw(transport, { body: { cellPhone: transport === 'inject' ? '+12125550190' : '+12125550191' } });
      expect(response.status).toBe(200);
      before = await readEmployee(env.portal, TARGET);
      auditCount++;
      await unchanged();
    });
  });

  describe('logs', () => {
    it('never carry the bearer token, the request body or a full phone number', async () => {
      await patchRaw('https', { body: { cellPhone: '+12125550192' }, headers: { 'idempotency-key': '6f1c1f3e-5b55-4f7c-9a35-2d3f4c1b8e21' } });
      await patchRaw('inject', { rawBody: '{"cellPhone":"+1212', headers: { 'content-type': 'application/json' } });
      await call(env.portal, 'https', 'GET', '/api/v1/employees/acme-0001', { token: tokens.admin });
      expect(logLines.length).toBeGreaterThan(0);
      const all = logLines.join('');
      expect(all).not.toContain(tokens.admin);
      expect(all).not.toContain('12125550192');
      expect(all).not.toContain('12125550142');
      expect(all).not.toContain('6f1c1f3e-5b55-4f7c-9a35-2d3f4c1b8e21');
    });
  });
});
