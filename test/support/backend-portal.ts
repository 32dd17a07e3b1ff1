import { afterAll, beforeAll } from 'vitest';
import type { StartOptions } from '../../server/server';
import type { Backend } from './backends';
import { sessionToken, startBackendPortal, type TestPortal } from './portal';

export interface BackendPortalOptions<Name extends string> extends Partial<StartOptions> {
  /** Sessions to open once the portal serves: a name of the test's choosing → a seeded user's e-mail. */
  tokens?: Record<Name, string>;
  /** Checks, before any test runs, what the portal must hold (e.g. the demo seed's sign-in accounts). */
  check?: (portal: TestPortal) => Promise<void>;
}

/** The running portal of a describe block and its sessions, filled in by its beforeAll. */
export interface BackendPortal<Name extends string> {
  readonly portal: TestPortal;
  /** An access token per name given in `tokens`. */
  readonly tokens: Readonly<Record<Name, string>>;
  /** New sessions for every name (after the test clock moved past their 15 minutes). */
  renewTokens(): Promise<void>;
}

/**
 * One real portal on `backend` for the enclosing describe block (started in beforeAll, closed in
 * afterAll; on PostgreSQL a fresh copy of the run's migrated template), with sessions for the users
 * named in `tokens`. Tests share it, so each test uses employees of its own.
 */
export function useBackendPortal<Name extends string = never>(backend: Backend, options: BackendPortalOptions<Name> = {}): BackendPortal<Name> {
  const { tokens: emails = {} as Record<Name, string>, check, ...startOptions } = options;
  let running: TestPortal | undefined;
  const tokens = {} as Record<Name, string>;
  const context: BackendPortal<Name> = {
    get portal() {
      if (!running) throw new Error('the portal has not started (used outside a test of its describe block?)');
      return running;
    },
    tokens,
    async renewTokens() {
      for (const name of Object.keys(emails) as Name[]) tokens[name] = await sessionToken(context.portal, emails[name]);
    },
  };
  beforeAll(async () => {
    running = await startBackendPortal(backend, startOptions);
    await check?.(running);
    await context.renewTokens();
  });
  afterAll(async () => {
    await running?.close();
    running = undefined;
  });
  return context;
}
