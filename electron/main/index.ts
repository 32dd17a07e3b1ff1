/**
 * The Electron entry (out/main/index.cjs): the one composition root of the desktop app.
 * Only this file and the shell's wiring functions touch Electron objects; everything else in
 * electron/main is plain Node and tested as such.
 */
import { join } from 'node:path';
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, powerMonitor, protocol, screen, session, shell } from 'electron';
import { createGate } from './ipc/gate';
import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from './log';
import { loggingBackgroundRunner } from './infra/background';
import { createServices, type Services } from './create-services';
import { showAboutDialog } from './shell/about';
import { chooseCaFile } from './shell/ca-file-picker';
import { handleAppProtocol, registerAppScheme } from './shell/app-protocol';
import { createImportFileDialog } from './shell/import-file-dialog';
import { registerIpcTransport } from './shell/ipc-transport';
import { externalLinkAllowlist, parseLaunchOptions } from './shell/launch-options';
import { logDirectoryOf, openLogsFolder } from './shell/logs-folder';
import { createMainWindow, focusWindow } from './shell/main-window';
import { applicationMenuTemplate } from './shell/menu';
import { followLanguage, shellStrings, type ShellStrings } from './shell/shell-strings';
import { probeOnWake } from './shell/probe-on-wake';
import { createPrivacyShell, type PrivacyShell } from './shell/privacy';
import { createQuitHandling } from './shell/quit';
import { applySessionSecurity, applyWebContentsSecurity } from './shell/security-handlers';
import { isTrustedElectronSender } from './shell/sender-policy';
import { showOrOpenWindow, startDesktop, type WindowPresence } from './shell/startup';
import { WINDOW_STATE_FILE_NAME } from './shell/window-state';

// Every renderer sandboxed, whatever a future window forgets to set (Electron security checklist §4).
app.enableSandbox();

const launch = parseLaunchOptions(process.argv, process.env, { isPackaged: app.isPackaged, cwd: process.cwd() });
// Before anything reads userData (and before the single-instance lock, which is per profile).
if (launch.profileDir) app.setPath('userData', launch.profileDir);

// Privileged schemes must be registered before 'ready'.
registerAppScheme(protocol);

const bundleDir = import.meta.dirname; // out/main
const preloadPath = join(bundleDir, '..', 'preload', 'index.cjs');
const rendererDir = join(bundleDir, '..', 'renderer');
// A portal proposed at launch to a packaged app is not trusted for anything until the admin agrees.
const externalAllowlist = externalLinkAllowlist(launch.portal?.needsConfirmation ? undefined : launch.portal?.url);

let log: Logger | null = null;
let mainWindow: BrowserWindow | null = null;
let disposeServices: (() => Promise<void>) | null = null;
let privacyShell: PrivacyShell | null = null;
/** Main's own words (native dialogs) in the language the window shows; English until the services exist. */
let shellWords: () => ShellStrings = () => shellStrings('en');
/** The language the window's page shows, once the services exist (its first paint is in it). */
let pageLocale: (() => string) | undefined;
/** Whether a window opened now resumes a session or a sign-in waiting for its code (no sign-in form painted first). */
let pageResumes: (() => Promise<boolean>) | undefined;

const quitHandling = createQuitHandling({
  dispose: () => disposeServices,
  quit: () => app.quit(),
  log: () => log,
});

function liveMainWindow(): BrowserWindow | null {
  return mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
}

function logLevel(): LogLevel {
  const wanted = process.env.PORTAL_ADMIN_LOG_LEVEL;
  return (LOG_LEVELS as readonly string[]).includes(wanted ?? '') ? (wanted as LogLevel) : 'info';
}

// Every WebContents (our window, and anything a bug might create) gets the navigation guards.
app.on('web-contents-created', (_event, contents) => {
  applyWebContentsSecurity(contents, {
    externalAllowlist,
    openExternal: (url) => shell.openExternal(url),
    log: log ?? undefined,
  });
});

function openWindow(): void {
  if (!log) return;
  mainWindow = createMainWindow({
    createBrowserWindow: (options) => new BrowserWindow(options),
    getDisplays: () => screen.getAllDisplays(),
    preloadPath,
    windowStateFile: join(app.getPath('userData'), WINDOW_STATE_FILE_NAME),
    isDevToolsAllowed: !app.isPackaged,
    log,
    locale: pageLocale,
  });
  privacyShell?.protect(mainWindow);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  // Windows log-off / shutdown: no 'before-quit' follows, so the services are shut down here.
  mainWindow.on('session-end', () => {
    void quitHandling.onSessionEnd();
  });
}

const windowPresence: WindowPresence = {
  isStarted: () => disposeServices !== null && log !== null,
  hasWindow: () => liveMainWindow() !== null,
  openWindow,
  focusWindow: () => {
    const window = liveMainWindow();
    if (window) focusWindow(window);
  },
};

