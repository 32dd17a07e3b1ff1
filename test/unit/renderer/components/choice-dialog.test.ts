import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { h } from 'vue';
import { VBtn, VDialog } from 'vuetify/components';
import ChoiceDialog from '../../../../renderer/components/common/ChoiceDialog.vue';
import { mountWithApp, setUpPortal, settle, type Harness } from '../support/mount';

let harness: Harness;
beforeEach(() => {
  document.body.innerHTML = '';
  harness = setUpPortal();
});

function mountDialog(open: boolean) {
  return mountWithApp(ChoiceDialog, harness, {
    props: { open, maxWidth: 480, titleId: 'question-title', textId: 'question-text' },
    attrs: { 'data-testid': 'question-dialog' },
    slots: {
      title: () => 'Leave?',
      text: () => 'Nothing is lost.',
      actions: () => [h(VBtn, () => 'Stay'), h(VBtn, () => 'Leave')],
    },
  });
}

describe('ChoiceDialog', () => {
  it('is named by its title and described by its text; other attributes go to the card', async () => {
    mountDialog(true);
    await flushPromises();
    const dialog = new DOMWrapper(document.querySelector('[role="dialog"]')!);
    expect(dialog.attributes('aria-labelledby')).toBe('question-title');
    expect(dialog.attributes('aria-describedby')).toBe('question-text');
    expect(document.getElementById('question-title')!.textContent).toBe('Leave?');
    expect(document.getElementById('question-text')!.textContent).toBe('Nothing is lost.');
    expect(document.querySelector('[data-testid="question-dialog"]')!.classList).toContain('v-card');
  });

  it('once open, the first choice has the focus', async () => {
    const wrapper = mountDialog(true);
    await flushPromises();
    // happy-dom runs no transitions: tell it the opening one has ended, as the browser would.
    wrapper.findComponent(VDialog).vm.$emit('afterEnter');
    expect(document.activeElement?.textContent?.trim()).toBe('Stay');
  });

  it('Esc cancels', async () => {
    const wrapper = mountDialog(true);
    await settle();
    document.querySelector('.v-overlay__content')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await flushPromises();
    expect(wrapper.emitted('cancel')).toHaveLength(1);
  });
});
