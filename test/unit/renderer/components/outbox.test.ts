import { DOMWrapper, flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Employee } from '../../../../common/api';
import { ok } from '../../../../common/ipc';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { useEmployeesStore } from '../../../../renderer/stores/employees';
import { useNotificationsStore } from '../../../../renderer/stores/notifications';
import { IDLE_SYNC, NO_DRAFTS, appliedFrom, makeDraft, signedIn } from '../support/fake-portal';
import type { Harness } from '../support/mount';
import { body, button, mountOutbox as mountOutboxOf, setUpOutbox } from '../support/outbox';

let harness: Harness;
let ada: Employee;
let bob: Employee;
let cy: Employee;

beforeEach(() => {
  ({ harness, ada, bob, cy } = setUpOutbox());
});

const mountOutbox = (state = NO_DRAFTS) => mountOutboxOf(harness, state);

describe('Outbox', () => {
  it('says so when there is nothing to send', async () => {
    const wrapper = await mountOutbox();
    expect(wrapper.get('h1').text()).toBe('Outbox');
    // Drafts cannot be verified with a code: the Outbox says they sync unverified.
    expect(wrapper.get('[data-testid="outbox-unverified"]').text()).toMatch(/^Drafts sync unverified: .*use Verify and save\.$/);
    expect(wrapper.get('[data-testid="outbox-empty"]').text()).toBe('No unsynced drafts.');
    expect(button(body(), 'Sync now').attributes('disabled')).toBeDefined();
  });

  it('lists drafts oldest first with from → to, the state, why it waits and the next retry', async () => {
    const pending = makeDraft(ada, { createdAt: '2030-01-01T09:00:00.000Z' });
    const failed = makeDraft(bob, {
      cellPhone: '+442079460000',
      state: 'failed',
      error: { code: 'server', message: 'The portal could not apply this change yet.' },
      nextAttemptAt: '2030-01-01T12:30:00.000Z',
    });
    const rejected = makeDraft(cy, { cellPhone: '+12125550188', state: 'rejected', error: { code: 'unreachable_type', message: 'This number cannot receive texts.' } });
    const wrapper = await mountOutbox({ ...NO_DRAFTS, drafts: [pending, failed, rejected] });
    const items = wrapper.findAll('[data-testid="outbox-draft"]');
    expect(items.map((item) => item.get('p').text())).toEqual(['Ada Lovelace', 'Bob Stone', 'Cy Young']);
    expect(items[0]!.text()).toContain('ada@acme.test');
    expect(items[0]!.get('[data-testid="outbox-base-value"]').text()).toBe('From +1 212 555 0100');
    expect(items[0]!.get('[data-testid="outbox-mine-value"]').text()).toBe('to +1 212 555 0177');
    expect(items.map((item) => item.get('[data-testid="outbox-state"]').text())).toEqual(['Draft', 'Retrying', 'Rejected']);
    expect(items[0]!.get('[data-testid="outbox-state"]').attributes('aria-label')).toBe('Draft: +1 212 555 0177, not yet synced');
    expect(items[1]!.get('[data-testid="outbox-error"]').text()).toContain('The portal could not apply this change yet.');
    expect(items[1]!.find('[data-testid="outbox-next-attempt"]').exists()).toBe(true);
    // The app's own sentence for the refusal's code, never the portal's English message.
    expect(items[2]!.get('[data-testid="outbox-error"]').text()).toContain('The portal refused this change: Premium-rate, toll-free, shared-cost, pager');
    expect(items[2]!.get('[data-testid="outbox-error"]').text()).not.toContain('This number cannot receive texts.');
    expect(items[2]!.get('[data-testid="outbox-base-value"]').text()).toBe('From No number');
  });

  it('Discard asks first; "Keep the draft" keeps it, "Discard draft" discards it', async () => {
    const draft = makeDraft(ada);
    await mountOutbox({ ...NO_DRAFTS, drafts: [draft] });
    await button(body(), 'Discard the draft for Ada Lovelace').trigger('click');
    await flushPromises();
    const confirm = () => body().find('[data-testid="discard-draft-dialog"]');
    expect(confirm().text()).toContain('Discard this draft?');
    expect(confirm().text()).toContain('+1 212 555 0177 for Ada Lovelace will not be sent');
    expect(harness.portal.api.drafts.discard).not.toHaveBeenCalled();
    await button(confirm(), 'Keep the draft').trigger('click');
    await flushPromises();
    expect(harness.portal.api.drafts.discard).not.toHaveBeenCalled();

    await button(body(), 'Discard the draft for Ada Lovelace').trigger('click');
    await flushPromises();
    await button(confirm(), 'Discard draft').trigger('click');
    await flushPromises();
    expect(harness.portal.api.drafts.discard).toHaveBeenCalledWith({ id: draft.id });
    expect(body().get('[data-testid="outbox-empty"]').text()).toBe('No unsynced drafts.');
  });

  it('a conflict shows base, mine and the portal’s now; the choices resolve with "mine" or "portal"', async () => {
    const theirs = { ...ada, cellPhone: '+447400123456', version: 4, updatedAt: '2030-01-01T09:30:00.000Z' };
    const conflict = makeDraft(ada, { cellPhone: '+442079460000', state: 'conflict', portal: theirs });
    const wrapper = await mountOutbox({ ...NO_DRAFTS, drafts: [conflict] });
    const panel = wrapper.get('[data-testid="draft-conflict"]');
    expect(panel.get('[data-testid="conflict-base-value"]').text()).toBe('+1 212 555 0100');
    expect(panel.get('[data-testid="conflict-mine-value"]').text()).toBe('+44 20 7946 0000');
    expect(panel.get('[data-testid="conflict-portal-value"]').text()).toBe('+44 7400 123456');
    expect(panel.text()).toContain('changed on the portal');
    // Who changed it, when the portal says so.
    expect(panel.text()).not.toContain('changed on the portal by');
    harness.portal.emitDrafts({ ...NO_DRAFTS, drafts: [{ ...conflict, portal: { ...theirs, updatedBy: 'Priya Shah' } }] });
    await flushPromises();
    expect(wrapper.get('[data-testid="draft-conflict"]').text()).toContain('changed on the portal by Priya Shah');

    harness.portal.api.drafts.resolve.mockResolvedValueOnce(ok({ draft: { ...conflict, state: 'pending', baseVersion: 4, portal: null } }));
    await button(panel, 'Apply mine on top').trigger('click');
    await flushPromises();
    expect(harness.portal.api.drafts.resolve).toHaveBeenCalledWith({ id: conflict.id, choice: 'mine' });
    expect(wrapper.get('[data-testid="outbox-state"]').text()).toBe('Draft');

    harness.portal.emitDrafts({ ...NO_DRAFTS, drafts: [conflict] });
    await flushPromises();
    await button(wrapper.get('[data-testid="draft-conflict"]'), 'Keep the portal’s').trigger('click');
    await flushPromises();
    expect(harness.portal.api.drafts.resolve).toHaveBeenLastCalledWith({ id: conflict.id, choice: 'portal' });
    expect(wrapper.find('[data-testid="outbox-draft"]').exists()).toBe(false);
    expect(useNotificationsStore().queue.map((notice) => notice.text)).toEqual([
      'Your number for Ada Lovelace will be sent on top of the portal’s.',
      'Kept the portal’s number for Ada Lovelace.',
    ]);
  });

  it('shows sync progress while running, the reason while waiting, and "Sync now" asks main', async () => {
    const wrapper = await mountOutbox({ ...NO_DRAFTS, drafts: [makeDraft(ada), makeDraft(bob)], sync: { ...IDLE_SYNC, state: 'running', done: 1, total: 4 } });
    expect(wrapper.get('[data-testid="sync-status-text"]').text()).toBe('Sending drafts… 1 of 4');
    expect(wrapper.get('[role="progressbar"][aria-label="Sending drafts"]').attributes('aria-valuenow')).toBe('25');
    expect(button(body(), 'Sync now').attributes('disabled')).toBeDefined();

    harness.portal.emitDrafts({
      ...NO_DRAFTS,
      drafts: [makeDraft(ada)],
      sync: { ...IDLE_SYNC, state: 'waiting', reason: 'Sign in with the portal to send your drafts.' },
    });
    await flushPromises();
    expect(wrapper.find('[data-testid="sync-progress"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="sync-status-text"]').text()).toBe('Sign in with the portal to send your drafts.');
    await button(body(), 'Sync now').trigger('click');
    await flushPromises();
    expect(harness.portal.api.drafts.syncNow).toHaveBeenCalledTimes(1);
  });

  it('lists recently applied changes, newest first', async () => {
    const first = makeDraft(ada);
    const second = makeDraft(bob, { cellPhone: '+442079460000' });
    const wrapper = await mountOutbox({
      ...NO_DRAFTS,
      history: [appliedFrom(second, { appliedAt: '2030-01-01T11:05:00.000Z' }), appliedFrom(first, { appliedAt: '2030-01-01T11:00:00.000Z' })],
    });
    const rows = wrapper.findAll('[data-testid="applied-change"]');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.text()).toContain('Bob Stone');
    expect(rows[0]!.text()).toContain('+44 20 7946 0000');
    expect(rows[1]!.text()).toContain('Ada Lovelace');
  });

  it('Edit opens the Edit Employee window with the draft’s number; saving updates the draft', async () => {
    const rejected = makeDraft(ada, { cellPhone: '+12125550188', state: 'rejected', error: { code: 'validation', message: 'Not a cell phone.' } });
    await mountOutbox({ ...NO_DRAFTS, drafts: [rejected] });
    await useEmployeesStore().load();
    await button(body(), 'Edit the draft for Ada Lovelace').trigger('click');
    await flushPromises();
    const dialog = new DOMWrapper(document.querySelector('[role="dialog"][aria-labelledby="edit-employee-title"]')!);
    const input = dialog.get<HTMLInputElement>('[data-testid="cell-phone-field"] input');
    expect(input.element.value).toBe('+1 212 555 0188');
    expect(dialog.get('[data-testid="draft-note"]').text()).toContain('The portal refused it: The portal did not accept this value.');
    await input.setValue('+44 20 7946 0000');
    await flushPromises();
    await dialog.get('button[type="submit"]').trigger('submit');
    await flushPromises();
    expect(harness.portal.api.drafts.save).toHaveBeenCalledWith({ employee: ada, cellPhone: '+442079460000' });
    expect(harness.portal.api.employees.update).not.toHaveBeenCalled();
    expect(useNotificationsStore().current?.text).toBe('Saved as draft. It will be sent when the portal is reachable.');
  });
});

