import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';
import { MAX_CA_CERTIFICATE_CHARS } from '../../../common/ipc';
import { shellStrings, type ShellStrings } from './shell-strings';

/**
 * The portal's CA certificate, chosen in the OS file dialog: main reads the file the person chose
 * and hands the page its name and text, never a path the page could have typed (a typed path let
 * a page learn which files exist on this computer from the error it got back).
 */
export async function chooseCaFile(
  dialog: Pick<Dialog, 'showOpenDialog'>,
  window: BrowserWindow | null,
  words: ShellStrings = shellStrings('en'),
): Promise<{ name: string; pem: string } | null> {
  const options = {
    title: words.caDialogTitle,
    properties: ['openFile' as const],
    filters: [
      { name: words.certificatesFilter, extensions: ['pem', 'crt', 'cer'] },
      { name: words.allFiles, extensions: ['*'] },
    ],
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  const path = result.canceled ? undefined : result.filePaths[0];
  if (path === undefined) return null;
  const file = await open(path, 'r');
  try {
    // A certificate file is small: read no more than the channel carries, and let validation say what is wrong.
    const buffer = Buffer.alloc(MAX_CA_CERTIFICATE_CHARS);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    return { name: basename(path).slice(0, 255), pem: buffer.subarray(0, bytesRead).toString('utf8') };
  } finally {
    await file.close();
  }
}
