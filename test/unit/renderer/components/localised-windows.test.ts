import { DOMWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { ok, type ImportReport, type ImportState } from '../../../../common/ipc';
import ImportPhonesButton from '../../../../renderer/components/import/ImportPhonesButton.vue';
import ImportReportTables from '../../../../renderer/components/import/ImportReportTables.vue';
import LaunchPortalPrompt from '../../../../renderer/components/shell/LaunchPortalPrompt.vue';
import StepUpDialog from '../../../../renderer/components/shell/StepUpDialog.vue';
import PortalSettingsForm from '../../../../renderer/components/sign-in/PortalSettingsForm.vue';
import { setLocale } from '../../../../renderer/i18n';
import { useImportStore } from '../../../../renderer/stores/imports';
import { useStepUpStore } from '../../../../renderer/stores/step-up';
import { NO_IMPORT } from '../support/fake-portal';
import { mountWithApp, settle, type Harness } from '../support/mount';
import { signedInIn } from '../support/signed-in-in';

/** The portal settings, the step-up prompt, the launch-portal question and the import window in German (and French plurals). */

let harness: Harness;
signedInIn('de', (each) => (harness = each));

const body = () => new DOMWrapper(document.body);
const buttonTexts = () => body().findAll('button').map((button) => button.text());

const CHECKED: ImportState = {
  ...NO_IMPORT,
  phase: 'checked',
  file: { name: 'staff.csv', size: 2048 },
  reading: { encoding: 'windows-1252', delimiter: ';', rows: 12_345 },
  counts: { changes: 10_000, unchanged: 1, errors: 0 },
};
const REPORT: ImportReport = {
  changes: [{ row: 2, employeeId: 'e-1', name: 'Zoë Müller', email: 'zoe@acme.test', oldPhone: null, newPhone: '+4930901820', version: 1, warning: 'landline', status: 'conflict', message: null }],
  errors: [],
  totalChanges: 10_000,
  totalErrors: 0,
};

describe('localised windows', () => {
  it('portal settings: labels, the certificate line and the address rules in German', async () => {
    mountWithApp(PortalSettingsForm, harness);
    await settle();
    expect(body().text()).toContain('Geben Sie die Adresse des Partnerportals Ihres Unternehmens ein.');
    expect(body().find('[data-testid="ca-file-name"]').text()).toBe('Keine (Zertifikate des Systems)');
    expect(body().find('label').text()).toContain('Portaladresse');
    await body().find('input[type="url"]').setValue('http://portal.example.com');
    await body().find('form').trigger('submit');
    await settle();
    expect(body().text()).toContain('Die Adresse muss mit https:// beginnen (das Portal ist nur über HTTPS erreichbar).');
  });

  it('step-up prompt: title, the shared code instructions and buttons in German', async () => {
    mountWithApp(StepUpDialog, harness);
    void useStepUpStore().confirm();
    await settle();
    const dialog = body().find('[data-testid="step-up-instructions"]');
    expect(body().text()).toContain('Bestätigen Sie Ihre Identität');
    expect(dialog.text()).toContain('••••\u00a00142'); // one word: never broken across lines
    expect(dialog.text()).toMatch(/^Wir senden/);
    expect(buttonTexts()).toContain('Code senden');
    expect(buttonTexts()).toContain('Abbrechen');
    useStepUpStore().cancel();
  });

  it('launch-portal question: the certificate problem by its code, in German', async () => {
    harness.portal.api.settings.getLaunchPortal.mockResolvedValue(
      ok({ portalUrl: 'https://portal.other.test', caFile: '/etc/other-ca.pem', caFingerprints: [], caProblem: 'not_a_certificate', currentPortalUrl: null }),
    );
    mountWithApp(LaunchPortalPrompt, harness);
    await settle();
    const text = document.getElementById('launch-portal-text')!.textContent ?? '';
    expect(text).toContain('Portal Admin wurde mit der Portaladresse https://portal.other.test gestartet');
    expect(text).toContain('Wählen Sie eine PEM-Datei');
    expect(buttonTexts()).toContain('Meine Einstellungen behalten');
  });

  it('import window: counts with German plurals and number formats, "Apply" with its count', async () => {
    harness.portal.api.imports.getState.mockResolvedValue(ok(CHECKED));
    harness.portal.api.imports.getReport.mockResolvedValue(ok(REPORT));
    mountWithApp(ImportPhonesButton, harness);
    await useImportStore().open();
    await settle();
    expect(body().find('#import-title').text()).toBe('Mobilnummern importieren');
    expect(body().find('[data-testid="import-counts"]').text()).toBe('10.000 Änderungen, 1 unverändert, 0 Fehler');
    expect(body().text()).toContain('Gelesen als Windows-1252, getrennt durch „;“, 12.345 Zeilen.');
    expect(buttonTexts()).toContain('10.000 Änderungen übernehmen');
  });

  it('import report: column headers, result, conflict note and the cut note in German; French plural of 0', async () => {
    const wrapper = mountWithApp(ImportReportTables, harness, { props: { report: REPORT, isApplied: true } });
    const headers = wrapper.findAll('th').map((header) => header.text());
    expect(headers).toEqual(['Zeile', 'Mitarbeiter/in', 'Nummer', 'Ergebnis']);
    expect(wrapper.find('.import-result--conflict').text()).toBe('Konflikt');
    expect(wrapper.text()).toContain('Seit der Prüfung im Portal geändert; nichts wurde überschrieben. Prüfen Sie die Datei erneut.');
    expect(wrapper.text()).toContain('1 von 10.000 Änderungen angezeigt');
    expect(wrapper.text()).toContain('Keine Nummer');

    await setLocale('fr');
    harness.portal.api.imports.getState.mockResolvedValue(ok({ ...CHECKED, counts: { changes: 0, unchanged: 2, errors: 1 } }));
    mountWithApp(ImportPhonesButton, harness);
    await useImportStore().open();
    await settle();
    // French: 0 and 1 take the singular.
    expect(body().find('[data-testid="import-counts"]').text()).toBe('0 modification, 2 inchangés, 1 erreur');
  });
});
