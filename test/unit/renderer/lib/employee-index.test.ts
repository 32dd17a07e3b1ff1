import { describe, expect, it, vi } from 'vitest';
import type { Employee } from '../../../../common/api';
import type * as phone from '../../../../common/phone';
import { validatePhone } from '../../../../common/phone';
import { attentionReasons } from '../../../../renderer/lib/attention';
import { DEFAULT_QUERY, EmployeeIndex, type EmployeeQuery } from '../../../../renderer/lib/employee-index';
import { makeEmployee } from '../support/fake-portal';

// The real rules, counted: a search must read the typed number once per query, never per row.
vi.mock('../../../../common/phone', async (importOriginal) => {
  const actual = await importOriginal<typeof phone>();
  return { ...actual, validatePhone: vi.fn(actual.validatePhone) };
});

function names(index: EmployeeIndex, positions: Uint32Array): string[] {
  return Array.from(positions, (position) => index.at(position).lastName);
}

function build(rows: Employee[]): EmployeeIndex {
  const index = new EmployeeIndex();
  index.append(rows);
  return index;
}

const query = (patch: Partial<EmployeeQuery>): EmployeeQuery => ({ ...DEFAULT_QUERY, ...patch });

// In the portal's name order (the order the list is loaded in).
const rows = [
  makeEmployee({ firstName: 'Émile', lastName: 'Adler', email: 'emile@acme.test', role: 'admin', cellPhone: '+442079460000', lastLoginAt: null }),
  makeEmployee({ firstName: 'Bea', lastName: 'Brown', email: 'bea@acme.test', role: 'tech', cellPhone: null, twoFactor: { status: 'pending', method: null } }),
  makeEmployee({ firstName: 'Carl', lastName: 'Chen', email: 'carl@acme.test', role: 'sales', cellPhone: '+12125550199', twoFactor: { status: 'not_enrolled', method: null }, lastLoginAt: '2024-06-01T00:00:00Z' }),
  makeEmployee({ firstName: 'Dana', lastName: 'Diaz', email: 'ZED@acme.test', role: 'business', cellPhone: '+447400123456', lastLoginAt: '2025-06-01T00:00:00Z' }),
];

