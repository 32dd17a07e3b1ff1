import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { applicationMenuTemplate, MENU_SCREENS, type ApplicationMenuOptions } from '../../../../electron/main/shell/menu';

type Item = MenuItemConstructorOptions;

function template(overrides: Partial<ApplicationMenuOptions> = {}): Item[] {
  return applicationMenuTemplate({
    platform: 'linux',
    productName: 'Portal Admin',
    isDevToolsAllowed: false,
    onOpenLogsFolder: () => undefined,
    onAbout: () => undefined,
    ...overrides,
  });
}

const submenu = (item: Item | undefined): Item[] => (Array.isArray(item?.submenu) ? item.submenu : []);
const menuNamed = (items: Item[], name: string): Item | undefined => items.find((item) => item.label?.replace('&', '') === name);
const roles = (item: Item | undefined): string[] => submenu(item).flatMap((entry) => (entry.role && entry.visible !== false ? [entry.role] : []));
const allItems = (items: Item[]): Item[] => items.flatMap((item) => [item, ...allItems(submenu(item))]);
const byId = (items: Item[], id: string): Item | undefined => allItems(items).find((item) => item.id === id);
const click = (item: Item | undefined): void => (item?.click as (() => void) | undefined)?.();

describe('application menu', () => {
  it('Windows and Linux: File, Edit, View, Admin, Window, Help with mnemonics and standard roles', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const items = template({ platform });
      expect(items.map((item) => item.label)).toEqual(['&File', '&Edit', '&View', '&Admin', '&Window', '&Help']);
      expect(roles(menuNamed(items, 'File'))).toEqual(['quit']);
      expect(roles(menuNamed(items, 'Edit'))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'delete', 'selectAll']);
      expect(roles(menuNamed(items, 'View'))).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
      expect(roles(menuNamed(items, 'Window'))).toEqual(['minimize', 'close']);
      expect(submenu(menuNamed(items, 'Help')).filter((item) => item.type !== 'separator').map((item) => item.label)).toEqual([
        'Open Logs Folder',
        'About Portal Admin',
      ]);
    }
  });

  it('macOS: the application menu first (with About), the Edit menu its text fields need, Window and Help roles', () => {
    const items = template({ platform: 'darwin' });
    expect(items.map((item) => item.label)).toEqual(['Portal Admin', 'File', 'Edit', 'View', 'Admin', 'Window', 'Help']);
    const appMenu = items[0];
    expect(submenu(appMenu)[0]).toMatchObject({ id: 'about', label: 'About Portal Admin' });
    expect(roles(appMenu)).toEqual(['services', 'hide', 'hideOthers', 'unhide', 'quit']);
    expect(roles(menuNamed(items, 'File'))).toEqual(['close']);
    expect(roles(menuNamed(items, 'Edit'))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'pasteAndMatchStyle', 'delete', 'selectAll']);
    expect(menuNamed(items, 'Window')).toMatchObject({ role: 'window' });
    expect(roles(menuNamed(items, 'Window'))).toEqual(['minimize', 'zoom', 'front']);
    expect(menuNamed(items, 'Help')).toMatchObject({ role: 'help' });
    expect(submenu(menuNamed(items, 'Help')).map((item) => item.id)).toEqual(['open-logs-folder']);
  });

  it('zoom in answers Ctrl+= as well as its own Ctrl+Plus', () => {
    const view = submenu(menuNamed(template(), 'View'));
    expect(view.filter((item) => item.role === 'zoomIn')).toEqual([{ role: 'zoomIn' }, { role: 'zoomIn', accelerator: 'CmdOrCtrl+=', visible: false }]);
  });

  it('reload and the developer tools only when running from the repository', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const packaged = allItems(template({ platform, isDevToolsAllowed: false })).map((item) => item.role);
      expect(packaged).not.toContain('toggleDevTools');
      expect(packaged).not.toContain('reload');
      expect(packaged).not.toContain('forceReload');
      expect(roles(menuNamed(template({ platform, isDevToolsAllowed: true }), 'View')).slice(0, 3)).toEqual(['reload', 'forceReload', 'toggleDevTools']);
    }
  });

  it('Manage Employees (Ctrl/Cmd+E) and Outbox (Ctrl/Cmd+Shift+O): shortcuts shown, disabled until navigation exists', () => {
    const admin = submenu(menuNamed(template(), 'Admin'));
    expect(admin.map(({ id, label, accelerator, enabled }) => ({ id, label, accelerator, enabled }))).toEqual([
      { id: 'go-manage-employees', label: 'Manage Employees', accelerator: 'CmdOrCtrl+E', enabled: false },
      { id: 'go-outbox', label: 'Outbox', accelerator: 'CmdOrCtrl+Shift+O', enabled: false },
      { id: undefined, label: undefined, accelerator: undefined, enabled: undefined },
      { id: 'go-import-phones', label: 'Import Phone Numbers…', accelerator: 'CmdOrCtrl+Shift+M', enabled: false },
    ]);
    expect(() => admin.forEach(click)).not.toThrow();

    const goToEmployees = vi.fn();
    const wired = template({ navigation: { 'manage-employees': goToEmployees } });
    expect(byId(wired, 'go-manage-employees')).toMatchObject({ enabled: true });
    expect(byId(wired, 'go-outbox')).toMatchObject({ enabled: false });
    click(byId(wired, 'go-manage-employees'));
    expect(goToEmployees).toHaveBeenCalledOnce();

    const goToOutbox = vi.fn();
    const both = template({ navigation: { 'manage-employees': goToEmployees, outbox: goToOutbox } });
    expect(byId(both, 'go-outbox')).toMatchObject({ enabled: true });
    click(byId(both, 'go-outbox'));
    expect(goToOutbox).toHaveBeenCalledOnce();
  });

  it('no two items share a shortcut', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const accelerators = allItems(template({ platform, isDevToolsAllowed: true })).flatMap((item) => (item.accelerator ? [String(item.accelerator)] : []));
      expect(new Set(accelerators).size, platform).toBe(accelerators.length);
      expect(accelerators).toEqual(expect.arrayContaining(Object.values(MENU_SCREENS).map((screen) => screen.accelerator)));
    }
  });

  it('Help items call their actions', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const onOpenLogsFolder = vi.fn();
      const onAbout = vi.fn();
      const items = template({ platform, onOpenLogsFolder, onAbout });
      click(byId(items, 'open-logs-folder'));
      click(byId(items, 'about'));
      expect(onOpenLogsFolder).toHaveBeenCalledOnce();
      expect(onAbout).toHaveBeenCalledOnce();
    }
  });
});
