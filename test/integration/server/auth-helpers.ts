import { Secret, TOTP } from 'otpauth';
import { expect } from 'vitest';
import { portalRequest, type HttpsResponse, type TestPortal } from '../../support/portal';

/** The sign-in accounts of the demo seed (server/seed/demo.ts). */
export const ACCOUNTS = {
  admin: { email: 'admin@acme.test', password: 'acme-admin-demo', role: 'admin', phone: '+12125550142', method: 'sms' },
  tech: { email: 'tech@acme.test', password: 'acme-tech-demo', role: 'tech', phone: '+12125550143', method: 'sms' },
  totp: { email: 'totp@acme.test', password: 'acme-totp-demo', role: 'admin', phone: '+12125550144', method: 'totp' },
  globex: { email: 'admin@globex.test', password: 'globex-admin-demo', role: 'admin', phone: '+447400123456', method: 'sms' },
  locked: { email: 'locked@acme.test', password: 'acme-locked-demo', role: 'sales', phone: '+12125550145', method: 'sms' },
} as const;
export type AccountName = keyof typeof ACCOUNTS;
export const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** The demo seed must create every sign-in account these tests use, exactly as listed above. */
export async function ensureAccounts(portal: TestPortal): Promise<void> {
  for (const account of Object.values(ACCOUNTS)) {
    const row = await portal.store.get<{ role: string; cell_phone: string; two_factor_method: string; locked: number; has_password: number }>(
      'SELECT role, cell_phone, two_factor_method, locked, CASE WHEN password_hash IS NOT NULL THEN 1 ELSE 0 END AS has_password FROM employees WHERE email = ?',
      account.email);
    expect(row, `the demo seed lacks ${account.email}`).toBeDefined();
    expect(row).toMatchObject({ role: account.role, cell_phone: account.phone, two_factor_method: account.method, has_password: 1 });
    expect(row!.locked).toBe(account.email.startsWith('locked@') ? 1 : 0);
  }
}

/** An employee who cannot sign in (no password), as most seeded employees are. */
export async function employeeWithoutPassword(portal: TestPortal): Promise<string> {
  const found = await portal.store.get<{ email: string }>('SELECT email FROM employees WHERE password_hash IS NULL AND locked = 0 ORDER BY id LIMIT 1');
  if (!found) throw new Error('the demo seed has no employee without a password');
  return found.email;
}

export function employeeId(portal: TestPortal, email: string): string {
  return (portal.db.prepare('SELECT id FROM employees WHERE email = ?').get(email) as { id: string }).id;
}

/** employeeId on either backend. */
export async function readEmployeeId(portal: TestPortal, email: string): Promise<string> {
  return (await portal.store.get<{ id: string }>('SELECT id FROM employees WHERE email = ?', email))!.id;
}

export function login(portal: TestPortal, email: string, password: string): Promise<HttpsResponse> {
  return portalRequest(portal, 'POST', '/api/v1/auth/login', { body: { email, password } });
}

export interface ChallengeBody {
  challengeId: string;
  methods: string[];
  destination: string | null;
  expiresAt: string;
}
export interface TokenBody {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  authTime: string;
  user: { id: string; email: string; role: string; company: { id: string; name: string; country: string } };
}

/** Password step for a named account; asserts it gave a challenge. */
export async function startChallenge(portal: TestPortal, name: AccountName): Promise<ChallengeBody> {
  const response = await login(portal, ACCOUNTS[name].email, ACCOUNTS[name].password);
  expect(response.status, response.text).toBe(200);
  return response.body as ChallengeBody;
}

export function sendCode(portal: TestPortal, challengeId: string, method: 'sms' | 'voice' = 'sms'): Promise<HttpsResponse> {
  return portalRequest(portal, 'POST', `/api/v1/auth/challenges/${challengeId}/send`, { body: { method } });
}

export function verify(portal: TestPortal, challengeId: string, code: string, method?: string): Promise<HttpsResponse> {
  return portalRequest(portal, 'POST', `/api/v1/auth/challenges/${challengeId}/verify`, { body: method ? { code, method } : { code } });
}

/** The code in the newest message the demo carrier delivered to a number. */
export function lastCodeSentTo(portal: TestPortal, recipient: string): string {
  const row = portal.db.prepare('SELECT text FROM sms_messages WHERE recipient = ? ORDER BY id DESC LIMIT 1').get(recipient) as { text: string } | undefined;
  return codeIn(row, recipient);
}

/** lastCodeSentTo on either backend. */
export async function readLastCodeSentTo(portal: TestPortal, recipient: string): Promise<string> {
  return codeIn(await portal.store.get<{ text: string }>('SELECT text FROM sms_messages WHERE recipient = ? ORDER BY id DESC LIMIT 1', recipient), recipient);
}

function codeIn(row: { text: string } | undefined, recipient: string): string {
  const code = row ? /\b(\d{6})\b/.exec(row.text)?.[1] : undefined;
  if (!code) throw new Error(`no code was sent to ${recipient}`);
  return code;
}

export function phoneOf(portal: TestPortal, email: string): string {
  return (portal.db.prepare('SELECT cell_phone FROM employees WHERE email = ?').get(email) as { cell_phone: string }).cell_phone;
}

/** A code that is certainly not the right one. */
export function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

export function totpCode(at: Date, secret = TOTP_SECRET): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: at.getTime() });
}

/** Full sign-in by SMS: password, send, read the code, verify. */
export async function signIn(portal: TestPortal, name: AccountName = 'admin'): Promise<TokenBody> {
  const challenge = await startChallenge(portal, name);
  const sent = await sendCode(portal, challenge.challengeId);
  expect(sent.status, sent.text).toBe(200);
  const response = await verify(portal, challenge.challengeId, await readLastCodeSentTo(portal, ACCOUNTS[name].phone));
  expect(response.status, response.text).toBe(200);
  return response.body as TokenBody;
}
