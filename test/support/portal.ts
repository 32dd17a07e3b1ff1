import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpsRequest } from 'node:https';
import { startPortal, type RunningPortal, type StartOptions } from '../../server/server';
import { randomUUID } from 'node:crypto';
import type { Db } from '../../server/db/connection';
import { ACCESS_TOKEN_SECONDS, hashToken, issueTokenPair, newToken } from '../../server/auth/tokens';
import { freshPostgresDatabase, type Backend } from './backends';

export interface TestPortal extends RunningPortal {
  directory: string;
  /** The PostgreSQL database's URL (null on SQLite). */
  database?: string | null;
  /** Messages the demo carrier printed. */
  printed: string[];
}

/** A real reference portal: HTTPS on 127.0.0.1 port 0, a real SQLite file in a temporary folder. */
export async function startTestPortal(options: Partial<StartOptions> = {}): Promise<TestPortal> {
  const directory = mkdtempSync(join(tmpdir(), 'portal-test-'));
  const printed: string[] = [];
  const portal = await startPortal({
    port: 0,
    dbFile: join(directory, 'portal.sqlite'),
    seed: 'demo',
    sms: { kind: 'demo' },
    print: (line) => printed.push(line),
    ...options,
  });
  // Object.assign keeps the portal's `db` getter (a spread would call it, which throws on PostgreSQL).
  const close = portal.close.bind(portal);
  return Object.assign(portal, {
    directory,
    printed,
    async close() {
      await close();
      rmSync(directory, { recursive: true, force: true });
    },
  });
}

export interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

/** startTestPortal on a backend: on PostgreSQL, a fresh database of the run's cluster. */
export async function startBackendPortal(backend: Backend, options: Partial<StartOptions> = {}): Promise<TestPortal> {
  const database = backend === 'postgres' ? await freshPostgresDatabase() : null;
  const portal = await startTestPortal({ ...(database ? { database } : {}), ...options });
  return Object.assign(portal, { database });
}

/** tokenFor on either backend (a new session through the portal's store). */
export async function sessionToken(portal: RunningPortal, email: string): Promise<string> {
  const row = await portal.store.get<{ id: string }>('SELECT id FROM employees WHERE email = ?', email);
  if (!row) throw new Error(`no seeded user ${email}`);
  return (await issueTokenPair(portal.store, row.id, portal.app.clock.now())).accessToken;
}

/** Where a portal (in this process or another) answers, and the certificate it answers with. */
export interface PortalAddress {
  url: string;
  tls: { cert: string };
}

/** One HTTPS request to the portal, trusting only its own certificate (verification stays on). */
export function portalRequest(
  portal: PortalAddress,
  method: string,
  path: string,
  options: {
    body?: unknown;
    rawBody?: string | Buffer;
    headers?: Record<string, string>;
    token?: string;
    /** The loopback address to send from (127.0.0.2 …), to play a distinct source address. */
    from?: string;
  } = {},
): Promise<HttpsResponse> {
  const url = new URL(path, portal.url);
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (payload !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const request = httpsRequest(url, { method, headers, ca: portal.tls.cert, ...(options.from ? { localAddress: options.from, agent: false } : {}) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined; // not JSON: callers read `text`
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, text });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    if (payload !== undefined) request.write(payload);
    request.end();
  });
}

/** An access token for a seeded user, minted directly (for tests of routes other than sign-in). */
export function tokenFor(portal: RunningPortal, email: string): string {
  const row = portal.db.prepare('SELECT id FROM employees WHERE email = ?').get(email) as { id: string } | undefined;
  if (!row) throw new Error(`no seeded user ${email}`);
  return mintAccessToken(portal.db, row.id, portal.app.clock.now());
}

/** An access token of a new session, written with SQL on an SQLite file (synchronous, unlike issueTokenPair). */
export function mintAccessToken(db: Db, employeeId: string, now: Date): string {
  const family = randomUUID();
  const token = newToken();
  const expires = new Date(now.getTime() + ACCESS_TOKEN_SECONDS * 1000).toISOString();
  db.prepare('INSERT INTO token_families (id, employee_id, created_at, auth_time) VALUES (?, ?, ?, ?)').run(family, employeeId, now.toISOString(), now.toISOString());
  db.prepare('INSERT INTO access_tokens (token_hash, family_id, employee_id, expires_at) VALUES (?, ?, ?, ?)').run(hashToken(token), family, employeeId, expires);
  return token;
}

/** The portal's view of a refresh token's family: revoked or not. */
export function isRefreshFamilyRevoked(portal: RunningPortal, refreshToken: string): boolean {
  const row = portal.db
    .prepare('SELECT f.revoked_at FROM refresh_tokens r JOIN token_families f ON f.id = r.family_id WHERE r.token_hash = ?')
    .get(hashToken(refreshToken)) as { revoked_at: string | null } | undefined;
  if (!row) throw new Error('unknown refresh token');
  return row.revoked_at !== null;
}
