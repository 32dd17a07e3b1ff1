import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Employee } from '../../../../common/api';
import { fail, ok } from '../../../../common/ipc';
import { phoneMessage } from '../../../../common/phone';
import EditEmployeeDialog from '../../../../renderer/components/employees/EditEmployeeDialog.vue';
import EmployeeGrid from '../../../../renderer/components/employees/EmployeeGrid.vue';
import ExportEmployeesButton from '../../../../renderer/components/import/ExportEmployeesButton.vue';
import PrivacyToggle from '../../../../renderer/components/privacy/PrivacyToggle.vue';
import en from '../../../../renderer/i18n/messages/en';
import { finishedMessage } from '../../../../renderer/composables/use-edit-dialog';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { useDraftsStore } from '../../../../renderer/stores/drafts';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { useNotificationsStore } from '../../../../renderer/stores/notifications';
import { REVEAL_MS, usePrivacyStore } from '../../../../renderer/stores/privacy';
import OutboxView from '../../../../renderer/views/OutboxView.vue';
import { NO_DRAFTS, SETTINGS, appliedFrom, createFakePortal, makeDraft, makeEmployee, signedIn } from '../support/fake-portal';
import { mountWithApp, setUpPortal, type Harness } from '../support/mount';

let harness: Harness;
let ada: Employee;
let bob: Employee;

