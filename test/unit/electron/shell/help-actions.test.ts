import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageBoxOptions } from 'electron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { aboutText, showAboutDialog, type AboutFacts } from '../../../../electron/main/shell/about';
import { logDirectoryOf, openLogsFolder } from '../../../../electron/main/shell/logs-folder';

const facts: AboutFacts = {
  productName: 'Portal Admin',
  version: '0.1.0',
  versions: { electron: '45.5.0', chrome: '142.0.7444.59', node: '22.20.0', v8: '14.2.231.14-electron.0' },
  platform: 'linux',
  arch: 'x64',
};

describe('Help → About', () => {
  it('names the app version and the Electron, Chromium and Node versions', () => {
    expect(aboutText(facts)).toEqual({
      title: 'About Portal Admin',
      message: 'Portal Admin 0.1.0',
      detail: 'Version: 0.1.0\nElectron: 45.5.0\nChromium: 142.0.7444.59\nNode.js: 22.20.0\nV8: 14.2.231.14-electron.0\nOS: linux x64',
    });
  });

  it('says "unknown" rather than "undefined" for a missing version (plain Node has no electron/chrome)', () => {
    expect(aboutText({ ...facts, versions: { node: '20.20.2' } }).detail).toContain('Electron: unknown\nChromium: unknown\nNode.js: 20.20.2');
  });

  it('shows an info box; "Copy" puts the text on the clipboard, "OK" does not', async () => {
    for (const [response, copies] of [[0, 0], [1, 1]] as const) {
      const shown: MessageBoxOptions[] = [];
      const copyText = vi.fn();
      await showAboutDialog({
        facts,
        showMessageBox: async (options) => {
          shown.push(options);
          return { response, checkboxChecked: false };
        },
        copyText,
        log: { warn: vi.fn() },
      });
      expect(shown).toEqual([expect.objectContaining({ type: 'info', title: 'About Portal Admin', buttons: ['OK', 'Copy'], defaultId: 0, cancelId: 0 })]);
      expect(copyText).toHaveBeenCalledTimes(copies);
      if (copies) expect(copyText).toHaveBeenCalledWith(expect.stringContaining('Portal Admin 0.1.0\nVersion: 0.1.0\nElectron: 45.5.0'));
    }
  });

  it('a clipboard failure is logged, not thrown', async () => {
    const warn = vi.fn();
    await showAboutDialog({
      facts,
      showMessageBox: async () => ({ response: 1, checkboxChecked: false }),
      copyText: () => {
        throw new Error('no clipboard');
      },
      log: { warn },
    });
    expect(warn).toHaveBeenCalledWith('menu: the About text could not be copied', expect.anything());
  });
});

describe('Help → Open Logs Folder', () => {
  let userData: string | undefined;
  afterEach(() => {
    if (userData) rmSync(userData, { recursive: true, force: true });
    userData = undefined;
  });

  it('the folder is <userData>/logs, where the logger writes', () => {
    expect(logDirectoryOf('/home/ada/.config/Portal Admin')).toBe(join('/home/ada/.config/Portal Admin', 'logs'));
  });

  it('creates the folder (owner only) before opening it, since opening a missing path fails', async () => {
    userData = mkdtempSync(join(tmpdir(), 'portal-admin-menu-'));
    const directory = logDirectoryOf(userData);
    const openPath = vi.fn(async () => '');
    const showError = vi.fn();
    expect(await openLogsFolder({ directory, openPath, showError, log: { warn: vi.fn() } })).toBe(true);
    expect(openPath).toHaveBeenCalledWith(directory);
    expect(statSync(directory).isDirectory()).toBe(true);
    if (process.platform !== 'win32') expect(statSync(directory).mode & 0o777).toBe(0o700);
    expect(showError).not.toHaveBeenCalled();
  });

  it('says where the logs are when the file manager cannot open them', async () => {
    userData = mkdtempSync(join(tmpdir(), 'portal-admin-menu-'));
    const directory = logDirectoryOf(userData);
    const showError = vi.fn();
    const warn = vi.fn();
    const opened = await openLogsFolder({ directory, openPath: async () => 'No application is registered for folders', showError, log: { warn } });
    expect(opened).toBe(false);
    expect(showError).toHaveBeenCalledWith('The logs folder could not be opened', `No application is registered for folders\n\nThe logs are in ${directory}`);
    expect(warn).toHaveBeenCalledOnce();

    const rejected = await openLogsFolder({ directory, openPath: () => Promise.reject(new Error('shell gone')), showError, log: { warn } });
    expect(rejected).toBe(false);
    expect(showError).toHaveBeenLastCalledWith('The logs folder could not be opened', expect.stringContaining('shell gone'));
  });
});
