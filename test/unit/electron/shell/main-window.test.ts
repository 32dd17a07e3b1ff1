import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { createMainWindow, focusWindow } from '../../../../electron/main/shell/main-window';

class FakeBrowserWindow {
  readonly listeners = new Map<string, Array<() => void>>();
  readonly webContents = { on: vi.fn() };
  readonly loadURL = vi.fn(async (_url: string) => undefined);
  readonly maximize = vi.fn();
  readonly show = vi.fn();
  constructor(readonly options: BrowserWindowConstructorOptions) {}
  on(event: string, listener: () => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: () => void): this {
    return this.on(event, listener);
  }
}

describe('main window', () => {
  const directory = mkdtempSync(join(tmpdir(), 'main-window-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  function open(stateFile: string, locale?: () => string) {
    let created: FakeBrowserWindow | null = null;
    createMainWindow({
      createBrowserWindow: (options) => {
        created = new FakeBrowserWindow(options);
        return created as unknown as BrowserWindow;
      },
      getDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
      preloadPath: '/app/out/preload/index.cjs',
      windowStateFile: stateFile,
      isDevToolsAllowed: false,
      log: { warn: vi.fn(), error: vi.fn() },
      locale,
    });
    return created! as FakeBrowserWindow;
  }

  it('loads app://portal-admin/index.html in a sandboxed window and shows it when ready', async () => {
    const window = open(join(directory, 'none.json'));
    await vi.waitFor(() => expect(window.loadURL).toHaveBeenCalledExactlyOnceWith('app://portal-admin/index.html'));
    expect(window.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, preload: '/app/out/preload/index.cjs' });
    expect(window.show).not.toHaveBeenCalled();
    for (const listener of window.listeners.get('ready-to-show') ?? []) listener();
    expect(window.show).toHaveBeenCalledOnce();
    expect(window.listeners.get('close')).toHaveLength(1);
  });

  it('loads the page in the language main resolved, so the prerendered sign-in page paints in it', async () => {
    const window = open(join(directory, 'none.json'), () => 'de');
    await vi.waitFor(() => expect(window.loadURL).toHaveBeenCalledExactlyOnceWith('app://portal-admin/index.html?locale=de'));
  });

  it('loads the page at once: whether it resumes a session is the app:// handler\'s to say, not the address\'s', () => {
    const window = open(join(directory, 'none.json'), () => 'fr');
    expect(window.loadURL).toHaveBeenCalledExactlyOnceWith('app://portal-admin/index.html?locale=fr');
  });

  it('restores the saved bounds and maximised state, maximising only once the page is ready (maximize() shows the window)', () => {
    const file = join(directory, 'saved.json');
    writeFileSync(file, JSON.stringify({ version: 1, bounds: { x: 40, y: 30, width: 1000, height: 700 }, isMaximized: true }));
    const window = open(file);
    expect(window.options).toMatchObject({ x: 40, y: 30, width: 1000, height: 700, show: false });
    expect(window.maximize).not.toHaveBeenCalled();
    for (const listener of window.listeners.get('ready-to-show') ?? []) listener();
    expect(window.maximize).toHaveBeenCalledOnce();
    expect(window.show).toHaveBeenCalledOnce();
  });

  it('brings a minimised window back on a second launch', () => {
    const window = { isMinimized: () => true, restore: vi.fn(), show: vi.fn(), focus: vi.fn() };
    focusWindow(window);
    expect(window.restore).toHaveBeenCalledOnce();
    expect(window.focus).toHaveBeenCalledOnce();
  });
});
