/**
 * Every text privacy mode shows, in each language the app speaks. Placeholders are written
 * `{name}` (the vue-i18n syntax); `fillMessage` fills them. The app uses the English texts.
 */
export interface PrivacyMessages {
  toggleLabel: string;
  toggleOnTooltip: string;
  toggleOffTooltip: string;
  showNumber: string;
  hideNumber: string;
  showNumberOf: string;
  hideNumberOf: string;
  revealTooltip: string;
  fieldHint: string;
  exportTitle: string;
  exportText: string;
  exportConfirm: string;
  exportCancel: string;
  notSaved: string;
}

export const PRIVACY_LOCALES = ['en', 'de', 'fr', 'es'] as const;
export type PrivacyLocale = (typeof PRIVACY_LOCALES)[number];

export const PRIVACY_MESSAGES: Readonly<Record<PrivacyLocale, PrivacyMessages>> = {
  en: {
    toggleLabel: 'Privacy',
    toggleOnTooltip: 'Privacy mode is on: phone numbers are masked. Turn it off to show them.',
    toggleOffTooltip: 'Turn on privacy mode: mask phone numbers while you share your screen.',
    showNumber: 'Show number',
    hideNumber: 'Hide number',
    showNumberOf: 'Show {name}’s number',
    hideNumberOf: 'Hide {name}’s number',
    revealTooltip: 'Shows the number for 30 seconds',
    fieldHint: 'Privacy mode: type the new number, or Show number to edit the one on record.',
    exportTitle: 'Export full numbers?',
    exportText: 'Privacy mode is on. The file will contain full numbers.',
    exportConfirm: 'Export',
    exportCancel: 'Cancel',
    notSaved: 'Privacy mode could not be remembered for next time: {reason}',
  },
  de: {
    toggleLabel: 'Datenschutz',
    toggleOnTooltip: 'Der Datenschutzmodus ist an: Telefonnummern werden maskiert. Schalten Sie ihn aus, um sie anzuzeigen.',
    toggleOffTooltip: 'Datenschutzmodus einschalten: Telefonnummern maskieren, während Sie Ihren Bildschirm teilen.',
    showNumber: 'Nummer anzeigen',
    hideNumber: 'Nummer verbergen',
    showNumberOf: 'Nummer von {name} anzeigen',
    hideNumberOf: 'Nummer von {name} verbergen',
    revealTooltip: 'Zeigt die Nummer 30 Sekunden lang an',
    fieldHint: 'Datenschutzmodus: Geben Sie die neue Nummer ein, oder wählen Sie „Nummer anzeigen“, um die hinterlegte zu bearbeiten.',
    exportTitle: 'Vollständige Nummern exportieren?',
    exportText: 'Der Datenschutzmodus ist an. Die Datei enthält die vollständigen Nummern.',
    exportConfirm: 'Exportieren',
    exportCancel: 'Abbrechen',
    notSaved: 'Der Datenschutzmodus konnte nicht für das nächste Mal gespeichert werden: {reason}',
  },
  fr: {
    toggleLabel: 'Confidentialité',
    toggleOnTooltip: 'Le mode confidentialité est activé : les numéros de téléphone sont masqués. Désactivez-le pour les afficher.',
    toggleOffTooltip: 'Activer le mode confidentialité : masquer les numéros de téléphone pendant que vous partagez votre écran.',
    showNumber: 'Afficher le numéro',
    hideNumber: 'Masquer le numéro',
    showNumberOf: 'Afficher le numéro de {name}',
    hideNumberOf: 'Masquer le numéro de {name}',
    revealTooltip: 'Affiche le numéro pendant 30 secondes',
    fieldHint: 'Mode confidentialité : saisissez le nouveau numéro, ou choisissez « Afficher le numéro » pour modifier celui enregistré.',
    exportTitle: 'Exporter les numéros complets ?',
    exportText: 'Le mode confidentialité est activé. Le fichier contiendra les numéros complets.',
    exportConfirm: 'Exporter',
    exportCancel: 'Annuler',
    notSaved: 'Le mode confidentialité n’a pas pu être enregistré pour la prochaine fois : {reason}',
  },
  es: {
    toggleLabel: 'Privacidad',
    toggleOnTooltip: 'El modo privacidad está activado: los números de teléfono aparecen ocultos. Desactívelo para mostrarlos.',
    toggleOffTooltip: 'Active el modo privacidad: oculte los números de teléfono mientras comparte su pantalla.',
    showNumber: 'Mostrar número',
    hideNumber: 'Ocultar número',
    showNumberOf: 'Mostrar el número de {name}',
    hideNumberOf: 'Ocultar el número de {name}',
    revealTooltip: 'Muestra el número durante 30 segundos',
    fieldHint: 'Modo privacidad: escriba el número nuevo, o elija «Mostrar número» para editar el registrado.',
    exportTitle: '¿Exportar los números completos?',
    exportText: 'El modo privacidad está activado. El archivo contendrá los números completos.',
    exportConfirm: 'Exportar',
    exportCancel: 'Cancelar',
    notSaved: 'No se pudo guardar el modo privacidad para la próxima vez: {reason}',
  },
};

/** The texts in use (English until the app chooses a language). */
export const privacyMessages: PrivacyMessages = PRIVACY_MESSAGES.en;

/** `'Show {name}’s number'` with `{ name: 'Ada' }` → `Show Ada’s number`; an unknown placeholder stays as it is. */
export function fillMessage(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? values[key]! : whole));
}
