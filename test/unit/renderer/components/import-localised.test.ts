import { DOMWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { ok, type ImportChange, type ImportError, type ImportReport, type ImportState } from '../../../../common/ipc';
import ImportPhonesButton from '../../../../renderer/components/import/ImportPhonesButton.vue';
import ImportReportTables from '../../../../renderer/components/import/ImportReportTables.vue';
import { setLocale } from '../../../../renderer/i18n';
import { useImportStore } from '../../../../renderer/stores/imports';
import { usePrivacyStore } from '../../../../renderer/stores/privacy';
import { NO_IMPORT } from '../support/fake-portal';
import { mountWithApp, settle, type Harness } from '../support/mount';
import { signedInIn } from '../support/signed-in-in';

/**
 * The import window words main's codes itself: every row error, file problem, outcome and activity
 * in the language shown (never main's English `message`), numbers through privacy mode.
 */

let harness: Harness;
signedInIn('de', (each) => (harness = each));

const body = () => new DOMWrapper(document.body);
/** Main's English sentences: none may show in another language. */
const ENGLISH = 'MAIN ENGLISH SENTENCE';

const ERRORS: ImportError[] = [
  { row: 2, message: ENGLISH, code: 'no_employee_key' },
  { row: 3, message: ENGLISH, code: 'id_email_mismatch', value: 'acme-0104', email: 'jane.doe@acme.test' },
  { row: 4, message: ENGLISH, code: 'unknown_id', value: 'acme-9999' },
  { row: 5, message: ENGLISH, code: 'unknown_email', value: 'max@acme.test' },
  { row: 6, message: ENGLISH, code: 'unknown_country', value: 'Atlantis', name: 'Zoë Müller' },
  { row: 7, message: ENGLISH, code: 'no_number', name: 'Seán O’Brien' },
  { row: 8, message: ENGLISH, code: 'duplicate_same', name: 'Zoë Müller', otherRow: 6 },
  { row: 9, message: ENGLISH, code: 'duplicate_different', name: 'Jane Doe', otherRow: 1_234 },
  { row: 10, message: ENGLISH, code: 'invalid_number', value: '+1 212 555 0100 ext. 12', name: 'Jürgen Weiß', reason: 'extension_not_allowed' },
];

const CHANGE: ImportChange = { row: 2, employeeId: 'e-1', name: 'Zoë Müller', email: 'zoe@acme.test', oldPhone: '+4915123456789', newPhone: '+4915198765432', version: 1, warning: null, status: 'applied', message: null };
const APPLIED: ImportChange[] = [
  { ...CHANGE, row: 2, employeeId: 'e-2', status: 'conflict', message: ENGLISH, portalPhone: '+442079460000' },
  { ...CHANGE, row: 3, employeeId: 'e-3', status: 'conflict', message: ENGLISH, portalPhone: null },
  { ...CHANGE, row: 4, employeeId: 'e-4', status: 'conflict', message: ENGLISH },
  { ...CHANGE, row: 5, employeeId: 'e-5', status: 'refused', message: ENGLISH, errorCode: 'forbidden' },
  { ...CHANGE, row: 6, employeeId: 'e-6', status: 'refused', message: ENGLISH, errorCode: 'unreachable_type' },
  { ...CHANGE, row: 7, employeeId: 'e-7', status: 'not_sent', message: ENGLISH, notSentCode: 'cancelled' },
  { ...CHANGE, row: 8, employeeId: 'e-8', status: 'not_sent', message: ENGLISH, notSentCode: 'request_refused', errorCode: 'unauthenticated' },
  { ...CHANGE, row: 9, employeeId: 'e-9', status: 'not_sent', message: ENGLISH, notSentCode: 'draft_failed', errorCode: 'keychain_unavailable' },
  { ...CHANGE, row: 10, employeeId: 'e-10', status: 'drafted', message: ENGLISH },
  { ...CHANGE, row: 11, employeeId: 'e-11', status: 'applied', warning: 'landline', newPhone: '+4930901820' },
];
const report = (changes: ImportChange[], errors: ImportError[]): ImportReport => ({ changes, errors, totalChanges: changes.length, totalErrors: errors.length });

/** The "What is wrong" cell of each row of the errors table. */
function errorTexts(wrapper: ReturnType<typeof mountWithApp>): string[] {
  return wrapper.findAll('[data-testid="import-errors"] tbody tr').map((row) => row.findAll('td')[1]!.text());
}

describe('the import window in German', () => {
  it('every row error by its code, in German, with the cells it names', () => {
    const wrapper = mountWithApp(ImportReportTables, harness, { props: { report: report([], ERRORS), isApplied: false } });
    expect(errorTexts(wrapper)).toEqual([
      'Diese Zeile hat weder eine Mitarbeiter-ID noch eine E-Mail-Adresse.',
      'Mitarbeiter-ID „acme-0104“ und E-Mail-Adresse „jane.doe@acme.test“ gehören zu zwei verschiedenen Mitarbeitenden.',
      'Unbekannte Person: In Ihrem Unternehmen gibt es niemanden mit der Mitarbeiter-ID „acme-9999“.',
      'Unbekannte Person: In Ihrem Unternehmen gibt es niemanden mit der E-Mail-Adresse „max@acme.test“.',
      'Unbekanntes Land „Atlantis“ bei Zoë Müller. Verwenden Sie einen Code aus zwei Buchstaben wie GB oder DE oder lassen Sie das Feld leer.',
      'Keine Mobilnummer bei Seán O’Brien (ein Import entfernt keine Nummern).',
      'Doppelte Zeile für Zoë Müller: Zeile 6 enthält bereits diese Nummer (diese Zeile wird ignoriert).',
      'Doppelte Zeile für Jane Doe: Zeile 1.234 enthält eine andere Nummer. Behalten Sie eine Zeile pro Person.',
      'Ungültige Nummer „+1 212 555 0100 ext. 12“ bei Jürgen Weiß: Entfernen Sie die Durchwahl: Ein Anmeldecode erreicht keine Nebenstelle.',
    ]);
    expect(wrapper.text()).not.toContain(ENGLISH);
  });

  it('what became of each change after an apply, in German; a conflict names the number the portal holds now', () => {
    const wrapper = mountWithApp(ImportReportTables, harness, { props: { report: report(APPLIED, []), isApplied: true } });
    const notes = wrapper.findAll('[data-testid="import-changes"] tbody tr').map((row) => row.findAll('td')[3]!.find('.text-body-2').text());
    expect(notes).toEqual([
      'Seit der Prüfung im Portal geändert (dort jetzt: +44 20 7946 0000); nichts wurde überschrieben. Prüfen Sie die Datei erneut.',
      'Seit der Prüfung im Portal geändert (dort jetzt ohne Nummer); nichts wurde überschrieben. Prüfen Sie die Datei erneut.',
      'Seit der Prüfung im Portal geändert; nichts wurde überschrieben. Prüfen Sie die Datei erneut.',
      'Das kann nur ein Portal-Administrator.',
      'Premium-, kostenlose, Shared-Cost-, Pager- und Weiterleitungsnummern (und andere Dienstnummern wie Mailboxen) können keine Anmeldecodes empfangen. Geben Sie die eigene Mobilnummer des Mitarbeiters ein.',
      'Nicht gesendet: Der Import wurde abgebrochen.',
      'Nicht gesendet: Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an.',
      expect.stringMatching(/^Nicht gesendet und konnte nicht als Entwurf gespeichert werden: Der Schlüsselbund des Systems ist nicht erreichbar\./) as unknown as string,
      'Das Portal war nicht erreichbar: als Entwurf im Postausgang gespeichert.',
      'Festnetz: Anmeldecodes per Sprachanruf, nicht per SMS.',
    ]);
    expect(wrapper.text()).not.toContain(ENGLISH);
  });

  it('every file problem by its code, in German (main’s English never shows)', async () => {
    harness.portal.api.imports.getState.mockResolvedValue(ok({ ...NO_IMPORT, phase: 'loaded', file: { name: 'staff.csv', size: 10 } }));
    mountWithApp(ImportPhonesButton, harness);
    await useImportStore(harness.pinia).open();
    await settle();
    const problems: [Partial<ImportState>, string][] = [
      [{ problemCode: 'file_too_large', problemParams: { name: 'huge.csv', max: 32 } }, '„huge.csv“ ist größer als 32 MiB. Teilen Sie die Datei in kleinere Dateien auf.'],
      [{ problemCode: 'file_empty', problemParams: { name: 'leer.csv' } }, '„leer.csv“ ist leer.'],
      [{ problemCode: 'not_csv', problemParams: { row: 12 } }, 'Die Datei konnte nicht als CSV gelesen werden (bei Zeile 12). Speichern Sie sie in der Tabellenkalkulation als „CSV“ und versuchen Sie es erneut.'],
      [{ problemCode: 'quote_not_closed', problemParams: { row: 2 } }, 'Die Datei konnte nicht als CSV gelesen werden: Eine Zelle in Anführungszeichen, die in Zeile 2 beginnt, endet nie (ein schließendes Anführungszeichen fehlt).'],
      [{ problemCode: 'text_after_quote', problemParams: { row: 3 } }, 'Die Datei konnte nicht als CSV gelesen werden: In Zeile 3 folgt Text direkt auf ein schließendes Anführungszeichen.'],
      [{ problemCode: 'too_many_rows', problemParams: { max: 100_000 } }, 'Die Datei hat mehr als 100.000 Zeilen. Teilen Sie sie in kleinere Dateien auf und importieren Sie diese nacheinander.'],
      [{ problemCode: 'no_header', problemParams: {} }, 'Die Datei ist leer: Sie hat keine Kopfzeile.'],
      [{ problemCode: 'no_phone_column', problemParams: { columns: ['Name', 'Telefon'] } }, 'Die Datei hat keine Spalte für die Telefonnummer. Nennen Sie eine Spalte „Cell phone number“ (gefunden: “Name”, “Telefon”).'],
      [{ problemCode: 'no_phone_column', problemParams: { columns: [] } }, 'Die Datei hat keine Spalte für die Telefonnummer. Nennen Sie eine Spalte „Cell phone number“ (gefunden: keine Spaltennamen).'],
      [{ problemCode: 'no_match_column', problemParams: {} }, 'Die Datei hat keine Spalte „Employee ID“ oder „Email“, daher können ihre Zeilen keinen Mitarbeitenden zugeordnet werden.'],
      [{ problemCode: 'request_failed', problemParams: { errorCode: 'offline' } }, 'Die Datei konnte nicht geprüft werden: Das Portal ist nicht erreichbar. Prüfen Sie die Netzwerkverbindung und versuchen Sie es erneut.'],
      [{ problemCode: 'failed', problemParams: {} }, 'In Portal Admin ist ein Fehler aufgetreten. Versuchen Sie es erneut.'],
      // An older main without a code: its English is not shown in German.
      [{ problemCode: undefined, problemParams: undefined }, 'In Portal Admin ist ein Fehler aufgetreten. Versuchen Sie es erneut.'],
    ];
    for (const [patch, expected] of problems) {
      harness.portal.emitImport({ ...NO_IMPORT, phase: 'loaded', file: { name: 'staff.csv', size: 10 }, problem: ENGLISH, ...patch });
      await settle();
      expect(body().get('[data-testid="import-problem"]').text()).toBe(expected);
    }
  });

  it('the activity in the progress line, in German', async () => {
    const applying: ImportState = { ...NO_IMPORT, phase: 'applying', file: { name: 'staff.csv', size: 10 }, counts: { changes: 10_000, unchanged: 0, errors: 0 }, activity: 'applying', progress: { done: 2_500, total: 10_000 } };
    harness.portal.api.imports.getState.mockResolvedValue(ok(applying));
    mountWithApp(ImportPhonesButton, harness);
    await useImportStore(harness.pinia).open();
    await settle();
    const progress = () => body().get('[data-testid="import-progress"]');
    expect(progress().text()).toBe('Änderungen werden übernommen… 2.500 von 10.000');
    expect(progress().find('[role="progressbar"]').attributes('aria-label')).toBe('Änderungen werden übernommen');
    for (const [activity, words] of [
      ['reading', 'Datei wird gelesen'],
      ['loading_employees', 'Mitarbeitende werden vom Portal geladen'],
      ['checking_rows', 'Zeilen werden geprüft'],
      ['waiting_for_code', 'Warten auf einen Code zur Bestätigung Ihrer Identität'],
    ] as const) {
      harness.portal.emitImport({ ...applying, phase: activity === 'waiting_for_code' ? 'applying' : 'checking', activity });
      await settle();
      expect(progress().text()).toBe(`${words}… 2.500 von 10.000`);
    }
  });
});

describe('the import window in French and Spanish', () => {
  it('French: row errors and outcomes', async () => {
    await setLocale('fr');
    const wrapper = mountWithApp(ImportReportTables, harness, { props: { report: report(APPLIED.slice(0, 1), ERRORS.slice(7, 9)), isApplied: true } });
    expect(errorTexts(wrapper)).toEqual([
      'Ligne en double pour Jane Doe : la ligne 1\u202f234 contient un autre numéro. Gardez une seule ligne par employé.',
      'Numéro non valide « +1 212 555 0100 ext. 12 » pour Jürgen Weiß : Supprimez le numéro de poste\u00a0: un code de connexion ne peut pas joindre un poste.',
    ]);
    expect(wrapper.text()).toContain('Modifié sur le portail depuis la vérification (il indique maintenant +44 20 7946 0000) ; rien n’a été écrasé. Vérifiez à nouveau le fichier.');
    expect(wrapper.text()).not.toContain(ENGLISH);
  });

  it('Spanish: row errors, outcomes and a file problem', async () => {
    await setLocale('es');
    const wrapper = mountWithApp(ImportReportTables, harness, { props: { report: report(APPLIED.slice(6, 9), ERRORS.slice(2, 4)), isApplied: true } });
    expect(errorTexts(wrapper)).toEqual([
      'Empleado desconocido: no hay ningún empleado con el ID «acme-9999» en su empresa.',
      'Empleado desconocido: no hay ningún empleado con el correo «max@acme.test» en su empresa.',
    ]);
    expect(wrapper.text()).toContain('No enviado: Su sesión ha terminado. Vuelva a iniciar sesión.');
    expect(wrapper.text()).toContain('No se pudo conectar con el portal: se guardó como borrador en la bandeja de salida.');
    expect(wrapper.text()).not.toContain(ENGLISH);

    harness.portal.api.imports.getState.mockResolvedValue(ok({ ...NO_IMPORT, phase: 'loaded', file: { name: 'x.csv', size: 10 }, problem: ENGLISH, problemCode: 'too_many_rows', problemParams: { max: 100_000 } }));
    mountWithApp(ImportPhonesButton, harness);
    await useImportStore(harness.pinia).open();
    await settle();
    expect(body().get('[data-testid="import-problem"]').text()).toBe('El archivo tiene más de 100.000 filas. Divídalo en archivos más pequeños e impórtelos uno tras otro.');
  });
});

describe('the import report in privacy mode', () => {
  it('an invalid number and a conflict’s number on the portal are masked; no full number on the page', async () => {
    await setLocale('en');
    // The harness's own Pinia: a locale change re-renders earlier tests' windows, which makes theirs the active one.
    const privacy = usePrivacyStore(harness.pinia);
    await privacy.setOn(true);
    const wrapper = mountWithApp(ImportReportTables, harness, { props: { report: report(APPLIED.slice(0, 1), ERRORS.slice(8, 9)), isApplied: true } });
    expect(errorTexts(wrapper)).toEqual([
      'Invalid number “•••• ••0100” for Jürgen Weiß: Remove the extension: a login code cannot reach an extension.',
    ]);
    expect(wrapper.text()).toContain('Changed on the portal since the check (it now has +44 •••• ••0000); nothing was overwritten. Check the file again.');
    expect(wrapper.text()).not.toMatch(/212 555 0100|2125550100|20 7946 0000|2079460000|15198765432|15123456789/);

    await privacy.setOn(false);
    await settle();
    expect(errorTexts(wrapper)[0]).toContain('“+1 212 555 0100 ext. 12”');
    expect(wrapper.text()).toContain('(it now has +44 20 7946 0000)');
  });
});
