import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ok } from '../../../../common/ipc';
import WorkOfflineForm from '../../../../renderer/components/sign-in/WorkOfflineForm.vue';
import { setLocale } from '../../../../renderer/i18n';
import { useOfflineStore } from '../../../../renderer/stores/offline';
import { NO_DRAFTS } from '../support/fake-portal';
import { mountWithApp, type Harness } from '../support/mount';
import { body, mountOutbox as mountOutboxOf, setUpOutbox } from '../support/outbox';

/**
 * Main's problems with the files on this computer (drafts without a keychain, a file kept aside or
 * missing) and why the offline copy cannot be opened (expired, changed): worded from main's codes in
 * the language shown, never main's English sentence.
 */

let harness: Harness;
beforeEach(async () => {
  ({ harness } = setUpOutbox());
  await setLocale('de');
});
afterEach(async () => {
  await setLocale('en');
});

const ENGLISH = 'MAIN ENGLISH SENTENCE';
const outboxWarning = () => body().get('.v-alert--variant-tonal.text-warning').text();

describe('the Outbox’s warning about the files on this computer', () => {
  it('German: no keychain for drafts, a drafts file kept aside, an offline list missing', async () => {
    await mountOutboxOf(harness, { ...NO_DRAFTS, problem: ENGLISH, problemDetail: { code: 'keychain_unavailable' } });
    expect(outboxWarning()).toBe(
      'Entwürfe können auf diesem Computer nicht gespeichert werden: Sie werden mit einem Schlüssel aus dem Schlüsselbund des Systems verschlüsselt, der nicht erreichbar ist. Speichern Sie Änderungen direkt im Portal, solange es erreichbar ist, oder entsperren Sie den Schlüsselbund (unter Linux: starten Sie einen Secret Service wie GNOME Keyring) und speichern Sie den Entwurf erneut.',
    );

    harness.portal.emitDrafts({ ...NO_DRAFTS, problem: ENGLISH, problemDetail: { code: 'file_kept_aside', file: 'drafts', reason: 'undecryptable', keptAs: 'drafts.json.unreadable-20261207' } });
    await flushPromises();
    expect(outboxWarning()).toBe(
      'Die gespeicherte Entwurfsdatei konnte nicht verwendet werden: sie konnte nicht entschlüsselt werden (sie wurde verändert oder beschädigt, oder ihr Schlüssel fehlt). Die Datei wurde als „drafts.json.unreadable-20261207“ beiseitegelegt, nichts wurde gelöscht; Portal Admin hat leer begonnen.',
    );

    harness.portal.emitDrafts({ ...NO_DRAFTS, problem: ENGLISH, problemDetail: { code: 'file_missing', file: 'employees' } });
    await flushPromises();
    expect(outboxWarning()).toBe(
      'Die gespeicherte Offline-Mitarbeiterliste fehlt (sie wurde außerhalb von Portal Admin gelöscht oder verschoben). Portal Admin hat mit einer leeren Liste begonnen.',
    );

    // A problem without a code (an older main): its English does not show in German.
    harness.portal.emitDrafts({ ...NO_DRAFTS, problem: ENGLISH });
    await flushPromises();
    expect(outboxWarning()).toMatch(/^Portal Admin konnte seine verschlüsselten Dateien/);
    expect(body().text()).not.toContain(ENGLISH);
  });

  it('French and Spanish: a file in a format this version cannot read', async () => {
    const state = { ...NO_DRAFTS, problem: ENGLISH, problemDetail: { code: 'file_kept_aside', file: 'employees', reason: 'format', keptAs: null } } as const;
    await setLocale('fr');
    await mountOutboxOf(harness, state);
    expect(outboxWarning()).toBe(
      'La liste des employés hors ligne enregistrée n’a pas pu être utilisée : elle est dans un format que cette version ne sait pas lire. Rien n’a été supprimé ; Portal Admin a démarré à vide.',
    );
    // The warning follows the language.
    await setLocale('es');
    await flushPromises();
    expect(outboxWarning()).toBe('No se pudo usar la lista de empleados sin conexión guardada: tiene un formato que esta versión no puede leer. No se eliminó nada; Portal Admin empezó de cero.');
  });
});

describe('Work offline refused: the offline copy expired or was changed', () => {
  async function unlockRefused(step: { reason?: 'expired' | 'record_changed'; days?: number }): Promise<string> {
    const offline = useOfflineStore(harness.pinia);
    offline.applyState({ accounts: [{ email: 'admin@acme.test', asOf: null, isLocked: false }], user: null, asOf: null });
    harness.portal.api.offline.unlock.mockResolvedValueOnce(ok({ step: 'unavailable', message: ENGLISH, ...step }));
    const wrapper = mountWithApp(WorkOfflineForm, harness);
    await flushPromises();
    await wrapper.get('input[type="password"]').setValue('secret');
    await wrapper.get('[data-testid="work-offline-form"]').trigger('submit');
    await flushPromises();
    const text = wrapper.get('[data-testid="work-offline-error"]').text();
    wrapper.unmount();
    return text;
  }

  it('German names the days; French and Spanish say the same; a changed copy too', async () => {
    expect(await unlockRefused({ reason: 'expired', days: 14 })).toBe(
      'Die Offline-Kopie wurde gelöscht: Seit 14 Tagen hat sich niemand beim Portal angemeldet. Melden Sie sich beim Portal an, um eine neue zu erstellen; Ihre Entwürfe bleiben erhalten.',
    );
    expect(await unlockRefused({ reason: 'expired', days: 1 })).toContain('Seit 1 Tag hat sich niemand');
    expect(await unlockRefused({ reason: 'record_changed' })).toBe(
      'Die Offline-Kopie auf diesem Computer wurde außerhalb von Portal Admin verändert und wird daher nicht verwendet. Melden Sie sich beim Portal an, um eine neue zu erstellen.',
    );
    await setLocale('fr');
    expect(await unlockRefused({ reason: 'expired', days: 30 })).toBe(
      'La copie hors ligne a été supprimée : personne ne s’est connecté au portail depuis 30 jours. Connectez-vous au portail pour en créer une nouvelle ; vos brouillons sont conservés.',
    );
    await setLocale('es');
    expect(await unlockRefused({ reason: 'expired', days: 7 })).toBe(
      'Se eliminó la copia sin conexión: nadie ha iniciado sesión en el portal en 7 días. Inicie sesión en el portal para crear una nueva; sus borradores se conservan.',
    );
    expect(body().text()).not.toContain(ENGLISH);
  });
});
