import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { verify as verifySignature, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get, request } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleChildProgram, type BundledChild } from '../../support/bundled-child';

// SQLite only: flags, TLS and signals of the `npm run portal` process. The same entry point with
// `--db postgres://…` runs in cross-instance-kill.test.ts (two processes, one SIGKILLed).
const directory = mkdtempSync(join(tmpdir(), 'portal-cli-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** The portal processes a test started and that still run; killed after it, even when it failed or timed out. */
const running = new Set<ChildProcessWithoutNullStreams>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

/**
 * `server/cli.ts` bundled once (bundled-child.ts): each start then costs about a third of a start
 * through tsx. The first test starts the entry point through tsx, as `npm run portal` does.
 */
let bundled: BundledChild | undefined;
beforeAll(() => {
  bundled = bundleChildProgram('server/cli.ts');
});
afterAll(() => bundled?.remove());

/** `server/cli.ts` with `args`, as `npm run portal -- args` runs it (through tsx with `throughTsx`, else its bundle). */
function spawnCli(args: string[], { throughTsx = false } = {}): ChildProcessWithoutNullStreams {
  const entry = throughTsx ? ['--import', 'tsx', 'server/cli.ts'] : [bundled!.path];
  const child = spawn(process.execPath, [...entry, ...args], { cwd: process.cwd() });
  running.add(child);
  child.on('exit', () => running.delete(child));
  return child;
}

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  certPath: string;
  fingerprint: string;
  output: () => string;
}

/** Runs `npm run portal`'s entry point as users do, and waits for its three announcement lines. */
function startCli(args: string[], options: { throughTsx?: boolean } = {}): Promise<Started> {
  const child = spawnCli(args, options);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`portal did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Portal API listening on (https:\/\/\S+)/.exec(output)?.[1];
      const certPath = /Certificate: (\S+)/.exec(output)?.[1];
      const fingerprint = /SHA-256 fingerprint: ([0-9A-F:]{95})/.exec(output)?.[1];
      if (url && certPath && fingerprint) {
        clearTimeout(timer);
        resolve({ child, url, certPath, fingerprint, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`portal exited with ${code}:\n${output}`));
    });
  });
}

function healthOver(url: string, ca: string, servername?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(`${url}/api/v1/health`, { ca, ...(servername ? { servername } : {}) }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** One JSON request over verified TLS. */
function requestOver(url: string, ca: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${url}${path}`, { method, ca, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined }));
    });
    outgoing.on('error', reject);
    outgoing.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** One DER element: its tag, and where its contents start and end. */
function derElement(der: Buffer, offset: number): { tag: number; start: number; end: number } {
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    length = 0;
    for (let index = 0; index < bytes; index++) length = length * 256 + der[start + index]!;
    start += bytes;
  }
  return { tag, start, end: start + length };
}

/**
 * Node 20's X509Certificate has no signatureAlgorithm, so the certificate's DER is read directly:
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signature BIT STRING }.
 */
function signatureParts(certificate: X509Certificate): { tbs: Buffer; algorithmOid: Buffer; signature: Buffer } {
  const der = certificate.raw;
  const outer = derElement(der, 0);
  const tbs = derElement(der, outer.start);
  const algorithm = derElement(der, tbs.end);
  const oid = derElement(der, algorithm.start);
  const signature = derElement(der, algorithm.end);
  expect([outer.tag, tbs.tag, algorithm.tag, oid.tag, signature.tag]).toEqual([0x30, 0x30, 0x30, 0x06, 0x03]);
  expect(der[signature.start]).toBe(0); // no unused bits
  return {
    tbs: der.subarray(outer.start, tbs.end),
    algorithmOid: der.subarray(oid.start, oid.end),
    signature: der.subarray(signature.start + 1, signature.end),
  };
}

/** 1.2.840.113549.1.1.11, sha256WithRSAEncryption, as DER content bytes. */
const SHA256_WITH_RSA = Buffer.from('2a864886f70d01010b', 'hex');

