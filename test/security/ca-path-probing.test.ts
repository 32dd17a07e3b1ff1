import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcResult } from '../../common/ipc';
import { createGate, type Sender } from '../../electron/main/ipc/gate';
import { startTestPortal, type TestPortal } from '../support/portal';
import { servicesFor, type ServicesHandle } from '../integration/electron/support';

/**
 * Attack: a compromised page types file paths into the portal settings and reads the answers to
 * learn which files exist on this computer and which this user can read ("unreadable" for a
 * missing or forbidden file, "not a certificate" for an existing readable one).
 */
let portal: TestPortal;
let handle: ServicesHandle;
let scratch: string;
beforeAll(async () => {
  portal = await startTestPortal();
  handle = await servicesFor(portal);
  scratch = mkdtempSync(join(tmpdir(), 'portal-admin-probe-'));
});
afterAll(async () => {
  await handle.close();
  await portal.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** The answer without anything that could differ between two refused calls for no reason. */
function shape(result: IpcResult<unknown>): unknown {
  return result.ok ? { ok: true } : { ok: false, error: result.error };
}

describe('attack: path probing through the CA certificate setting', () => {
  it('an existing file and a missing one get the same answer, whatever key carries the path', async () => {
    const gate = createGate({ services: handle.services, isTrustedSender: () => true });
    const existing = join(scratch, 'notes.txt');
    writeFileSync(existing, 'a file the page should not learn about\n');
    const missing = join(scratch, 'no-such-file.txt');
    const sender: Sender = { transport: 'websocket', origin: 'http://127.0.0.1:1', authenticated: true };

    for (const key of ['caFile', 'caCertificate']) {
      const answers = [];
      for (const path of [existing, missing, '/etc/passwd', '/root/.ssh/id_rsa']) {
        answers.push(shape(await gate.invoke('settings:set-portal', { portalUrl: portal.url, [key]: path }, sender)));
      }
      expect(answers.every((answer) => answer !== null && (answer as { ok: boolean }).ok === false)).toBe(true);
      for (const answer of answers) expect(answer).toEqual(answers[0]);
      expect(JSON.stringify(answers)).not.toMatch(/unreadable|permission/i);
    }
  });
});
