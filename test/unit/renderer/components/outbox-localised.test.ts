import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Employee } from '../../../../common/api';
import { fail, ok } from '../../../../common/ipc';
import DraftPhoneCell from '../../../../renderer/components/employees/DraftPhoneCell.vue';
import EditEmployeeDialog from '../../../../renderer/components/employees/EditEmployeeDialog.vue';
import { setLocale, t } from '../../../../renderer/i18n';
import { useDraftsStore } from '../../../../renderer/stores/drafts';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { useNotificationsStore } from '../../../../renderer/stores/notifications';
import { IDLE_SYNC, NO_DRAFTS, appliedFrom, makeDraft } from '../support/fake-portal';
import { mountWithApp, type Harness } from '../support/mount';
import { body, button, mountOutbox as mountOutboxOf, setUpOutbox } from '../support/outbox';

/*
 * The Outbox, its conflict view, the draft note, the draft cell and the verification panel in
 * German: each shows the German words (the expected texts are written out here, not read from the
 * message files), the draft states and errors by their code, and dates through Intl in German.
 */
let harness: Harness;
let ada: Employee;
let bob: Employee;
let cy: Employee;

beforeAll(async () => {
  await setLocale('de');
});
afterAll(async () => {
  await setLocale('en');
});

beforeEach(() => {
  ({ harness, ada, bob, cy } = setUpOutbox());
});

const mountOutbox = (state = NO_DRAFTS) => mountOutboxOf(harness, state);
const ENGLISH = /\b(Draft|Outbox|Sending|Retrying|Rejected|Discard|Yours|Next attempt|applied|changed on the portal|No number)\b/;

