import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dialog, OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CA_CERTIFICATE_CHARS } from '../../../../common/ipc';
import { chooseCaFile } from '../../../../electron/main/shell/ca-file-picker';

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** The OS dialog, answering as a person would: a file, or Cancel. */
function dialogAnswering(answer: OpenDialogReturnValue, seen: OpenDialogOptions[] = []): Pick<Dialog, 'showOpenDialog'> {
  return {
    showOpenDialog: (async (...args: unknown[]) => {
      seen.push(args.at(-1) as OpenDialogOptions);
      return answer;
    }) as Dialog['showOpenDialog'],
  };
}

describe('shell: the CA certificate file dialog', () => {
  it('reads the chosen file in main and hands over its name and text, never its path', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ca-picker-'));
    folders.push(folder);
    const file = join(folder, 'acme-portal.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const seen: OpenDialogOptions[] = [];
    const chosen = await chooseCaFile(dialogAnswering({ canceled: false, filePaths: [file] }, seen), null);
    expect(chosen).toEqual({ name: 'acme-portal.pem', pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' });
    expect(JSON.stringify(chosen)).not.toContain(folder);
    expect(seen[0]?.properties).toEqual(['openFile']);
  });

  it('answers null when the dialog is cancelled, and reads no more than the channel carries', async () => {
    expect(await chooseCaFile(dialogAnswering({ canceled: true, filePaths: [] }), null)).toBeNull();
    const folder = mkdtempSync(join(tmpdir(), 'ca-picker-'));
    folders.push(folder);
    const big = join(folder, 'big.pem');
    writeFileSync(big, 'x'.repeat(MAX_CA_CERTIFICATE_CHARS + 10));
    const chosen = await chooseCaFile(dialogAnswering({ canceled: false, filePaths: [big] }), null);
    expect(chosen?.pem.length).toBe(MAX_CA_CERTIFICATE_CHARS);
  });
});