describe('Outbox: changes made offline', () => {
  it('holds them under "N changes made offline — Review and send" until the admin sends them', async () => {
    const held = [makeDraft(ada, { isHeldForReview: true }), makeDraft(bob, { isHeldForReview: true })];
    const wrapper = await mountOutbox({ ...NO_DRAFTS, drafts: [...held, makeDraft(cy, { cellPhone: '+12125550188' })] });
    const review = wrapper.get('[data-testid="offline-changes-review"]');
    expect(review.text()).toContain('2 changes made offline — Review and send');
    harness.portal.api.drafts.sendReviewed.mockResolvedValue(ok({ ...NO_DRAFTS, drafts: held.map(({ isHeldForReview: _held, ...draft }) => draft) }));
    await button(review, 'Send 2 changes').trigger('click');
    await flushPromises();
    expect(harness.portal.api.drafts.sendReviewed).toHaveBeenCalledTimes(1);
    expect(wrapper.find('[data-testid="offline-changes-review"]').exists()).toBe(false);
  });

  it('only asks to sign in first while working offline', async () => {
    useAuthStore().applyState({ ...signedIn(), signedIn: false, user: null });
    const wrapper = await mountOutbox({ ...NO_DRAFTS, drafts: [makeDraft(ada, { isHeldForReview: true })] });
    const review = wrapper.get('[data-testid="offline-changes-review"]');
    expect(review.text()).toContain('Sign in with the portal to review and send them.');
    expect(review.find('[data-testid="send-offline-changes"]').exists()).toBe(false);
  });
});
