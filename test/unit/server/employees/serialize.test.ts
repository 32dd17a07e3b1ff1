import { describe, expect, it } from 'vitest';
import { searchTextOf, toEmployee, type EmployeeRow } from '../../../../server/employees/serialize';
import { requestHash } from '../../../../server/employees/idempotency';

const row: EmployeeRow = {
  id: 'acme-0042',
  company_id: 'acme',
  first_name: 'Jürgen',
  last_name: 'Müller',
  email: 'jurgen.muller@acme.test',
  role: 'tech',
  cell_phone: '+4915123456789',
  two_factor_status: 'active',
  two_factor_method: 'sms',
  last_login_at: null,
  updated_at: '2026-01-15T09:00:00.000Z',
  version: 3,
  sign_in_locked_at: null,
  updated_by: 'Alex Morgan',
  phone_verified_at: null,
};

describe('toEmployee', () => {
  it('shows admins the full number and everyone else the last four digits', () => {
    expect(toEmployee(row, { role: 'admin' })).toEqual({
      id: 'acme-0042',
      firstName: 'Jürgen',
      lastName: 'Müller',
      email: 'jurgen.muller@acme.test',
      role: 'tech',
      cellPhone: '+4915123456789',
      twoFactor: { status: 'active', method: 'sms' },
      lastLoginAt: null,
      updatedAt: '2026-01-15T09:00:00.000Z',
      version: 3,
      updatedBy: 'Alex Morgan',
      phoneVerifiedAt: null,
    });
    for (const role of ['business', 'tech', 'sales'] as const) expect(toEmployee(row, { role }).cellPhone).toBe('•••• 6789');
    expect(toEmployee({ ...row, cell_phone: null }, { role: 'tech' }).cellPhone).toBeNull();
  });

  it('marks an employee whose sign-in is locked by wrong codes as locked out', () => {
    expect(toEmployee({ ...row, sign_in_locked_at: '2026-01-15T10:00:00.000Z' }, { role: 'admin' }).twoFactor).toEqual({
      status: 'active',
      method: 'sms',
      lockedOut: true,
    });
  });
});

describe('searchTextOf', () => {
  it('is lower-case "first last email digits"', () => {
    expect(searchTextOf({ firstName: 'Jürgen', lastName: 'Müller', email: 'Jurgen.Muller@acme.test', cellPhone: '+4915123456789' })).toBe(
      'jürgen müller jurgen.muller@acme.test 4915123456789',
    );
    expect(searchTextOf({ firstName: 'Ann', lastName: 'Lee', email: 'ann@acme.test', cellPhone: null })).toBe('ann lee ann@acme.test');
  });
});

describe('requestHash', () => {
  it('differs when method, path, If-Match or body differ', () => {
    const base = ['PATCH', '/api/v1/employees/acme-0001', '"3"', { cellPhone: '+12125550100' }];
    const hashes = new Set([
      requestHash(base),
      requestHash(['POST', ...base.slice(1)]),
      requestHash([base[0], '/api/v1/employees/acme-0002', ...base.slice(2)]),
      requestHash([...base.slice(0, 2), '"4"', base[3]]),
      requestHash([...base.slice(0, 3), { cellPhone: '+12125550101' }]),
    ]);
    expect(hashes.size).toBe(5);
    expect(requestHash(base)).toBe(requestHash([...base]));
  });
});
