import type { MenuItemConstructorOptions } from 'electron';
import { fill, shellStrings, type ShellStringKey, type ShellStrings } from './shell-strings';

/**
 * The application menu, as a pure template: no Electron object is touched here, so a Node test
 * can check every role and accelerator; electron/main/index.ts passes it to Menu.buildFromTemplate.
 *
 * Standard roles do the platform's own thing (labels, shortcuts, the macOS Services menu), and
 * macOS needs them: without an Edit menu, Cmd+C / Cmd+V / Cmd+Q stop working in text fields.
 */

/** Screens of the app that the menu can go to, with their keyboard shortcuts. */
export const MENU_SCREENS = {
  'manage-employees': { label: 'manageEmployees', accelerator: 'CmdOrCtrl+E' },
  outbox: { label: 'outbox', accelerator: 'CmdOrCtrl+Shift+O' },
  'import-phones': { label: 'importPhones', accelerator: 'CmdOrCtrl+Shift+M' },
} as const satisfies Record<string, { label: ShellStringKey; accelerator: string }>;
export type MenuScreen = keyof typeof MENU_SCREENS;

export interface ApplicationMenuOptions {
  platform: NodeJS.Platform;
  /** "Portal Admin" (app.name, from package.json productName). */
  productName: string;
  /** The menu's words in the language the window shows (English when not given). */
  strings?: ShellStrings;
  /** Reload and the developer tools are there only when running from the repository. */
  isDevToolsAllowed: boolean;
  onOpenLogsFolder: () => void;
  onAbout: () => void;
  /**
   * Going to a screen: main sends the `navigation:requested` event. A screen without a handler
   * (one that does not exist yet) is shown disabled, with its shortcut, so the shortcut is
   * reserved and nothing pretends to work.
   */
  navigation?: Partial<Record<MenuScreen, () => void>>;
}

type Item = MenuItemConstructorOptions;
const separator: Item = { type: 'separator' };

export function applicationMenuTemplate(options: ApplicationMenuOptions): Item[] {
  const isMac = options.platform === 'darwin';
  const words = options.strings ?? shellStrings('en');
  // Windows and Linux show mnemonics (Alt+F…); macOS has none.
  const label = (key: ShellStringKey): string => (isMac ? words[key] : `&${words[key]}`);
  const about: Item = { id: 'about', label: fill(words.about, { product: options.productName }), click: () => options.onAbout() };

  const appMenu: Item = {
    label: options.productName,
    submenu: [about, separator, { role: 'services' }, separator, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, separator, { role: 'quit' }],
  };

  const fileMenu: Item = { label: label('file'), submenu: [isMac ? { role: 'close' } : { role: 'quit' }] };

  const editMenu: Item = {
    label: label('edit'),
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(isMac ? [{ role: 'pasteAndMatchStyle' } satisfies Item] : []),
      { role: 'delete' },
      separator,
      { role: 'selectAll' },
    ],
  };

  const developerItems: Item[] = options.isDevToolsAllowed
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, separator]
    : [];
  const viewMenu: Item = {
    label: label('view'),
    submenu: [
      ...developerItems,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      // The role's own shortcut is Ctrl+Plus, which needs Shift on most keyboards; Ctrl+= too.
      { role: 'zoomIn', accelerator: 'CmdOrCtrl+=', visible: false },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };

  const screenItem = (screen: MenuScreen): Item => {
    const handler = options.navigation?.[screen];
    return {
      id: `go-${screen}`,
      label: words[MENU_SCREENS[screen].label],
      accelerator: MENU_SCREENS[screen].accelerator,
      enabled: handler !== undefined,
      click: () => handler?.(),
    };
  };
  const adminMenu: Item = { label: label('admin'), submenu: [screenItem('manage-employees'), screenItem('outbox'), separator, screenItem('import-phones')] };

  const windowMenu: Item = isMac
    ? { label: words.window, role: 'window', submenu: [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }] }
    : { label: label('window'), submenu: [{ role: 'minimize' }, { role: 'close' }] };

  const openLogs: Item = { id: 'open-logs-folder', label: words.openLogsFolder, click: () => options.onOpenLogsFolder() };
  // macOS keeps "About" in the application menu (Apple's guidelines); elsewhere it ends Help.
  const helpMenu: Item = {
    label: label('help'),
    role: 'help',
    submenu: isMac ? [openLogs] : [openLogs, separator, about],
  };

  return [...(isMac ? [appMenu] : []), fileMenu, editMenu, viewMenu, adminMenu, windowMenu, helpMenu];
}
