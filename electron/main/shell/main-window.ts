import type { BrowserWindow, BrowserWindowConstructorOptions, Display } from 'electron';
import type { Logger } from '../log';
import { APP_ENTRY_URL } from './navigation-policy';
import { createWindowOptions } from './window-options';
import { loadWindowState, trackWindowState } from './window-state';

export interface MainWindowDependencies {
  /** Electron's BrowserWindow class (a fake in tests). */
  createBrowserWindow: (options: BrowserWindowConstructorOptions) => BrowserWindow;
  getDisplays: () => readonly Pick<Display, 'workArea'>[];
  preloadPath: string;
  windowStateFile: string;
  isDevToolsAllowed: boolean;
  log: Pick<Logger, 'warn' | 'error'>;
  /** The language the page shows (the Language setting or the OS's): its first paint is in it (`?locale=`). */
  locale?: () => string;
}

/**
 * The page's address; `?locale=` picks the prerendered sign-in page's language (common/first-paint.ts).
 * Whether the page resumes a session (no sign-in form painted first) the app:// handler asks itself, at
 * each load of the page, a reload included (electron/main/shell/app-protocol.ts).
 */
export function entryUrl(locale: string | undefined): string {
  return locale === undefined ? APP_ENTRY_URL : `${APP_ENTRY_URL}?${new URLSearchParams({ locale }).toString()}`;
}

/** Opens the one window on app://portal-admin/index.html, where the user left it last time. */
export function createMainWindow(dependencies: MainWindowDependencies): BrowserWindow {
  const state = loadWindowState(
    dependencies.windowStateFile,
    dependencies.getDisplays().map((display) => display.workArea),
  );
  const window = dependencies.createBrowserWindow(
    createWindowOptions({
      preloadPath: dependencies.preloadPath,
      bounds: state?.bounds,
      isDevToolsAllowed: dependencies.isDevToolsAllowed,
    }),
  );
  trackWindowState(window, dependencies.windowStateFile);
  window.once('ready-to-show', () => {
    // Not earlier: maximize() shows a hidden window, which would flash white before the page paints.
    if (state?.isMaximized) window.maximize();
    window.show();
  });
  window.webContents.on('render-process-gone', (_event, details) => {
    dependencies.log.error('The window\'s renderer process ended', { reason: details.reason, exitCode: details.exitCode });
  });
  window.loadURL(entryUrl(dependencies.locale?.())).catch((error: unknown) => {
    dependencies.log.error('The app page could not be loaded', { error });
  });
  return window;
}

/** Brings the existing window to the front (a second launch, the macOS dock). */
export function focusWindow(window: Pick<BrowserWindow, 'isMinimized' | 'restore' | 'show' | 'focus'>): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
