import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Employee } from '../../../common/api';
import { createGate, type Sender } from '../../../electron/main/ipc/gate';
import { startTestPortal, type TestPortal } from '../../support/portal';
import { auditRows, storedEmployee } from '../../support/employees';
import { servicesFor, signIn, type ServicesHandle } from './support';

// Through the gate, against the reference portal: Remove number, and one too_long rule for any length.
const SENDER: Sender = { transport: 'websocket', origin: 'http://127.0.0.1:1', authenticated: true };
let portal: TestPortal;
let handle: ServicesHandle;

beforeAll(async () => {
  portal = await startTestPortal();
  handle = await servicesFor(portal);
  await signIn(portal, handle.services, 'admin');
}, 60_000);
afterAll(async () => {
  await handle?.close();
  await portal?.close();
});

async function someoneWithANumber(skip: number): Promise<Employee> {
  const page = await handle.services.employees.list({ limit: 50 });
  return page.items.filter((item) => item.cellPhone !== null && item.role !== 'admin')[skip]!;
}

describe('employees:update through the gate', () => {
  it('cellPhone null removes the number on the portal, audited', async () => {
    const gate = createGate({ services: handle.services, isTrustedSender: () => true });
    const employee = await someoneWithANumber(0);
    const result = await gate.invoke('employees:update', { id: employee.id, version: employee.version, cellPhone: null, idempotencyKey: randomUUID() }, SENDER);
    expect(result).toMatchObject({ ok: true, value: { id: employee.id, cellPhone: null, version: employee.version + 1 } });
    expect(storedEmployee(portal, employee.id).cell_phone).toBeNull();
    expect(auditRows(portal, employee.id)).toHaveLength(1);
  });

  it.each([251, 1024, 1025, 20_000])('%i characters: a validation error too_long (never invalid_input), nothing sent', async (length) => {
    const gate = createGate({ services: handle.services, isTrustedSender: () => true });
    const employee = await someoneWithANumber(1);
    const cellPhone = `+1 212 555 0100${' '.repeat(length - 15)}`;
    const result = await gate.invoke('employees:update', { id: employee.id, version: employee.version, cellPhone, idempotencyKey: randomUUID() }, SENDER);
    expect(result).toMatchObject({ ok: false, error: { code: 'validation', fields: [{ field: 'cellPhone', code: 'too_long' }] } });
    expect(storedEmployee(portal, employee.id).version).toBe(employee.version);
  });
});
