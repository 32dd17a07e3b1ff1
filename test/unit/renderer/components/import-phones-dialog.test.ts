import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { ok, type ImportReport, type ImportState } from '../../../../common/ipc';
import ImportPhonesButton from '../../../../renderer/components/import/ImportPhonesButton.vue';
import StepUpDialog from '../../../../renderer/components/shell/StepUpDialog.vue';
import { useStepUpStore } from '../../../../renderer/stores/step-up';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { useImportStore } from '../../../../renderer/stores/imports';
import { createFakePortal, NO_IMPORT, signedIn } from '../support/fake-portal';
import { mountWithApp, settle, setUpPortal, type Harness } from '../support/mount';

let harness: Harness;
beforeEach(() => {
  document.body.innerHTML = '';
  harness = setUpPortal(createFakePortal());
  useAuthStore().applyState(signedIn());
});

const body = () => new DOMWrapper(document.body);
const buttonNamed = (name: string) => {
  const found = body().findAll('button').find((candidate) => candidate.text() === name);
  if (!found) throw new Error(`no button "${name}" among ${body().findAll('button').map((b) => b.text()).join(' | ')}`);
  return found;
};

const CHECKED: ImportState = {
  ...NO_IMPORT,
  phase: 'checked',
  file: { name: 'staff.csv', size: 2048 },
  reading: { encoding: 'windows-1252', delimiter: ';', rows: 12_345 },
  counts: { changes: 10_000, unchanged: 2_000, errors: 345 },
};
const REPORT: ImportReport = {
  changes: [{ row: 2, employeeId: 'e-1', name: 'Zoë Müller', email: 'zoe@acme.test', oldPhone: null, newPhone: '+4930901820', version: 1, warning: 'landline', status: 'pending', message: null }],
  errors: [{ row: 3, message: 'Unknown employee: no employee with email "x@acme.test" in your company.' }],
  totalChanges: 10_000,
  totalErrors: 345,
};