/** The generated certificate names localhost and 127.0.0.1 and is signed with SHA-256. */
function expectDemoCertificate(pem: string): void {
  const certificate = new X509Certificate(pem);
  const altNames = (certificate.subjectAltName ?? '').split(', ');
  expect(altNames).toEqual(expect.arrayContaining(['DNS:localhost', 'IP Address:127.0.0.1']));
  expect(certificate.checkHost('localhost')).toBe('localhost');
  expect(certificate.checkIP('127.0.0.1')).toBe('127.0.0.1');
  const { tbs, algorithmOid, signature } = signatureParts(certificate);
  expect(algorithmOid.toString('hex')).toBe(SHA256_WITH_RSA.toString('hex'));
  // The label is true: the signature checks out over SHA-256 and not over SHA-1.
  expect(verifySignature('sha256', tbs, certificate.publicKey, signature)).toBe(true);
  expect(verifySignature('sha1', tbs, certificate.publicKey, signature)).toBe(false);
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('npm run portal', () => {
  const dbFile = join(directory, 'portal.sqlite');
  let firstFingerprint = '';

  it('listens on the port the OS picked, prints its certificate, answers over verified TLS and stops on SIGTERM', async () => {
    const portal = await startCli(['--port', '0', '--db', dbFile, '--seed', 'demo'], { throughTsx: true });
    expect(portal.url).toMatch(/^https:\/\/127\.0\.0\.1:(?!0\b)\d+$/);
    expect(existsSync(portal.certPath)).toBe(true);
    firstFingerprint = portal.fingerprint;
    const pem = readFileSync(portal.certPath, 'utf8');
    expectDemoCertificate(pem);
    expect(new X509Certificate(pem).fingerprint256).toBe(portal.fingerprint);
    const health = await healthOver(portal.url, pem);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    // The name, too, verifies: TLS checks the certificate against "localhost" instead of the IP.
    expect((await healthOver(portal.url, pem, 'localhost')).status).toBe(200);
    const exited = exitOf(portal.child);
    portal.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(portal.output()).toContain('SIGTERM: shutting down');
  });

  it('reuses its certificate on the next start and shuts down on SIGINT', async () => {
    const portal = await startCli(['--port', '0', '--db', dbFile, '--sms', 'demo']);
    expect(portal.fingerprint).toBe(firstFingerprint);
    const exited = exitOf(portal.child);
    portal.child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('logs each request by method and path, without challenge ids or search terms', async () => {
    const portal = await startCli(['--port', '0', '--db', dbFile, '--seed', 'demo']);
    // 'close', not 'exit': the output is read to its end before the assertions.
    const closed = new Promise<number | null>((resolve) => portal.child.on('close', (code) => resolve(code)));
    let challengeId: string;
    try {
      const ca = readFileSync(portal.certPath, 'utf8');
      const login = await requestOver(portal.url, ca, 'POST', '/api/v1/auth/login', { email: 'admin@acme.test', password: 'acme-admin-demo' });
      expect(login.status).toBe(200);
      challengeId = (login.body as { challengeId: string }).challengeId;
      expect((await requestOver(portal.url, ca, 'POST', `/api/v1/auth/challenges/${challengeId}/send`, { method: 'sms' })).status).toBe(200);
      expect((await requestOver(portal.url, ca, 'GET', '/api/v1/employees?q=9035550173')).status).toBe(401);
    } finally {
      portal.child.kill('SIGTERM');
      expect(await closed).toBe(0);
    }
    const output = portal.output();
    expect(output).toContain('"req":{"method":"POST","url":"/api/v1/auth/challenges/:id/send"}');
    expect(output).toContain('"req":{"method":"GET","url":"/api/v1/employees"}');
    expect(output).not.toContain(challengeId);
    expect(output).not.toContain('q=');
    expect(output).not.toContain('9035550173');
  });

  it('refuses to start without a carrier, saying in one sentence how to choose one', async () => {
    const child = spawnCli(['--port', '0', '--db', dbFile]);
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    expect(await exitOf(child)).toBe(2);
    expect(output.trim()).toBe(
      'Choose how sign-in codes are delivered: --sms demo (prints them; loopback only) or --sms webhook --sms-webhook-url URL --sms-webhook-secret-file FILE.',
    );
  });

  it('refuses the demo carrier on an address other than loopback', async () => {
    const child = spawnCli(['--port', '0', '--host', '0.0.0.0', '--db', dbFile, '--seed', 'demo']);
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    expect(await exitOf(child)).toBe(1);
    expect(output).toContain('The demo carrier prints sign-in codes, so it only serves a loopback address, not --host 0.0.0.0.');
  });

  it('refuses a malformed flag with the usage line', async () => {
    const child = spawnCli(['--port', 'eighty']);
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    expect(await exitOf(child)).toBe(2);
    expect(output).toContain('Usage: npm run portal');
  });
});
