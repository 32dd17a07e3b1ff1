import { APP_LOCALES, type AppLocale } from '../../../common/i18n/locale-choice';

/**
 * The words main shows itself (the application menu, the native file dialogs, the logs-folder
 * error box), in the app's languages. The language is the one the window shows: the Language
 * setting, or the OS's languages when it is "auto" (LanguageService.locale()). The standard
 * menu roles (Undo, Copy, Quit…) are labelled by Electron and the OS, not here.
 * `{name}` is a placeholder, filled by `fill`.
 */
const en = {
  file: 'File',
  edit: 'Edit',
  view: 'View',
  admin: 'Admin',
  window: 'Window',
  help: 'Help',
  manageEmployees: 'Manage Employees',
  outbox: 'Outbox',
  importPhones: 'Import Phone Numbers…',
  openLogsFolder: 'Open Logs Folder',
  about: 'About {product}',
  caDialogTitle: 'Choose the portal’s CA certificate',
  certificatesFilter: 'Certificates (PEM)',
  allFiles: 'All files',
  importDialogTitle: 'Import phone numbers',
  importDialogButton: 'Choose',
  csvFilter: 'CSV files',
  logsFolderFailed: 'The logs folder could not be opened',
  logsFolderWhere: 'The logs are in {directory}',
};
export type ShellStrings = typeof en;
export type ShellStringKey = keyof ShellStrings;

const de: ShellStrings = {
  file: 'Datei',
  edit: 'Bearbeiten',
  view: 'Ansicht',
  admin: 'Admin',
  window: 'Fenster',
  help: 'Hilfe',
  manageEmployees: 'Mitarbeiter verwalten',
  outbox: 'Postausgang',
  importPhones: 'Mobilnummern importieren…',
  openLogsFolder: 'Protokollordner öffnen',
  about: 'Über {product}',
  caDialogTitle: 'CA-Zertifikat des Portals auswählen',
  certificatesFilter: 'Zertifikate (PEM)',
  allFiles: 'Alle Dateien',
  importDialogTitle: 'Mobilnummern importieren',
  importDialogButton: 'Auswählen',
  csvFilter: 'CSV-Dateien',
  logsFolderFailed: 'Der Protokollordner konnte nicht geöffnet werden',
  logsFolderWhere: 'Die Protokolle liegen in {directory}',
};

const fr: ShellStrings = {
  file: 'Fichier',
  edit: 'Édition',
  view: 'Affichage',
  admin: 'Admin',
  window: 'Fenêtre',
  help: 'Aide',
  manageEmployees: 'Gérer les employés',
  outbox: 'Boîte d’envoi',
  importPhones: 'Importer des numéros…',
  openLogsFolder: 'Ouvrir le dossier des journaux',
  about: 'À propos de {product}',
  caDialogTitle: 'Choisir le certificat d’autorité du portail',
  certificatesFilter: 'Certificats (PEM)',
  allFiles: 'Tous les fichiers',
  importDialogTitle: 'Importer des numéros',
  importDialogButton: 'Choisir',
  csvFilter: 'Fichiers CSV',
  logsFolderFailed: 'Impossible d’ouvrir le dossier des journaux',
  logsFolderWhere: 'Les journaux se trouvent dans {directory}',
};

const es: ShellStrings = {
  file: 'Archivo',
  edit: 'Edición',
  view: 'Ver',
  admin: 'Admin',
  window: 'Ventana',
  help: 'Ayuda',
  manageEmployees: 'Gestionar empleados',
  outbox: 'Bandeja de salida',
  importPhones: 'Importar números…',
  openLogsFolder: 'Abrir la carpeta de registros',
  about: 'Acerca de {product}',
  caDialogTitle: 'Elegir el certificado de CA del portal',
  certificatesFilter: 'Certificados (PEM)',
  allFiles: 'Todos los archivos',
  importDialogTitle: 'Importar números',
  importDialogButton: 'Elegir',
  csvFilter: 'Archivos CSV',
  logsFolderFailed: 'No se pudo abrir la carpeta de registros',
  logsFolderWhere: 'Los registros están en {directory}',
};

export const SHELL_STRINGS: Readonly<Record<AppLocale, ShellStrings>> = { en, de, fr, es };

/** Main's words in a language (English for one the app does not have). */
export function shellStrings(locale: AppLocale): ShellStrings {
  return (APP_LOCALES as readonly string[]).includes(locale) ? SHELL_STRINGS[locale] : en;
}

/** "About {product}" with `{ product: 'Portal Admin' }` → "About Portal Admin". */
export function fill(text: string, params: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? params[name]! : whole));
}

/**
 * Calls `install` with main's words in the language shown now, and again each time the Language
 * setting changes (the menu is rebuilt in the new language). Returns the unsubscribe.
 */
export function followLanguage(language: { locale(): AppLocale; onChanged(listener: () => void): () => void }, install: (strings: ShellStrings) => void): () => void {
  install(shellStrings(language.locale()));
  return language.onChanged(() => install(shellStrings(language.locale())));
}
