import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `--open` hands the address with its token to the browser the way Jupyter does: through a file
 * only this user can read (0600, in a 0700 folder) that redirects to it. Only the file's path goes
 * on the browser's command line, which every local user can read in `/proc/<pid>/cmdline`.
 */
export interface LaunchPage {
  /** The file to give the browser. */
  path: string;
  /** Deletes the file (its token is spent or expired by then). */
  remove(): void;
}

export function writeLaunchPage(pageUrl: string, parent: string = tmpdir()): LaunchPage {
  const url = new URL(pageUrl);
  if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1') throw new Error('the launch page only redirects to the loopback host');
  const target = url.href.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
  const folder = mkdtempSync(join(parent, 'portal-admin-open-'));
  const path = join(folder, 'open-portal-admin.html');
  writeFileSync(
    path,
    `<!doctype html>\n<html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">` +
      `<meta http-equiv="refresh" content="0;url=${target}"><title>Portal Admin</title></head>` +
      `<body><p><a href="${target}">Open Portal Admin</a></p></body></html>\n`,
    { mode: 0o600, flag: 'wx' },
  );
  return { path, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