/** The application menu (shell/menu.ts builds it; Help's two actions are wired here). */
function installApplicationMenu(logger: Logger, logDirectory: string, services: Services, strings: ShellStrings): void {
  const runInBackground = loggingBackgroundRunner(logger);
  const template = applicationMenuTemplate({
    strings,
    platform: process.platform,
    productName: app.name,
    isDevToolsAllowed: !app.isPackaged,
    navigation: {
      'manage-employees': () => services.emitter.emit('navigation:requested', { screen: 'manage-employees' }),
      outbox: () => services.emitter.emit('navigation:requested', { screen: 'outbox' }),
      'import-phones': () => services.emitter.emit('navigation:requested', { screen: 'import-phones' }),
    },
    onOpenLogsFolder: () =>
      runInBackground('menu: open logs folder', () =>
        openLogsFolder({
          directory: logDirectory,
          openPath: (path) => shell.openPath(path),
          showError: (title, content) => dialog.showErrorBox(title, content),
          strings,
          log: logger,
        }),
      ),
    onAbout: () =>
      runInBackground('menu: about', () =>
        showAboutDialog({
          facts: { productName: app.name, version: app.getVersion(), versions: process.versions, platform: process.platform, arch: process.arch },
          showMessageBox: (options) => {
            const window = liveMainWindow();
            return window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options);
          },
          copyText: (text) => clipboard.writeText(text),
          log: logger,
        }),
      ),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function start(): Promise<void> {
  let logDirectory = '';
  await startDesktop<Services>({
    whenReady: () => app.whenReady(),
    prepare: () => {
      logDirectory = logDirectoryOf(app.getPath('userData'));
      const logger = createLogger({ directory: logDirectory, level: logLevel() });
      log = logger;
      for (const problem of launch.problems) logger.warn(problem);
      applySessionSecurity(session.defaultSession, logger);
      // A reload (or any page load) while signed in paints no sign-in form first.
      handleAppProtocol(protocol, { rootDir: rendererDir, isResuming: () => pageResumes?.() ?? Promise.resolve(false) });
    },
    createServices: ({ restoreWaitMs }) =>
      createServices({
        userDataDir: app.getPath('userData'),
        portal: launch.portal,
        keychain: launch.keychain,
        log: log ?? undefined,
        restoreWaitMs,
        chooseCaFile: () => chooseCaFile(dialog, liveMainWindow(), shellWords()),
        systemLanguages: () => app.getPreferredSystemLanguages(),
        importFileDialog: createImportFileDialog({
          showOpenDialog: (window, options) => (window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options)),
          window: liveMainWindow,
          strings: () => shellWords(),
        }),
      }),
    onServices: (services) => {
      shellWords = () => shellStrings(services.language.locale());
      pageLocale = () => services.language.locale();
      pageResumes = async () => {
        const state = await services.auth.getState();
        return state.signedIn || state.pending !== null;
      };
      const stopProbingOnWake = probeOnWake(powerMonitor, services.connection, services.log);
      disposeServices = () => {
        stopProbingOnWake();
        return services.dispose();
      };
      privacyShell = createPrivacyShell({
        settings: services.settings,
        emitter: services.emitter,
        powerMonitor,
        getWindows: () => {
          const window = liveMainWindow();
          return window ? [window] : [];
        },
        log: services.log,
      });
    },
    // Rebuilt in the new language when the Language setting changes.
    installMenu: (services) => followLanguage(services.language, (strings) => installApplicationMenu(services.log, logDirectory, services, strings)),
    registerIpc: (services) => {
      const gate = createGate({
        services,
        // Only the top frame of our own window, showing our own app, may call.
        isTrustedSender: (sender) => isTrustedElectronSender(sender, liveMainWindow()?.webContents.id ?? null),
        log: services.log,
      });
      registerIpcTransport({
        ipcMain,
        gate,
        getEventTargets: () => {
          const window = liveMainWindow();
          return window ? [window.webContents] : [];
        },
        log: services.log,
      });
    },
    openWindow,
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another Portal Admin is running on this profile; it gets 'second-instance' and shows itself.
  console.log(`Portal Admin is already running on this profile (${app.getPath('userData')}); its window was brought forward.`);
  app.quit();
} else {
  // A second launch, and (macOS) a click on the dock icon: the window forward, or a new one.
  app.on('second-instance', () => showOrOpenWindow(windowPresence));
  app.on('activate', () => showOrOpenWindow(windowPresence));

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('before-quit', (event) => quitHandling.onBeforeQuit(event));
  // Ctrl-C in the terminal of `npm start` (which forwards it), or a plain `kill`: quit properly.
  process.on('SIGINT', () => quitHandling.onSignal());
  process.on('SIGTERM', () => quitHandling.onSignal());

  process.on('unhandledRejection', (reason) => log?.error('Unhandled promise rejection', { error: reason }));

  start().catch((error: unknown) => {
    log?.error('Portal Admin could not start', { error });
    dialog.showErrorBox('Portal Admin could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}