describe('the Outbox in German', () => {
  it('headings, draft states, from → to, errors by code (never the portal’s English) and the next attempt as a German date', async () => {
    const pending = makeDraft(ada, { createdAt: '2030-01-01T09:00:00.000Z' });
    const failed = makeDraft(bob, {
      cellPhone: '+442079460000',
      state: 'failed',
      error: { code: 'offline', message: 'The portal could not be reached.' },
      nextAttemptAt: '2030-01-01T12:30:00.000Z',
    });
    const rejected = makeDraft(cy, { cellPhone: '+12125550188', state: 'rejected', error: { code: 'unreachable_type', message: 'This number cannot receive texts.' } });
    const wrapper = await mountOutbox({
      ...NO_DRAFTS,
      drafts: [pending, failed, rejected],
      history: [appliedFrom(makeDraft(bob), { appliedAt: '2030-01-01T11:00:00.000Z' })],
    });
    expect(wrapper.get('h1').text()).toBe('Postausgang');
    expect(wrapper.text()).toContain('Als Entwurf gespeicherte Änderungen warten hier, bis das Portal sie übernimmt.');
    expect(wrapper.get('[data-testid="outbox-unverified"]').text()).toMatch(/^Entwürfe werden ohne Bestätigung übertragen: .*„Bestätigen und speichern“\.$/);
    expect(wrapper.findAll('h2').map((heading) => heading.text())).toEqual(['Nicht gesendete Entwürfe', 'Zuletzt übernommen']);

    const items = wrapper.findAll('[data-testid="outbox-draft"]');
    expect(items.map((item) => item.get('[data-testid="outbox-state"]').text())).toEqual(['Entwurf', 'Neuer Versuch', 'Abgelehnt']);
    expect(items[0]!.get('[data-testid="outbox-state"]').attributes('aria-label')).toBe('Entwurf: +1 212 555 0177, noch nicht gesendet');
    expect(items[0]!.get('[data-testid="outbox-base-value"]').text()).toBe('Von +1 212 555 0100');
    expect(items[0]!.get('[data-testid="outbox-mine-value"]').text()).toBe('auf +1 212 555 0177');
    expect(items[2]!.get('[data-testid="outbox-base-value"]').text()).toBe('Von Keine Nummer');
    expect(button(items[0]!, 'Entwurf für Ada Lovelace bearbeiten').text()).toBe('Bearbeiten');
    expect(button(items[0]!, 'Entwurf für Ada Lovelace verwerfen').text()).toBe('Verwerfen');

    expect(items[1]!.get('[data-testid="outbox-error"]').text()).toBe(
      'Senden fehlgeschlagen: Das Portal ist nicht erreichbar. Prüfen Sie die Netzwerkverbindung und versuchen Sie es erneut.',
    );
    expect(items[1]!.get('[data-testid="outbox-next-attempt"]').text()).toMatch(/^Nächster Versuch: 01\.01\.2030, \d\d:30$/);
    const refusal = items[2]!.get('[data-testid="outbox-error"]').text();
    expect(refusal).toMatch(/^Das Portal hat diese Änderung abgelehnt: .*Bearbeiten Sie die Nummer, um es erneut zu versuchen\.$/);
    expect(refusal).not.toContain('This number cannot receive texts.');

    const applied = wrapper.get('[data-testid="applied-change"]').text();
    expect(applied).toMatch(/übernommen am 01\.01\.2030, \d\d:00/);
    expect(wrapper.text()).not.toMatch(ENGLISH);
  });

  it('an empty Outbox, the sync line by its reason code, "Jetzt senden" and the progress bar', async () => {
    const wrapper = await mountOutbox();
    expect(wrapper.get('[data-testid="outbox-empty"]').text()).toBe('Keine nicht gesendeten Entwürfe.');
    expect(wrapper.get('[data-testid="sync-status-text"]').text()).toBe('Alles ist gesendet.');
    expect(button(body(), 'Jetzt senden').attributes('disabled')).toBeDefined();

    const drafts = [makeDraft(ada), makeDraft(bob)];
    harness.portal.emitDrafts({ ...NO_DRAFTS, drafts, sync: { ...IDLE_SYNC, state: 'running', done: 1, total: 2 } });
    await flushPromises();
    expect(wrapper.get('[data-testid="sync-status-text"]').text()).toBe('Entwürfe werden gesendet… 1 von 2');
    expect(wrapper.find('[role="progressbar"][aria-label="Entwürfe werden gesendet"]').exists()).toBe(true);

    const waiting = (sync: Partial<typeof IDLE_SYNC>) => harness.portal.emitDrafts({ ...NO_DRAFTS, drafts, sync: { ...IDLE_SYNC, state: 'waiting', ...sync } });
    waiting({ reason: 'Sign in with the portal to send your drafts.', reasonCode: 'sign_in' });
    await flushPromises();
    expect(wrapper.get('[data-testid="sync-status-text"]').text()).toBe('Melden Sie sich am Portal an, um Ihre Entwürfe zu senden.');
    waiting({ reason: 'The portal took too long. Your drafts are kept…', reasonCode: 'send_failed', errorCode: 'timeout', nextAttemptAt: '2030-01-01T12:30:00.000Z' });
    await flushPromises();
    expect(wrapper.get('[data-testid="sync-status-text"]').text()).toMatch(
      /^Das Portal hat zu lange .* Ihre Entwürfe bleiben erhalten und werden automatisch erneut gesendet\. Nächster Versuch: 01\.01\.2030, \d\d:30\.$/,
    );
    // A reason without a code (an older main) is never shown in English to a German admin.
    waiting({ reason: 'Preparing your drafts…' });
    await flushPromises();
    expect(wrapper.get('[data-testid="sync-status-text"]').text()).toBe('Die Entwürfe warten auf das Senden.');
  });

  it('a conflict: base, mine and the portal’s now with who changed it, the two choices and their notices', async () => {
    const theirs = { ...ada, cellPhone: '+447400123456', version: 4, updatedAt: '2030-01-01T09:30:00.000Z', updatedBy: 'Priya Shah' };
    const conflict = makeDraft(ada, { cellPhone: '+442079460000', state: 'conflict', portal: theirs });
    const wrapper = await mountOutbox({ ...NO_DRAFTS, drafts: [conflict] });
    const panel = wrapper.get('[data-testid="draft-conflict"]');
    expect(panel.get('h3').text()).toBe('Die Nummer im Portal hat sich geändert, nachdem Sie Ihren Entwurf angelegt haben');
    expect(panel.findAll('dt').map((term) => term.text())).toEqual(['Ihre Ausgangsnummer', 'Ihre', 'Jetzt im Portal']);
    expect(panel.text()).toMatch(/im Portal geändert von Priya Shah, 01\.01\.2030, \d\d:30/);
    expect(wrapper.get('[data-testid="outbox-state"]').text()).toBe('Konflikt');

    harness.portal.api.drafts.resolve.mockResolvedValueOnce(ok({ draft: { ...conflict, state: 'pending', baseVersion: 4, portal: null } }));
    await button(panel, 'Meine Nummer trotzdem übernehmen').trigger('click');
    await flushPromises();
    harness.portal.emitDrafts({ ...NO_DRAFTS, drafts: [conflict] });
    await flushPromises();
    await button(wrapper.get('[data-testid="draft-conflict"]'), 'Nummer im Portal behalten').trigger('click');
    await flushPromises();
    expect(useNotificationsStore().queue.map((notice) => notice.text)).toEqual([
      'Ihre Nummer für Ada Lovelace wird trotz der Änderung im Portal gesendet.',
      'Die Nummer im Portal für Ada Lovelace wurde beibehalten.',
    ]);
  });

  it('Discard asks in German and says what it did', async () => {
    await mountOutbox({ ...NO_DRAFTS, drafts: [makeDraft(ada)] });
    await button(body(), 'Entwurf für Ada Lovelace verwerfen').trigger('click');
    await flushPromises();
    const confirm = body().get('[data-testid="discard-draft-dialog"]');
    expect(confirm.text()).toContain('Diesen Entwurf verwerfen?');
    expect(confirm.text()).toContain('+1 212 555 0177 für Ada Lovelace wird nicht an das Portal gesendet. Das lässt sich nicht rückgängig machen.');
    button(confirm, 'Entwurf behalten');
    await button(confirm, 'Entwurf verwerfen').trigger('click');
    await flushPromises();
    expect(useNotificationsStore().current?.text).toBe('Entwurf für Ada Lovelace verworfen.');
  });

  it('changes made offline: the German plural for 1 and for 2', async () => {
    const one = await mountOutbox({ ...NO_DRAFTS, drafts: [makeDraft(ada, { isHeldForReview: true })] });
    const review = () => one.get('[data-testid="offline-changes-review"]');
    expect(review().text()).toContain('1 Änderung offline vorgenommen — Prüfen und senden');
    expect(review().get('[data-testid="send-offline-changes"]').text()).toBe('1 Änderung senden');
    harness.portal.emitDrafts({ ...NO_DRAFTS, drafts: [makeDraft(ada, { isHeldForReview: true }), makeDraft(bob, { isHeldForReview: true })] });
    await flushPromises();
    expect(review().text()).toContain('2 Änderungen offline vorgenommen — Prüfen und senden');
    expect(review().text()).toContain('Diese Entwürfe sind offline entstanden.');
    expect(review().get('[data-testid="send-offline-changes"]').text()).toBe('2 Änderungen senden');
    harness.portal.api.drafts.sendReviewed.mockResolvedValue(ok(NO_DRAFTS));
    await review().get('[data-testid="send-offline-changes"]').trigger('click');
    await flushPromises();
    expect(useNotificationsStore().current?.text).toBe('2 offline vorgenommene Änderungen werden gesendet.');
  });

  it('the grid’s draft cell: its state, its accessible name and the portal’s number (or none)', async () => {
    const wrapper = mountWithApp(DraftPhoneCell, harness, { props: { portalPhone: '', draft: makeDraft(cy, { state: 'rejected' }) } });
    await flushPromises();
    expect(wrapper.get('[data-testid="draft-badge"]').text()).toBe('Abgelehnt');
    expect(wrapper.get('[data-testid="draft-badge"]').attributes('aria-label')).toBe('Entwurf: +1 212 555 0177, vom Portal abgelehnt');
    expect(wrapper.get('[data-testid="draft-portal-value"]').text()).toBe('Portal: Keine Nummer');
    expect(wrapper.get('[data-testid="draft-portal-value"]').attributes('title')).toBe('Im Portal: keine Nummer');
  });
});

