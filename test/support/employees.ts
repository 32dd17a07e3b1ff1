import type { RunningPortal } from '../../server/server';
import { portalRequest } from './portal';

/** How a test reaches the portal: Fastify's inject (no network) or real HTTPS on loopback. */
export type Transport = 'inject' | 'https';
export const TRANSPORTS: readonly Transport[] = ['inject', 'https'];

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** Parsed JSON, or undefined when the body is not JSON. */
  body: unknown;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

/** One request over the chosen transport, with the same options and result shape for both. */
export async function call(
  portal: RunningPortal,
  transport: Transport,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  if (transport === 'https') {
    const response = await portalRequest(portal, method, path, options);
    return { status: response.status, headers: response.headers, body: response.body, text: response.text };
  }
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await portal.app.inject({ method, url: path, headers, ...(payload === undefined ? {} : { payload }) });
  let body: unknown;
  try {
    body = response.body ? JSON.parse(response.body) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.statusCode, headers: response.headers, body, text: response.body };
}

export interface StoredEmployee {
  id: string;
  company_id: string;
  cell_phone: string | null;
  version: number;
  updated_at: string;
  search_text: string;
}

/** The employee as the database holds it (bypassing the API). */
export function storedEmployee(portal: RunningPortal, id: string): StoredEmployee {
  const row = portal.db
    .prepare('SELECT id, company_id, cell_phone, version, updated_at, search_text FROM employees WHERE id = ?')
    .get(id) as StoredEmployee | undefined;
  if (!row) throw new Error(`no employee ${id}`);
  return row;
}

export function auditRows(portal: RunningPortal, employeeId: string): { old_value: string | null; new_value: string | null; request_id: string }[] {
  return portal.db
    .prepare('SELECT old_value, new_value, request_id FROM audit_log WHERE employee_id = ? ORDER BY id')
    .all(employeeId) as { old_value: string | null; new_value: string | null; request_id: string }[];
}

/** storedEmployee on either backend (through the portal's store). */
export async function readEmployee(portal: RunningPortal, id: string): Promise<StoredEmployee> {
  const row = await portal.store.get<StoredEmployee>('SELECT id, company_id, cell_phone, version, updated_at, search_text FROM employees WHERE id = ?', id);
  if (!row) throw new Error(`no employee ${id}`);
  return row;
}

/** auditRows on either backend. */
export function readAudit(portal: RunningPortal, employeeId: string): Promise<{ old_value: string | null; new_value: string | null; request_id: string }[]> {
  return portal.store.all('SELECT old_value, new_value, request_id FROM audit_log WHERE employee_id = ? ORDER BY id', employeeId);
}

/** `"3"` for version 3. */
export const ifMatch = (version: number): string => `"${version}"`;
