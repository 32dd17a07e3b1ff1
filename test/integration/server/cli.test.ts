import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get } from 'node:https';
import { afterAll, describe, expect, it } from 'vitest';

const directory = mkdtempSync(join(tmpdir(), 'portal-cli-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  certPath: string;
  fingerprint: string;
  output: () => string;
}

/** Runs `npm run portal`'s entry point as users do, and waits for its three announcement lines. */
function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: process.cwd() });
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

function healthOver(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(`${url}/api/v1/health`, { ca }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('npm run portal', () => {
  const dbFile = join(directory, 'portal.sqlite');
  let firstFingerprint = '';

  it('listens on the port the OS picked, prints its certificate, answers over verified TLS and stops on SIGTERM', async () => {
    const portal = await startCli(['--port', '0', '--db', dbFile, '--seed', 'demo']);
    expect(portal.url).toMatch(/^https:\/\/127\.0\.0\.1:(?!0\b)\d+$/);
    expect(existsSync(portal.certPath)).toBe(true);
    firstFingerprint = portal.fingerprint;
    const health = await healthOver(portal.url, readFileSync(portal.certPath, 'utf8'));
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    const exited = exitOf(portal.child);
    portal.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(portal.output()).toContain('SIGTERM: shutting down');
  });

  it('reuses its certificate on the next start and shuts down on SIGINT', async () => {
    const portal = await startCli(['--port', '0', '--db', dbFile]);
    expect(portal.fingerprint).toBe(firstFingerprint);
    const exited = exitOf(portal.child);
    portal.child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('refuses a malformed flag with the usage line', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--port', 'eighty'], { cwd: process.cwd() });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    expect(await exitOf(child)).toBe(2);
    expect(output).toContain('Usage: npm run portal');
  });
});