describe('the Edit Employee window’s draft note, conflict and verification in German', () => {
  beforeEach(async () => {
    await useEmployeesStore().load();
  });
  const dialog = () => new DOMWrapper(document.querySelector('[role="dialog"]')!);
  const buttonNamed = (name: string) => dialog().findAll('button').find((candidate) => candidate.text() === name);
  async function open(employee: Employee = ada) {
    const wrapper = mountWithApp(EditEmployeeDialog, harness, { props: { open: true, employee, companyCountry: 'US' } });
    await flushPromises();
    return wrapper;
  }
  async function type(text: string): Promise<void> {
    await dialog().find<HTMLInputElement>('[data-testid="cell-phone-field"] input').setValue(text);
    await flushPromises();
  }

  it('the draft note: when it was made, why it waits (a conflict with the portal’s number now) and "Entwurf verwerfen"', async () => {
    const draft = makeDraft(ada, { cellPhone: '+442079460000', createdAt: '2030-01-01T10:00:00.000Z', state: 'conflict', portal: { ...ada, cellPhone: '+447400123456', version: 4 } });
    harness.portal.api.drafts.getState.mockResolvedValue(ok({ ...NO_DRAFTS, drafts: [draft] }));
    await useDraftsStore().start();
    await open();
    const note = dialog().get('[data-testid="draft-note"]');
    expect(note.text()).toMatch(/^Nicht gesendeter Entwurf vom 01\.01\.2030, \d\d:00/);
    expect(note.text()).toContain('Die Nummer im Portal hat sich geändert, nachdem dieser Entwurf angelegt wurde: Sie lautet jetzt +44 7400 123456.');
    expect(buttonNamed('Entwurf verwerfen')).toBeDefined();
  });

  it('the conflict panel says who changed the number and offers the two choices', async () => {
    harness.portal.api.employees.update.mockResolvedValue(
      fail('conflict', 'changed', { current: { ...ada, cellPhone: '+12125550199', version: 8, updatedBy: 'Jordan Okafor', updatedAt: '2030-01-01T09:30:00.000Z' } }),
    );
    await open();
    await type('+1 212 555 0177');
    await dialog().get('button[type="submit"]').trigger('submit');
    await flushPromises();
    const panel = dialog().get('[data-testid="conflict-panel"]');
    expect(panel.get('h3').text()).toBe('Jemand anderes hat diese Nummer geändert');
    expect(panel.text()).toMatch(/wurde Ada Lovelace im Portal geändert \(von Jordan Okafor, 01\.01\.2030, \d\d:30\)\. Wählen Sie, welche Nummer gelten soll\./);
    expect(panel.findAll('dt').map((term) => term.text())).toEqual(['Jetzt im Portal', 'Ihre']);
    expect(panel.findAll('button').map((choice) => choice.text())).toEqual(['Meine Nummer trotzdem übernehmen', 'Nummer im Portal behalten']);
  });

  it('the verification panel: where the code went, whom to ask, and its buttons', async () => {
    await open();
    await type('+1 212 555 0177');
    await buttonNamed(t('editEmployee.verifyAndSave'))!.trigger('click');
    await flushPromises();
    const panel = dialog().get('[data-testid="verification-panel"]');
    expect(panel.get('h3').text()).toBe('Neue Nummer bestätigen');
    expect(panel.get('[data-testid="verification-sent"]').text()).toBe('Code gesendet an +1 212 555 0177. Fragen Sie Ada nach dem Code.');
    const names = panel.findAll('button').map((choice) => choice.text());
    expect(names[0]).toBe('Code prüfen und speichern');
    expect(names[1]).toMatch(/^Neuen Code senden( \(\d:\d\d\))?$/);
    expect(names[2]).toBe('Bestätigung abbrechen');
  });
});

describe('plurals of the Outbox in every language', () => {
  it.each([
    ['en', 'Send 1 change', 'Send 2 changes'],
    ['de', '1 Änderung senden', '2 Änderungen senden'],
    ['fr', 'Envoyer 1 modification', 'Envoyer 2 modifications'],
    ['es', 'Enviar 1 cambio', 'Enviar 2 cambios'],
  ] as const)('%s: one and two changes', async (locale, one, two) => {
    await setLocale(locale);
    try {
      expect(t('outbox.sendChanges', { count: '1' }, 1)).toBe(one);
      expect(t('outbox.sendChanges', { count: '2' }, 2)).toBe(two);
    } finally {
      await setLocale('de');
    }
  });
});
