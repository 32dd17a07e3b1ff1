import { describe, expect, it } from 'vitest';
import type { Employee, PortalUser } from '../../../../common/api';
import { IpcFailure } from '../../../../common/ipc';
import { createEmployeesService } from '../../../../electron/main/services/employees';
import type { PortalClient, PortalRequest } from '../../../../electron/main/infra/portal-client';
import { sampleEmployee } from '../support/fixtures';

const EMPLOYEE: Employee = sampleEmployee({ version: 4 });
const user = (country: string): PortalUser => ({
  id: 'u',
  email: 'admin@globex.test',
  firstName: 'P',
  lastName: 'S',
  role: 'admin',
  company: { id: 'c', name: 'C', country },
});

function setup(country = 'US') {
  const requests: PortalRequest<unknown>[] = [];
  const client: PortalClient = {
    url: 'https://portal.test',
    origin: 'https://portal.test',
    request: async <T>(request: PortalRequest<T>) => {
      requests.push(request as PortalRequest<unknown>);
      return request.schema.parse(request.method === 'GET' && request.path === '/employees' ? { items: [EMPLOYEE], nextCursor: null, total: 1 } : EMPLOYEE);
    },
    dispose() {},
  };
  const service = createEmployeesService({ portal: () => client, auth: { currentUser: () => user(country) } });
  return { service, requests };
}

describe('employees', () => {
  it('lists with only the given query parameters', async () => {
    const { service, requests } = setup();
    await expect(service.list({ q: 'sam', limit: 50 })).resolves.toEqual({ items: [EMPLOYEE], nextCursor: null, total: 1 });
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/employees', query: { q: 'sam', limit: 50, sort: undefined } });
  });

  it("updates with If-Match from the edited version, the caller's Idempotency-Key (main mints none), and the number in E.164", async () => {
    const { service, requests } = setup('GB');
    await service.update({ id: 'acme-0002', version: 4, cellPhone: '07400 123456', idempotencyKey: '11111111-1111-4111-8111-111111111111' });
    await service.update({ id: 'acme-0002', version: 4, cellPhone: '+44 7400 123456', idempotencyKey: '22222222-2222-4222-8222-222222222222' });
    await service.update({ id: 'acme-0002', version: 5, cellPhone: '+447400123456', idempotencyKey: '33333333-3333-4333-8333-333333333333' });
    expect(requests.map((request) => [request.method, request.path, request.headers, request.body])).toEqual([
      ['PATCH', '/employees/acme-0002', { 'If-Match': '"4"', 'Idempotency-Key': '11111111-1111-4111-8111-111111111111' }, { cellPhone: '+447400123456' }],
      ['PATCH', '/employees/acme-0002', { 'If-Match': '"4"', 'Idempotency-Key': '22222222-2222-4222-8222-222222222222' }, { cellPhone: '+447400123456' }],
      ['PATCH', '/employees/acme-0002', { 'If-Match': '"5"', 'Idempotency-Key': '33333333-3333-4333-8333-333333333333' }, { cellPhone: '+447400123456' }],
    ]);
  });

  it('null removes the number: PATCH cellPhone null with If-Match', async () => {
    const { service, requests } = setup();
    await service.update({ id: 'acme-0002', version: 4, cellPhone: null, idempotencyKey: '11111111-1111-4111-8111-111111111111' });
    expect(requests.map((request) => [request.method, request.path, request.headers, request.body])).toEqual([
      ['PATCH', '/employees/acme-0002', { 'If-Match': '"4"', 'Idempotency-Key': '11111111-1111-4111-8111-111111111111' }, { cellPhone: null }],
    ]);
  });

  it.each([
    ['', 'required'],
    ['12', 'invalid'],
    ['+1 212 555 0142 ext. 12', 'extension_not_allowed'],
    ['+1 800 555 0100', 'unreachable_type'],
  ])('refuses %j (%s) with field reasons, without calling the portal', async (cellPhone, reason) => {
    const { service, requests } = setup();
    const error = await service.update({ id: 'acme-0002', version: 4, cellPhone, idempotencyKey: '11111111-1111-4111-8111-111111111111' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IpcFailure);
    expect((error as IpcFailure).code).toBe('validation');
    expect((error as IpcFailure).extra.fields).toEqual([{ field: 'cellPhone', code: reason, message: expect.any(String) as unknown }]);
    expect(requests).toEqual([]);
  });
});
