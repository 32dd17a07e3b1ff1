import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { h } from 'vue';
import { VDialog } from 'vuetify/components';
import ConfirmDialog from '../../../../renderer/components/common/ConfirmDialog.vue';
import { mountWithApp, setUpPortal, settle, type Harness } from '../support/mount';

let harness: Harness;
beforeEach(() => {
  document.body.innerHTML = '';
  harness = setUpPortal();
});

const baseProps = {
  open: true,
  idPrefix: 'leave',
  title: 'Leave the list?',
  text: 'Nothing is lost.',
  confirmLabel: 'Leave',
  cancelLabel: 'Stay',
};

function mountDialog(props: Partial<typeof baseProps> & { isDanger?: boolean; isBusy?: boolean } = {}, slots: Record<string, () => unknown> = {}) {
  return mountWithApp(ConfirmDialog, harness, { props: { ...baseProps, ...props }, attrs: { 'data-testid': 'leave-dialog' }, slots });
}

function button(label: string): HTMLButtonElement {
  const found = [...document.querySelectorAll<HTMLButtonElement>('[data-testid="leave-dialog"] button')].find((element) => element.textContent?.trim() === label);
  if (!found) throw new Error(`no button "${label}"`);
  return found;
}

describe('ConfirmDialog', () => {
  it('is a dialog named by its title and described by its text, with Cancel before the confirming button', async () => {
    mountDialog();
    await flushPromises();
    const dialog = new DOMWrapper(document.querySelector('[role="dialog"]')!);
    expect(dialog.attributes('aria-labelledby')).toBe('leave-title');
    expect(dialog.attributes('aria-describedby')).toBe('leave-text');
    expect(document.getElementById('leave-title')!.textContent?.trim()).toBe('Leave the list?');
    expect(document.getElementById('leave-text')!.textContent?.trim()).toBe('Nothing is lost.');
    const labels = [...document.querySelectorAll('[data-testid="leave-dialog"] button')].map((element) => element.textContent?.trim());
    expect(labels).toEqual(['Stay', 'Leave']);
  });

  it('takes its text from the default slot when given one', async () => {
    mountDialog({ text: '' }, { default: () => h('strong', 'Bold words.') });
    await flushPromises();
    expect(document.querySelector('#leave-text strong')?.textContent).toBe('Bold words.');
  });

  it('emits confirm from the confirming button and cancel from Cancel', async () => {
    const wrapper = mountDialog();
    await flushPromises();
    button('Leave').click();
    button('Stay').click();
    await flushPromises();
    expect(wrapper.emitted('confirm')).toHaveLength(1);
    expect(wrapper.emitted('cancel')).toHaveLength(1);
  });

  it('once open, Cancel has the focus', async () => {
    const wrapper = mountDialog();
    await flushPromises();
    // happy-dom runs no transitions: tell it the opening one has ended, as the browser would.
    wrapper.findComponent(VDialog).vm.$emit('afterEnter');
    expect(document.activeElement?.textContent?.trim()).toBe('Stay');
  });

  it('Esc cancels and confirms nothing', async () => {
    const wrapper = mountDialog();
    await settle();
    document.querySelector('.v-overlay__content')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await flushPromises();
    expect(wrapper.emitted('cancel')).toHaveLength(1);
    expect(wrapper.emitted('confirm')).toBeUndefined();
  });

  it('a dangerous action is confirmed with a button in the error colour; an ordinary one in the primary colour', async () => {
    const wrapper = mountDialog({ isDanger: true });
    await flushPromises();
    expect(button('Leave').classList).toContain('bg-error');
    await wrapper.setProps({ isDanger: false });
    expect(button('Leave').classList).toContain('bg-primary');
  });

  it('while busy, Cancel is disabled and the confirming button shows progress', async () => {
    mountDialog({ isBusy: true });
    await flushPromises();
    expect(button('Stay').disabled).toBe(true);
    expect(button('Leave').classList).toContain('v-btn--loading');
  });
});
