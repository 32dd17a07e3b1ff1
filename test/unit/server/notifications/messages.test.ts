import { describe, expect, it } from 'vitest';
import { formatUtc, numberChangeText } from '../../../../server/notifications/messages';

const facts = { actorName: 'Alex Morgan', companyName: 'Acme IT Services', at: new Date('2026-12-06T14:03:59Z') };

describe('the number-change notice', () => {
  it('names both numbers masked to their last 4 digits, who, and when in UTC', () => {
    const text = numberChangeText({ ...facts, oldPhone: '+12125550142', newPhone: '+447400123456' });
    expect(text).toBe(
      'Your sign-in phone number was changed from •••• 0142 to •••• 3456 by Alex Morgan (Acme IT Services) on 6 Dec 2026 at 14:03 UTC. ' +
        'If you did not expect this, contact your administrator.',
    );
  });

  it('never carries more than the last 4 digits of either number', () => {
    const text = numberChangeText({ ...facts, oldPhone: '+12125550142', newPhone: '+447400123456' });
    expect(text).not.toMatch(/212|555|7400|\+44|\+1/);
    expect(text.match(/\d+/g)?.filter((run) => run.length >= 5)).toEqual([]);
  });

  it('says "added" when there was no number and "removed" when there is none now', () => {
    expect(numberChangeText({ ...facts, oldPhone: null, newPhone: '+447400123456' })).toMatch(/^A sign-in phone number \(•••• 3456\) was added to your account by Alex Morgan/);
    expect(numberChangeText({ ...facts, oldPhone: '+12125550142', newPhone: null })).toMatch(/^Your sign-in phone number •••• 0142 was removed by Alex Morgan/);
  });

  it('masks a short number entirely', () => {
    expect(numberChangeText({ ...facts, oldPhone: '+6831234', newPhone: '+447400123456' })).toContain('from •••• to •••• 3456');
  });

  it('formats the time as day, short month, year and 24-hour UTC', () => {
    expect(formatUtc(new Date('2027-01-02T03:04:05Z'))).toBe('2 Jan 2027 at 03:04 UTC');
  });
});
