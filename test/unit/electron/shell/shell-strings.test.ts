import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions, OpenDialogOptions } from 'electron';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_LOCALES } from '../../../../common/i18n/locale-choice';
import { silentLogger } from '../../../../electron/main/log';
import { createLanguageService } from '../../../../electron/main/services/language';
import { chooseCaFile } from '../../../../electron/main/shell/ca-file-picker';
import { createImportFileDialog } from '../../../../electron/main/shell/import-file-dialog';
import { openLogsFolder } from '../../../../electron/main/shell/logs-folder';
import { applicationMenuTemplate, MENU_SCREENS } from '../../../../electron/main/shell/menu';
import { fill, followLanguage, SHELL_STRINGS, shellStrings, type ShellStrings } from '../../../../electron/main/shell/shell-strings';

type Item = MenuItemConstructorOptions;
const submenu = (item: Item): Item[] => (Array.isArray(item.submenu) ? item.submenu : []);
const allItems = (items: Item[]): Item[] => items.flatMap((item) => [item, ...allItems(submenu(item))]);
/** The labels the menu sets itself (role items without a label are Electron's and the OS's). */
const ownLabels = (items: Item[]): string[] => allItems(items).flatMap((item) => (item.label === undefined ? [] : [item.label]));

function menu(strings: ShellStrings, platform: NodeJS.Platform = 'linux'): Item[] {
  return applicationMenuTemplate({ platform, productName: 'Portal Admin', isDevToolsAllowed: false, strings, onOpenLogsFolder: () => undefined, onAbout: () => undefined });
}

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("main's own words (menu and native dialogs)", () => {
  const english = SHELL_STRINGS.en;
  const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();

  it.each(APP_LOCALES.filter((locale) => locale !== 'en'))('%s has every key, each translated text with the same placeholders', (locale) => {
    const strings = SHELL_STRINGS[locale];
    expect(Object.keys(strings).sort()).toEqual(Object.keys(english).sort());
    for (const key of Object.keys(english) as (keyof ShellStrings)[]) {
      expect(strings[key].trim(), `${locale}.${key}`).not.toBe('');
      expect(placeholders(strings[key]), `${locale}.${key}`).toEqual(placeholders(english[key]));
    }
    // Only "Admin" (the portal's own tab name) reads the same as in English.
    const same = (Object.keys(english) as (keyof ShellStrings)[]).filter((key) => strings[key] === english[key]);
    expect(same).toEqual(['admin']);
  });

  it.each(APP_LOCALES)('every menu label in %s comes from the catalogue (no English left over in another language)', (locale) => {
    const strings = SHELL_STRINGS[locale];
    for (const platform of ['linux', 'darwin'] as const) {
      const labels = ownLabels(menu(strings, platform)).map((label) => label.replace(/^&/, ''));
      const expected = new Set([...Object.values(strings), fill(strings.about, { product: 'Portal Admin' }), 'Portal Admin']);
      expect(labels.filter((label) => !expected.has(label))).toEqual([]);
      for (const screen of Object.values(MENU_SCREENS)) expect(labels).toContain(strings[screen.label]);
    }
  });

  it('builds the German menu with German titles and mnemonics', () => {
    const items = menu(shellStrings('de'));
    expect(items.map((item) => item.label)).toEqual(['&Datei', '&Bearbeiten', '&Ansicht', '&Admin', '&Fenster', '&Hilfe']);
    expect(ownLabels(items)).toContain('Über Portal Admin');
    expect(ownLabels(items)).toContain('Mitarbeiter verwalten');
  });

  it('rebuilds the menu when the Language setting changes, in the new language, and stops when unsubscribed', () => {
    const folder = mkdtempSync(join(tmpdir(), 'portal-admin-language-'));
    folders.push(folder);
    const language = createLanguageService({ userDataDir: folder, log: silentLogger, systemLanguages: () => ['fr-CA', 'en-US'] });
    const installed: Item[][] = [];
    const stop = followLanguage(language, (strings) => installed.push(menu(strings)));

    // "auto" follows the OS: French first.
    expect(installed.map((items) => items[0]!.label)).toEqual(['&Fichier']);
    language.set('de');
    expect(installed.map((items) => items[0]!.label)).toEqual(['&Fichier', '&Datei']);
    language.set('de'); // unchanged: nothing to rebuild
    expect(installed).toHaveLength(2);
    language.set('auto');
    expect(installed.at(-1)![0]!.label).toBe('&Fichier');

    stop();
    language.set('es');
    expect(installed).toHaveLength(3);
    expect(language.locale()).toBe('es');
  });

  it('titles the CA certificate and import file dialogs in the language shown', async () => {
    const seen: OpenDialogOptions[] = [];
    const showOpenDialog = async (...args: unknown[]) => {
      seen.push(args.at(-1) as OpenDialogOptions);
      return { canceled: true, filePaths: [] };
    };
    await chooseCaFile({ showOpenDialog } as never, null, shellStrings('fr'));
    await createImportFileDialog({ showOpenDialog: (_window, options) => showOpenDialog(options), window: () => null, strings: () => shellStrings('es') }).openCsv();
    expect(seen.map((options) => options.title)).toEqual(['Choisir le certificat d’autorité du portail', 'Importar números']);
    expect(seen[1]!.filters?.map((filter) => filter.name)).toEqual(['Archivos CSV', 'Todos los archivos']);
  });

  it('says in the language shown where the logs are when their folder cannot be opened', async () => {
    const shown: string[][] = [];
    const isOpened = await openLogsFolder({
      directory: join(tmpdir(), `portal-admin-logs-${process.pid}`),
      openPath: async () => 'no file manager',
      showError: (title, content) => shown.push([title, content]),
      log: silentLogger,
      strings: shellStrings('de'),
    });
    expect(isOpened).toBe(false);
    expect(shown[0]![0]).toBe('Der Protokollordner konnte nicht geöffnet werden');
    expect(shown[0]![1]).toContain('Die Protokolle liegen in ');
  });
});
