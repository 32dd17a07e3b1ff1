import { describe, expect, it } from 'vitest';
import type { Employee, PortalUser } from '../../../../common/api';
import { IpcFailure } from '../../../../common/ipc';
import { createNumberChangesService, VERIFICATION_ENDED_MESSAGE } from '../../../../electron/main/services/number-changes';
import type { PortalClient, PortalRequest } from '../../../../electron/main/infra/portal-client';
import { sampleEmployee } from '../support/fixtures';

const EMPLOYEE: Employee = sampleEmployee({ version: 5 });
const VID = 'V'.repeat(43);
const VERIFICATION = { id: VID, cellPhone: '+447400123456', method: 'sms', expiresAt: '2026-01-15T09:10:00.000Z', resendAfter: 30, sendsLeft: 4 };
const USER: PortalUser = { id: 'u', email: 'admin@globex.test', firstName: 'P', lastName: 'S', role: 'admin', company: { id: 'c', name: 'C', country: 'GB' } };

function setup(answer: (request: PortalRequest<unknown>) => unknown = (request) => (request.path.endsWith('/confirm') ? EMPLOYEE : VERIFICATION)) {
  const requests: PortalRequest<unknown>[] = [];
  const saved: Employee[] = [];
  const client: PortalClient = {
    url: 'https://portal.test',
    origin: 'https://portal.test',
    request: async <T>(request: PortalRequest<T>) => {
      requests.push(request as PortalRequest<unknown>);
      return request.schema.parse(answer(request as PortalRequest<unknown>));
    },
    dispose() {},
  };
  const service = createNumberChangesService({
    portal: () => client,
    auth: { currentUser: () => USER },
    onSaved: (employee) => saved.push(employee),
  });
  return { service, requests, saved };
}

describe('number changes (main)', () => {
  it('starts a verification with If-Match and the number in E.164 (read with the company country)', async () => {
    const { service, requests } = setup();
    await expect(service.startVerification({ id: 'acme-0002', version: 5, cellPhone: '07400 123456' })).resolves.toMatchObject({ id: VID });
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/employees/acme-0002/phone-verifications', headers: { 'If-Match': '"5"' }, body: { cellPhone: '+447400123456' } });
  });

  it('refuses a bad number before asking the portal', async () => {
    const { service, requests } = setup();
    await expect(service.startVerification({ id: 'acme-0002', version: 5, cellPhone: '+1 900 555 0100' })).rejects.toMatchObject({ code: 'validation' });
    expect(requests).toEqual([]);
  });

  it('confirms with If-Match and an Idempotency-Key, and hands the saved employee on', async () => {
    const { service, requests, saved } = setup();
    await service.confirmVerification({ id: 'acme-0002', verificationId: VID, version: 5, code: '123456', idempotencyKey: '11111111-1111-4111-8111-111111111111' });
    expect(requests[0]).toMatchObject({
      method: 'POST',
      path: `/employees/acme-0002/phone-verifications/${VID}/confirm`,
      headers: { 'If-Match': '"5"', 'Idempotency-Key': '11111111-1111-4111-8111-111111111111' },
      body: { code: '123456' },
    });
    expect(saved).toEqual([EMPLOYEE]);
  });

  it("says a verification ended in its own words, not a sign-in's", async () => {
    const { service } = setup(() => {
      throw new IpcFailure('challenge_expired', 'This sign-in attempt has expired.');
    });
    await expect(service.resendVerification({ id: 'acme-0002', verificationId: VID })).rejects.toMatchObject({ message: VERIFICATION_ENDED_MESSAGE });
  });
});
