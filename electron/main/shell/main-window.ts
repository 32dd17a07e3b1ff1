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
  /** Signed in, or a sign-in waiting for its code: the page shows no prerendered sign-in form first (`&resume=1`). */
  isResuming?: () => Promise<boolean>;
}

/**
 * The page's address; `?locale=` picks the prerendered sign-in page's language and `resume=1` hides
 * its form for a window opened while signed in (common/first-paint.ts; the app:// handler serves the page).
 */
export function entryUrl(locale: string | undefined, isResuming = false): string {
  const query = new URLSearchParams();
  if (locale !== undefined) query.set('locale', locale);
  if (isResuming) query.set('resume', '1');
  return query.size === 0 ? APP_ENTRY_URL : `${APP_ENTRY_URL}?${query.toString()}`;
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
  // Asking whether a session is open takes no portal round trip (main's own state); a failure is "no".
  const isResuming = dependencies.isResuming?.().catch(() => false) ?? Promise.resolve(false);
  isResuming
    .then((resume) => window.loadURL(entryUrl(dependencies.locale?.(), resume)))
    .catch((error: unknown) => {
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
