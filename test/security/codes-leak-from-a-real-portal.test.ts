/**
 * Attack: reading sign-in codes where a real portal leaves them. Before, the only carrier printed
 * every code to stdout and stored every message text in `sms_messages`, whatever the mode, so
 * anyone with the console, the logs or a database copy could sign in as anyone whose password they
 * had. With `--sms webhook` the portal hands each message to a signed HTTPS POST and keeps no code
 * or text anywhere: this test signs in end to end and then searches stdout, stderr (the log, at
 * its most talkative) and every column of every table for the code.
 */
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { loadOrCreateCertificate } from '../../server/tls/certificate';

const directory = mkdtempSync(join(tmpdir(), 'portal-webhook-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

interface Delivery {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(url: string, ca: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
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

it('signs in with the webhook carrier; the code is in the signed POST and nowhere in stdout, the log or the database', { timeout: 120_000 }, async () => {
  // The SMS gateway bridge: a local HTTPS receiver with its own certificate.
  const receiverTls = await loadOrCreateCertificate({ base: join(directory, 'receiver') });
  const deliveries: Delivery[] = [];
  let failFirst = true;
  const receiver: Server = createServer({ key: receiverTls.key, cert: receiverTls.cert }, (incoming, outgoing) => {
    let body = '';
    incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
    incoming.on('end', () => {
      deliveries.push({ headers: incoming.headers, body });
      // The first attempt fails, so the retry (and the failure log line) are exercised too.
      outgoing.statusCode = failFirst ? 503 : 202;
      failFirst = false;
      outgoing.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `https://127.0.0.1:${(receiver.address() as AddressInfo).port}/sms`;
  const secret = 'a'.repeat(24) + 'webhook-secret-of-the-test-bridge';
  writeFileSync(join(directory, 'secret'), `${secret}\n`);

  const dbFile = join(directory, 'portal.sqlite');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/cli.ts', '--port', '0', '--db', dbFile, '--seed', 'demo', '--sms', 'webhook',
      '--sms-webhook-url', receiverUrl, '--sms-webhook-secret-file', join(directory, 'secret'), '--sms-webhook-ca', receiverTls.certPath],
    { cwd: process.cwd(), env: { ...process.env, PORTAL_LOG_LEVEL: 'trace' } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let code: string;
  try {
    const started = Date.now();
    while (!/Portal API listening on (https:\/\/\S+)/.test(stdout) || !/Certificate: (\S+)/.test(stdout)) {
      if (child.exitCode !== null || Date.now() - started > 60_000) throw new Error(`the portal did not start:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const url = /Portal API listening on (https:\/\/\S+)/.exec(stdout)![1]!;
    const ca = readFileSync(/Certificate: (\S+)/.exec(stdout)![1]!, 'utf8');

    const login = await call(url, ca, 'POST', '/api/v1/auth/login', { email: 'admin@acme.test', password: 'acme-admin-demo' });
    expect(login.status).toBe(200);
    const { challengeId } = login.body as { challengeId: string };
    const sent = await call(url, ca, 'POST', `/api/v1/auth/challenges/${challengeId}/send`, { method: 'sms' });
    expect(sent.status).toBe(200);

    // Two attempts (503, then 202), each signed over its own timestamp and the same body.
    expect(deliveries).toHaveLength(2);
    for (const delivery of deliveries) {
      const timestamp = String(delivery.headers['x-portal-timestamp']);
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
      const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${delivery.body}`).digest('hex')}`;
      const actual = String(delivery.headers['x-portal-signature']);
      expect(actual.length).toBe(expected.length);
      expect(timingSafeEqual(Buffer.from(actual), Buffer.from(expected))).toBe(true);
      expect(delivery.headers['content-type']).toBe('application/json');
    }
    const message = JSON.parse(deliveries[1]!.body) as { id: string; channel: string; to: string; text: string; createdAt: string };
    expect(message).toMatchObject({ id: expect.any(String), channel: 'sms', to: '+12125550142', createdAt: expect.any(String) });
    code = /\b(\d{6})\b/.exec(message.text)![1]!;

    const verified = await call(url, ca, 'POST', `/api/v1/auth/challenges/${challengeId}/verify`, { code });
    expect(verified.status).toBe(200);
    expect((await call(url, ca, 'GET', '/api/v1/dev/sms')).status).toBe(404);
  } finally {
    child.kill('SIGTERM');
    await closed;
    receiver.close();
  }

  const codePattern = new RegExp(`\\b${code}\\b`);
  expect(stdout + stderr).toContain('message delivery failed; retrying');
  expect(stdout).not.toMatch(codePattern);
  expect(stderr).not.toMatch(codePattern);
  expect(stdout + stderr).not.toContain('Your Portal login code');

  const db = new Database(dbFile, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((row) => row.name);
    expect(tables).toContain('challenges');
    for (const table of tables) {
      for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
        for (const [column, value] of Object.entries(row)) {
          if (typeof value === 'string') expect(value, `${table}.${column}`).not.toMatch(codePattern);
        }
      }
    }
    expect(db.prepare('SELECT count(*) AS n FROM sms_messages').get()).toEqual({ n: 0 });
  } finally {
    db.close();
  }
});