describe('Import phone numbers window', () => {
  it('browser mode: "Choose file…" falls back to the file input and uploads the file in chunks', async () => {
    mountWithApp(ImportPhonesButton, harness);
    await buttonNamed('Import phone numbers…').trigger('click');
    await flushPromises();
    expect(body().find('#import-title').text()).toBe('Import phone numbers');
    const input = body().find<HTMLInputElement>('[data-testid="import-file-input"]');
    let clicked = false;
    input.element.addEventListener('click', (event) => {
      clicked = true;
      event.preventDefault();
    });
    await buttonNamed('Choose file…').trigger('click');
    await flushPromises();
    expect(clicked).toBe(true);

    const bytes = new Uint8Array(100 * 1024).fill(65);
    await useImportStore().uploadFile(new File([bytes], 'staff.csv', { type: 'text/csv' }));
    const calls = harness.portal.api.imports.uploadChunk.mock.calls.map(([chunk]) => ({ offset: chunk.offset, size: chunk.size, length: chunk.data.length }));
    expect(calls).toEqual([
      { offset: 0, size: 102_400, length: 49_152 },
      { offset: 36_864, size: 102_400, length: 49_152 },
      { offset: 73_728, size: 102_400, length: 38_232 },
    ]);
  });

  it('after the check: counts, the changes and errors, "Apply N changes"; after Apply: the outcome', async () => {
    harness.portal.api.imports.getState.mockResolvedValue(ok(CHECKED));
    harness.portal.api.imports.getReport.mockResolvedValue(ok(REPORT));
    mountWithApp(ImportPhonesButton, harness);
    await useImportStore().open();
    await settle();
    expect(body().find('[data-testid="import-counts"]').text()).toBe('10,000 changes, 2,000 unchanged, 345 errors');
    expect(body().text()).toContain('Read as Windows-1252, “;”-separated, 12,345 rows.');
    const changes = body().find('[data-testid="import-changes"]');
    expect(changes.text()).toContain('Zoë Müller');
    expect(changes.text()).toContain('+49 30 901820');
    expect(changes.text()).toContain('Landline: login codes by voice call, not text message.');
    expect(body().text()).toContain('Showing 1 of 10,000 changes; the result file lists every row.');
    expect(body().find('[data-testid="import-errors"]').text()).toContain('Unknown employee');
    const apply = buttonNamed('Apply 10,000 changes');
    expect(apply.attributes('disabled')).toBeUndefined();

    harness.portal.api.imports.apply.mockResolvedValue(ok({ ...CHECKED, phase: 'applying', activity: 'applying', progress: { done: 0, total: 10_000 } }));
    await apply.trigger('click');
    await flushPromises();
    harness.portal.emitImport({ ...CHECKED, phase: 'applying', activity: 'applying', progress: { done: 2_500, total: 10_000 } });
    await flushPromises();
    expect(body().find('[data-testid="import-progress"]').text()).toContain('Applying changes… 2,500 of 10,000');
    expect(buttonNamed('Cancel').exists()).toBe(true);

    harness.portal.emitImport({ ...CHECKED, phase: 'applied', outcome: { applied: 9_990, conflicts: 10, refused: 0, notSent: 0, drafted: 0, isCancelled: false, requests: 100 } });
    await settle();
    expect(body().find('[data-testid="import-outcome"]').text()).toContain('9,990 applied, 10 conflicts.');
    expect(harness.portal.api.imports.getReport).toHaveBeenCalledTimes(2);
    // The grid reloads from the portal.
    expect(harness.portal.api.employees.list).toHaveBeenCalled();
  });

  it('a file problem is shown in plain words', async () => {
    harness.portal.api.imports.getState.mockResolvedValue(ok({ ...NO_IMPORT, phase: 'loaded', file: { name: 'x.csv', size: 10 }, problem: 'The file has no phone number column.' }));
    mountWithApp(ImportPhonesButton, harness);
    await useImportStore().open();
    await settle();
    expect(body().find('[data-testid="import-problem"]').text()).toBe('The file has no phone number column.');
    expect(buttonNamed('Apply 0 changes').attributes('disabled')).toBeDefined();
  });

  describe('sudo mode during Apply', () => {
    const APPLYING: ImportState = { ...CHECKED, phase: 'applying', activity: 'applying', progress: { done: 300, total: 10_000 } };
    const WAITING: ImportState = { ...APPLYING, activity: 'waiting_for_code', needsStepUp: true };
    const stepUpDialog = () => [...document.querySelectorAll('[role="dialog"]')].find((element) => element.textContent?.includes('Confirm it is you'));

    async function applyUntilCodeIsAsked(): Promise<void> {
      harness.portal.api.imports.getState.mockResolvedValue(ok(CHECKED));
      mountWithApp(StepUpDialog, harness);
      mountWithApp(ImportPhonesButton, harness);
      await useImportStore().open();
      await settle();
      harness.portal.api.imports.apply.mockResolvedValue(ok(APPLYING));
      await buttonNamed('Apply 10,000 changes').trigger('click');
      await flushPromises();
      harness.portal.emitImport(WAITING);
      await settle();
    }

    it('the prompt opens on top of the import window; with the code accepted, the same apply goes on', async () => {
      harness.portal.api.imports.continueApply.mockResolvedValue(ok({ ...APPLYING, needsStepUp: false }));
      await applyUntilCodeIsAsked();
      expect(stepUpDialog()).toBeDefined();
      expect(body().find('[data-testid="import-dialog"]').exists()).toBe(true);
      expect(harness.portal.api.auth.startStepUp).toHaveBeenCalledTimes(1);
      // The same event again (a progress tick) does not ask twice.
      harness.portal.emitImport(WAITING);
      await settle();
      expect(harness.portal.api.auth.startStepUp).toHaveBeenCalledTimes(1);

      await buttonNamed('Send code').trigger('click');
      await flushPromises();
      const code = new DOMWrapper(stepUpDialog()!).find<HTMLInputElement>('input[autocomplete="one-time-code"]');
      await code.setValue('123456');
      await flushPromises();
      await buttonNamed('Confirm and continue').trigger('click');
      await settle();

      expect(harness.portal.api.imports.continueApply).toHaveBeenCalledTimes(1);
      expect(harness.portal.api.imports.cancel).not.toHaveBeenCalled();
      // Not a new apply: the paused one goes on.
      expect(harness.portal.api.imports.apply).toHaveBeenCalledTimes(1);
      expect(useStepUpStore().isOpen).toBe(false);
    });

    it('the prompt cancelled: the apply stops as with Cancel (what was sent stays applied)', async () => {
      await applyUntilCodeIsAsked();
      expect(useStepUpStore().isOpen).toBe(true);
      useStepUpStore().cancel();
      await settle();
      expect(harness.portal.api.imports.cancel).toHaveBeenCalledTimes(1);
      expect(harness.portal.api.imports.continueApply).not.toHaveBeenCalled();
    });
  });
});