describe('EmployeeIndex', () => {
  it('searches name, email and phone digits, accent- and case-insensitively', () => {
    const index = build(rows);
    expect(names(index, index.filter(query({ text: 'emile' })))).toEqual(['Adler']);
    expect(names(index, index.filter(query({ text: 'BEA@' })))).toEqual(['Brown']);
    expect(names(index, index.filter(query({ text: 'carl chen' })))).toEqual(['Chen']);
    expect(names(index, index.filter(query({ text: 'chen carl' })))).toEqual(['Chen']);
    expect(names(index, index.filter(query({ text: '+44 20 7946' })))).toEqual(['Adler']);
    expect(names(index, index.filter(query({ text: '(212) 555-0199' })))).toEqual(['Chen']);
    expect(names(index, index.filter(query({ text: '7400' })))).toEqual(['Diaz']);
    expect(index.filter(query({ text: 'nobody' }))).toHaveLength(0);
  });

  it('finds numbers typed in national format, read in the company’s country', () => {
    const index = build(rows);
    // A GB company: the trunk prefix 0 goes, the calling code 44 comes.
    expect(names(index, index.filter(query({ text: '020 7946' }), 'GB'))).toEqual(['Adler']);
    expect(names(index, index.filter(query({ text: '020 7946 0000' }), 'GB'))).toEqual(['Adler']);
    expect(names(index, index.filter(query({ text: '07400 123' }), 'GB'))).toEqual(['Diaz']);
    expect(names(index, index.filter(query({ text: '0044 20 7946' }), 'GB'))).toEqual(['Adler']);
    // Typed with + it is international already, and no company country means no guessing.
    expect(index.filter(query({ text: '+020 7946' }), 'GB')).toHaveLength(0);
    expect(index.filter(query({ text: '020 7946' }), null)).toHaveLength(0);
    expect(index.filter(query({ text: '020 7946' }))).toHaveLength(0);
    // A US company: no trunk prefix, calling code 1.
    expect(names(index, index.filter(query({ text: '(212) 555' }), 'US'))).toEqual(['Chen']);
    expect(names(index, index.filter(query({ text: '212-555-0199' }), 'US'))).toEqual(['Chen']);
    expect(index.filter(query({ text: '020 7946' }), 'US')).toHaveLength(0);
    // Names and emails are searched as before.
    expect(names(index, index.filter(query({ text: 'diaz' }), 'GB'))).toEqual(['Diaz']);
  });

  it('finds the number at every keystroke while it is typed nationally', () => {
    const index = build(rows);
    const typed = '020 7946 0000';
    for (let length = 1; length <= typed.length; length++) {
      expect(names(index, index.filter(query({ text: typed.slice(0, length) }), 'GB'))).toContain('Adler');
    }
    expect(names(index, index.filter(query({ text: typed }), 'GB'))).toEqual(['Adler']);
  });

  it('does not narrow from a previous result that the whole number can escape', () => {
    // Russia's trunk prefix is 8: "8 912 345 6789" is +7 912 345 6789, a partial "8 912…" is not.
    const russian = makeEmployee({ lastName: 'Ivanov', cellPhone: '+79123456789' });
    const index = build([...rows, russian]);
    expect(index.filter(query({ text: '8 912 345 678' }), 'RU')).toHaveLength(0);
    expect(names(index, index.filter(query({ text: '8 912 345 6789' }), 'RU'))).toEqual(['Ivanov']);
    // A term that only now becomes phone-like ("-" → "-0") is not a narrowing either.
    expect(index.filter(query({ text: 'a -' }))).toHaveLength(0);
    expect(names(index, index.filter(query({ text: 'a -0' })))).toEqual(['Adler', 'Chen', 'Diaz']);
  });

  it('reads the typed number once per query, not once per row', () => {
    const many: Employee[] = [];
    for (let i = 0; i < 2000; i++) many.push(makeEmployee({ cellPhone: `+44207946${String(i).padStart(4, '0')}` }));
    const index = build(many);
    vi.mocked(validatePhone).mockClear();
    expect(index.filter(query({ text: '020 7946 0000' }), 'GB')).toHaveLength(1);
    expect(index.filter(query({ text: '020 794' }), 'GB')).toHaveLength(2000);
    expect(vi.mocked(validatePhone).mock.calls.length).toBeLessThanOrEqual(2);
  });

  it('filters by role, 2FA status and needs attention (no number, landline, not enrolled)', () => {
    const index = build(rows);
    expect(names(index, index.filter(query({ role: 'tech' })))).toEqual(['Brown']);
    expect(names(index, index.filter(query({ status: 'not_enrolled' })))).toEqual(['Chen']);
    expect(names(index, index.filter(query({ needsAttention: true })))).toEqual(['Adler', 'Brown', 'Chen']);
    expect(names(index, index.filter(query({ needsAttention: true, text: 'a', role: 'admin' })))).toEqual(['Adler']);
  });

  it('needs attention: no number, landline, not enrolled, pending (with a mobile) and locked out, each with its reason, and a count', () => {
    const attentionRows = [
      makeEmployee({ lastName: 'Fine', cellPhone: '+447400123456' }),
      makeEmployee({ lastName: 'Pending', cellPhone: '+447400123457', twoFactor: { status: 'pending', method: 'sms' } }),
      makeEmployee({ lastName: 'Locked', cellPhone: '+447400123458', twoFactor: { status: 'active', method: 'sms', lockedOut: true } }),
      makeEmployee({ lastName: 'Landline', cellPhone: '+442079460000', twoFactor: { status: 'pending', method: 'voice' } }),
      makeEmployee({ lastName: 'Nothing', cellPhone: null, twoFactor: { status: 'not_enrolled', method: null } }),
    ];
    const index = build(attentionRows);
    expect(names(index, index.filter(query({ needsAttention: true })))).toEqual(['Pending', 'Locked', 'Landline', 'Nothing']);
    expect(index.attentionCount).toBe(4);
    expect(attentionRows.map((row) => attentionReasons(row))).toEqual([[], ['pending'], ['locked_out'], ['landline', 'pending'], ['no_number', 'not_enrolled']]);
    // The count follows changes, in both directions.
    index.replace({ ...attentionRows[1]!, twoFactor: { status: 'active', method: 'sms' }, version: 2 });
    index.replace({ ...attentionRows[0]!, cellPhone: null, version: 2 });
    expect(index.attentionCount).toBe(4);
    index.replace({ ...attentionRows[2]!, twoFactor: { status: 'active', method: 'sms' }, version: 2 });
    expect(index.attentionCount).toBe(3);
    index.clear();
    expect(index.attentionCount).toBe(0);
  });

  it('narrows from the previous result while typing, and widens again correctly', () => {
    const index = build(rows);
    expect(index.filter(query({ text: 'a' }))).toHaveLength(4);
    expect(names(index, index.filter(query({ text: 'ad' })))).toEqual(['Adler']);
    expect(names(index, index.filter(query({ text: 'a' })))).toHaveLength(4);
    expect(names(index, index.filter(query({ text: 'a', role: 'tech' })))).toEqual(['Brown']);
    expect(names(index, index.filter(query({ text: 'a' })))).toHaveLength(4);
  });

  it('sorts every column both ways, ties in name order', () => {
    const index = build(rows);
    expect(names(index, index.order('name', 'asc'))).toEqual(['Adler', 'Brown', 'Chen', 'Diaz']);
    expect(names(index, index.order('name', 'desc'))).toEqual(['Diaz', 'Chen', 'Brown', 'Adler']);
    expect(names(index, index.order('email', 'asc'))).toEqual(['Brown', 'Chen', 'Adler', 'Diaz']);
    expect(names(index, index.order('role', 'asc'))).toEqual(['Adler', 'Diaz', 'Chen', 'Brown']);
    expect(names(index, index.order('twoFactor', 'asc'))).toEqual(['Adler', 'Diaz', 'Brown', 'Chen']);
    expect(names(index, index.order('twoFactor', 'desc'))).toEqual(['Chen', 'Brown', 'Adler', 'Diaz']);
    expect(names(index, index.order('cellPhone', 'asc'))).toEqual(['Chen', 'Adler', 'Diaz', 'Brown']);
    // Never signed in first, then oldest to newest.
    expect(names(index, index.order('lastLogin', 'asc'))).toEqual(['Adler', 'Chen', 'Brown', 'Diaz']);
    expect(names(index, index.order('lastLogin', 'desc'))).toEqual(['Diaz', 'Brown', 'Chen', 'Adler']);
    expect(names(index, index.filter(query({ sort: 'email', order: 'desc', text: 'a' })))).toEqual(['Diaz', 'Adler', 'Chen', 'Brown']);
  });

  it('computes big orders in slices with the same result as at once', async () => {
    const many: Employee[] = [];
    for (let i = 0; i < 6000; i++) many.push(makeEmployee({ email: `u${(i * 7919) % 6000}@acme.test` }));
    const index = build(many);
    expect(index.hasOrder('email', 'asc')).toBe(false);
    expect(await index.prepareOrder('email', 'asc')).toBe(true);
    const sliced = index.order('email', 'asc');
    const emails = Array.from(sliced, (position) => index.at(position).email);
    expect(emails).toEqual([...emails].sort());
  });

  it('replaces a row in place and re-sorts what depends on it', () => {
    const index = build(rows);
    expect(names(index, index.filter(query({ needsAttention: true })))).toContain('Brown');
    const fixed = { ...rows[1]!, cellPhone: '+12125550111', twoFactor: { status: 'active' as const, method: 'sms' as const }, version: 2 };
    expect(index.replace(fixed)).toBe(true);
    expect(index.at(1)).toBe(fixed);
    expect(names(index, index.filter(query({ needsAttention: true })))).not.toContain('Brown');
    expect(names(index, index.order('cellPhone', 'asc'))).toEqual(['Brown', 'Chen', 'Adler', 'Diaz']);
    expect(index.replace(makeEmployee())).toBe(false);
  });
});
