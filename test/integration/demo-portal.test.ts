import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemoPortalProcess, type DemoPortalProcess } from '../../scripts/demo-portal';

function getJson(url: string, ca: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { ca }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('scripts/demo-portal: the reference server as its own process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'demo-portal-test-'));
  let portal: DemoPortalProcess | undefined;
  afterAll(async () => {
    await portal?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on port 0, answers /api/v1/health over TLS with its printed certificate, and stops', async () => {
    const lines: string[] = [];
    portal = await startDemoPortalProcess({ dataDir, onOutput: (line) => lines.push(line) });
    expect(portal.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(portal.certPath).toBe(join(dataDir, 'demo-portal.sqlite.cert.pem'));
    expect(portal.fingerprint256).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
    expect(lines.some((line) => line.startsWith('Portal API listening on'))).toBe(true);

    const health = await getJson(`${portal.url}/api/v1/health`, readFileSync(portal.certPath, 'utf8'));
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok' });

    // Without the printed certificate, TLS verification refuses the self-signed server.
    await expect(getJson(`${portal.url}/api/v1/health`, '')).rejects.toThrow();

    await portal.stop();
    expect(await portal.exited).not.toBeUndefined();
    await expect(getJson(`${portal.url}/api/v1/health`, readFileSync(portal.certPath, 'utf8'))).rejects.toThrow(/ECONNREFUSED/);
  });

  it('rejects with the server\'s own words when the process cannot start', async () => {
    await expect(startDemoPortalProcess({ dataDir, seed: 'nonsense', onOutput: () => undefined })).rejects.toThrow(/exited .*before it was ready[\s\S]*--seed takes demo/);
  });
});
