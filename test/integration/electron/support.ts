import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as OTPAuth from 'otpauth';
import { expect } from 'vitest';
import type { Employee, EmployeeList } from '../../../common/api';
import type { IpcResult, LoginStep } from '../../../common/ipc';
import type { Gate, Sender } from '../../../electron/main/ipc/gate';
import { createLogger } from '../../../electron/main/log';
import { createServices, type CreateServicesOptions, type Services } from '../../../electron/main/create-services';
import type { TestPortal } from '../../support/portal';

export const ACCOUNTS = {
  admin: { email: 'admin@acme.test', password: 'acme-admin-demo', phone: '+12125550142' },
  tech: { email: 'tech@acme.test', password: 'acme-tech-demo', phone: '+12125550143' },
  totp: { email: 'totp@acme.test', password: 'acme-totp-demo', phone: '+12125550144' },
  globex: { email: 'admin@globex.test', password: 'globex-admin-demo', phone: '+447400123456' },
} as const;
export type AccountName = keyof typeof ACCOUNTS;

export const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** The newest code the demo carrier "sent" to this number. */
export function lastSmsCode(portal: TestPortal, recipient: string): string {
  const message = portal.app.demoSms?.list(50).find((item) => item.recipient === recipient);
  const code = message ? /\b(\d{6})\b/.exec(message.text)?.[1] : undefined;
  if (!code) throw new Error(`no code was sent to ${recipient}`);
  return code;
}

/** The TOTP code for the portal's current time (its clock may be a ManualClock). */
export function totpCode(portal: TestPortal): string {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(TOTP_SECRET), digits: 6, period: 30, algorithm: 'SHA1' });
  return totp.generate({ timestamp: portal.app.clock.now().getTime() });
}

export interface ServicesHandle {
  services: Services;
  directory: string;
  logLines: string[];
  close(): Promise<void>;
}

/** Services for a temporary profile, pointed at the test portal with its certificate trusted. */
export async function servicesFor(portal: TestPortal, options: Partial<CreateServicesOptions> & { directory?: string } = {}): Promise<ServicesHandle> {
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'portal-admin-profile-'));
  const logLines: string[] = [];
  const services = await createServices({
    userDataDir: directory,
    portal: { url: portal.url, caPem: portal.tls.cert, isDemo: true },
    keychain: 'memory',
    probeConnection: false,
    log: createLogger({ level: 'debug', sink: (line) => logLines.push(line) }),
    timeouts: { connectMs: 2_000, requestMs: 10_000 },
    ...options,
  });
  return {
    services,
    directory,
    logLines,
    async close() {
      await services.dispose();
      if (!options.directory) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Password + SMS code (or TOTP) all the way to signed_in. */
export async function signIn(portal: TestPortal, services: Services, name: AccountName, rememberMe = false, keepOfflineCopy = false): Promise<void> {
  const account = ACCOUNTS[name];
  const first = await services.auth.startLogin({ email: account.email, password: account.password, rememberMe, keepOfflineCopy });
  expect(first.step).toBe('second_factor_required');
  let step: LoginStep;
  if (name === 'totp') {
    step = await services.auth.verifyCode({ code: totpCode(portal), method: 'totp' });
  } else {
    await services.auth.sendCode({ method: 'sms' });
    step = await services.auth.verifyCode({ code: lastSmsCode(portal, account.phone) });
  }
  expect(step.step).toBe('signed_in');
}

/** What the grid does: every employee, 100 then 1,000 a page (the full walk becomes the offline copy). */
export async function loadAllEmployees(services: Services): Promise<Employee[]> {
  const items: Employee[] = [];
  let page: EmployeeList = await services.employees.list({ limit: 100, sort: 'name', order: 'asc' });
  items.push(...page.items);
  while (page.nextCursor !== null) {
    page = await services.employees.list({ limit: 1000, sort: 'name', order: 'asc', cursor: page.nextCursor });
    items.push(...page.items);
  }
  return items;
}

/** A browser-mode page's sender, trusted by the gates these tests make. */
export const PAGE_SENDER: Sender = { transport: 'websocket', origin: 'http://127.0.0.1', authenticated: true };

/** A channel called through the gate as the window calls it; a failure throws with its code and message. */
export async function invokeOrThrow<T>(gate: Gate, channel: string, payload: unknown = {}): Promise<T> {
  const result = (await gate.invoke(channel, payload, PAGE_SENDER)) as IpcResult<T>;
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value;
}