beforeEach(async () => {
  document.body.innerHTML = '';
  harness = setUpPortal(createFakePortal());
  ada = makeEmployee({ id: 'ada', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.test', cellPhone: '+447700903456', version: 3 });
  bob = makeEmployee({ id: 'bob', firstName: 'Bob', lastName: 'Stone', email: 'bob@acme.test', cellPhone: '+12125550111', version: 5 });
  harness.portal.api.employees.list.mockResolvedValue(ok({ items: [ada, bob], nextCursor: null, total: 2 }));
  useAuthStore().applyState(signedIn());
  await useEmployeesStore().load();
});
afterEach(() => vi.useRealTimers());

const body = () => new DOMWrapper(document.body);
const FULL = /\+44 7700 903456|\+1 212 555 0111|7700903456|2125550111/;

describe('privacy mode', () => {
  it('the top-bar switch reads the remembered setting, says its state, and remembers a change', async () => {
    harness.portal.api.settings.get.mockResolvedValue(ok({ ...SETTINGS, privacyMode: true }));
    const wrapper = mountWithApp(PrivacyToggle, harness);
    await flushPromises();
    const button = wrapper.get('[data-testid="privacy-toggle"]');
    expect(button.text()).toBe('Privacy');
    expect(button.attributes('aria-pressed')).toBe('true');
    expect(button.attributes('title')).toBe(en.privacy.toggleOnTooltip);
    await button.trigger('click');
    await flushPromises();
    expect(button.attributes('aria-pressed')).toBe('false');
    expect(harness.portal.api.settings.setPrivacyMode).toHaveBeenCalledExactlyOnceWith({ isOn: false });
    wrapper.unmount();
  });

  it('a change that cannot be remembered still applies, and the admin is told', async () => {
    harness.portal.api.settings.setPrivacyMode.mockResolvedValue(fail('server', 'The settings file could not be written.'));
    await usePrivacyStore().setOn(true);
    expect(usePrivacyStore().isOn).toBe(true);
    expect(useNotificationsStore().current?.text).toMatch(/^Privacy mode could not be remembered for next time: /);
  });

  it('the grid masks every number; Show number reveals one row for 30 seconds; blur, hidden window and screen lock mask again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const privacy = usePrivacyStore();
    const stop = privacy.guardWindow();
    await privacy.setOn(true);
    const wrapper = mountWithApp(EmployeeGrid, harness, { props: { canEdit: true } });
    await flushPromises();
    const rows = () => wrapper.findAll('[role="rowgroup"] + [role="rowgroup"] [role="row"]');
    expect(rows().map((row) => row.get('.phone-number').text())).toEqual(['+44 •••• ••3456', '+1 •••• ••0111']);
    expect(wrapper.text()).not.toMatch(FULL);

    const show = rows()[0]!.get('[data-testid="show-number"]');
    expect(show.attributes('aria-label')).toBe('Show Ada Lovelace’s number');
    expect(show.attributes('tabindex')).toBe('0');
    expect(rows()[1]!.get('[data-testid="show-number"]').attributes('tabindex')).toBe('-1');
    await show.trigger('click');
    expect(rows()[0]!.get('.phone-number').text()).toBe('+44 7700 903456');
    expect(rows()[1]!.get('.phone-number').text()).toBe('+1 •••• ••0111');
    expect(rows()[0]!.get('[data-testid="show-number"]').attributes('aria-label')).toBe('Hide Ada Lovelace’s number');

    vi.advanceTimersByTime(REVEAL_MS - 1);
    await flushPromises();
    expect(rows()[0]!.get('.phone-number').text()).toBe('+44 7700 903456');
    vi.advanceTimersByTime(1);
    await flushPromises();
    expect(rows()[0]!.get('.phone-number').text()).toBe('+44 •••• ••3456');

    const remasks: [string, () => void][] = [
      ['window blur', () => window.dispatchEvent(new Event('blur'))],
      [
        'window hidden',
        () => {
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
          document.dispatchEvent(new Event('visibilitychange'));
          delete (document as { visibilityState?: unknown }).visibilityState;
        },
      ],
      ['screen locked', () => harness.portal.emitScreenLocked('lock-screen')],
      ['computer asleep', () => harness.portal.emitScreenLocked('suspend')],
    ];
    for (const [what, remask] of remasks) {
      privacy.reveal('ada');
      await flushPromises();
      expect(rows()[0]!.get('.phone-number').text(), what).toBe('+44 7700 903456');
      remask();
      await flushPromises();
      expect(rows()[0]!.get('.phone-number').text(), what).toBe('+44 •••• ••3456');
    }
    // An element losing focus inside the page is not the window losing it.
    privacy.reveal('ada');
    rows()[0]!.element.dispatchEvent(new FocusEvent('blur'));
    await flushPromises();
    expect(rows()[0]!.get('.phone-number').text()).toBe('+44 7700 903456');
    stop();
    wrapper.unmount();
  });

  it('with privacy mode off there is no Show number button and numbers show in full', async () => {
    const wrapper = mountWithApp(EmployeeGrid, harness, { props: { canEdit: true } });
    await flushPromises();
    expect(wrapper.find('[data-testid="show-number"]').exists()).toBe(false);
    expect(wrapper.text()).toContain('+44 7700 903456');
    wrapper.unmount();
  });

  it('the Edit Employee window: masked on record, an empty field that takes a new number in full, Show number fills it', async () => {
    await usePrivacyStore().setOn(true);
    const wrapper = mountWithApp(EditEmployeeDialog, harness, { props: { open: true, employee: ada, companyCountry: 'GB' } });
    await flushPromises();
    const dialog = new DOMWrapper(document.querySelector('[role="dialog"]')!);
    const input = () => dialog.get<HTMLInputElement>('[data-testid="cell-phone-field"] input');
    expect(dialog.get('[data-testid="on-record"]').text()).toBe('On record: +44 •••• ••3456');
    expect(input().element.value).toBe('');
    expect(input().attributes('placeholder')).toBe('+44 •••• ••3456');
    expect(dialog.text()).toContain(en.privacy.fieldHint);
    expect(dialog.text()).not.toContain('An empty field is not saved');
    expect(dialog.text()).not.toMatch(FULL);
    // The empty field stands for the number on record: leaving it is not "enter a number".
    await input().trigger('focus');
    await input().trigger('blur');
    await flushPromises();
    expect(dialog.text()).not.toContain(phoneMessage('required'));

    const show = dialog.findAll('button').find((button) => button.text() === 'Show number')!;
    await show.trigger('click');
    await flushPromises();
    expect(input().element.value).toBe('+44 7700 903456');
    expect(dialog.get('[data-testid="on-record"]').text()).toBe('On record: +44 7700 903456');
    usePrivacyStore().hideAll();
    await flushPromises();
    expect(input().element.value).toBe('');

    await input().setValue('07911 123456');
    await flushPromises();
    expect(input().element.value).toBe('07911 123456');
    expect(dialog.text()).toContain('Will be saved as +44 7911 123456');
    // Typed text is the admin's own: masking again leaves it alone.
    usePrivacyStore().reveal('ada');
    usePrivacyStore().hideAll();
    await flushPromises();
    expect(input().element.value).toBe('07911 123456');
    wrapper.unmount();
  });

  it('the Outbox masks drafts and applied changes', async () => {
    await usePrivacyStore().setOn(true);
    const draft = makeDraft(ada, { cellPhone: '+447700900999' });
    harness.portal.api.drafts.getState.mockResolvedValue(ok({ ...NO_DRAFTS, drafts: [draft], history: [appliedFrom(makeDraft(bob, { cellPhone: '+12125550122' }))] }));
    await useDraftsStore().start();
    const wrapper = mountWithApp(OutboxView, harness);
    await flushPromises();
    const text = body().text();
    expect(text).toContain('+44 •••• ••0999');
    expect(text).toContain('+1 •••• ••0122');
    expect(text).not.toMatch(/7700 900999|555 0122|\+44 7700 903456|555 0111/);
    const badge = body().findAll('[role="img"]').find((found) => found.attributes('aria-label')?.startsWith('Draft:'));
    expect(badge?.attributes('aria-label')).toContain('+44 •••• ••0999');
    wrapper.unmount();
  });

  it('the message after saving is masked too', async () => {
    await usePrivacyStore().setOn(true);
    expect(finishedMessage({ kind: 'saved', employee: ada }, usePrivacyStore().phoneText)).toBe('Saved. Ada Lovelace’s cell phone number is now +44 •••• ••3456.');
    expect(finishedMessage({ kind: 'saved', employee: ada })).toBe('Saved. Ada Lovelace’s cell phone number is now +44 7700 903456.');
  });

  it('Export CSV asks first while privacy mode is on', async () => {
    await usePrivacyStore().setOn(true);
    const wrapper = mountWithApp(ExportEmployeesButton, harness);
    await flushPromises();
    await wrapper.get('[data-testid="export-csv"]').trigger('click');
    await flushPromises();
    const confirm = body().get('[data-testid="export-privacy-confirm"]');
    expect(confirm.text()).toContain('The file will contain full numbers.');
    wrapper.unmount();
  });

});
