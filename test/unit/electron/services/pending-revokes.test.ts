import { describe, expect, it, vi } from 'vitest';
import { IpcFailure } from '../../../../common/ipc';
import { createCredentialStore, KEYCHAIN_SERVICE } from '../../../../electron/main/infra/credential-store';
import type { PortalClient, PortalRequest } from '../../../../electron/main/infra/portal-client';
import { createLogger } from '../../../../electron/main/log';
import { createPendingRevokes, MAX_PENDING_REVOKES } from '../../../../electron/main/services/auth/pending-revokes';

const ORIGIN = 'https://portal.example.test';
const ACCOUNT = `${ORIGIN}|#pending-revokes`;

function setUp() {
  const portal = { isOffline: true, revoked: [] as string[], alreadyInvalid: new Set<string>() };
  const client: PortalClient = {
    url: ORIGIN,
    origin: ORIGIN,
    request: async <T>(request: PortalRequest<T>): Promise<T> => {
      if (portal.isOffline) throw new IpcFailure('offline', 'offline');
      const token = String((request.body as { refreshToken: string }).refreshToken);
      if (portal.alreadyInvalid.has(token)) throw new IpcFailure('unauthenticated', 'x');
      portal.revoked.push(token);
      return request.schema.parse(undefined);
    },
  } as PortalClient;
  const credentials = createCredentialStore({ kind: 'memory' });
  const revokes = createPendingRevokes({ portal: () => client, credentials, log: createLogger({ level: 'error', sink: () => undefined }) });
  const stored = async () => JSON.parse((await credentials.getPassword(KEYCHAIN_SERVICE, ACCOUNT)) ?? '[]') as string[];
  return { portal, credentials, revokes, stored };
}

describe('pending revokes', () => {
  it('keeps at most MAX_PENDING_REVOKES tokens (the newest) while the portal cannot be reached', async () => {
    const { revokes, stored } = setUp();
    for (let index = 0; index < MAX_PENDING_REVOKES + 5; index++) expect(await revokes.revokeOrKeep(ORIGIN, `refresh-${index}`)).toBe(false);
    const kept = await stored();
    expect(kept).toHaveLength(MAX_PENDING_REVOKES);
    expect(kept[0]).toBe('refresh-5');
    expect(kept.at(-1)).toBe(`refresh-${MAX_PENDING_REVOKES + 4}`);
  });

  it('at the next contact revokes what waits; a token the portal already refuses counts as done', async () => {
    const { portal, credentials, revokes } = setUp();
    await revokes.revokeOrKeep(ORIGIN, 'refresh-a');
    await revokes.revokeOrKeep(ORIGIN, 'refresh-b');
    portal.isOffline = false;
    portal.alreadyInvalid.add('refresh-a');
    revokes.onContact();
    await vi.waitFor(async () => expect(await credentials.getPassword(KEYCHAIN_SERVICE, ACCOUNT)).toBeNull());
    expect(portal.revoked).toEqual(['refresh-b']);
  });

  it('revokes at once when the portal answers, and keeps nothing', async () => {
    const { portal, credentials, revokes } = setUp();
    portal.isOffline = false;
    expect(await revokes.revokeOrKeep(ORIGIN, 'refresh-now')).toBe(true);
    expect(portal.revoked).toEqual(['refresh-now']);
    expect(await credentials.getPassword(KEYCHAIN_SERVICE, ACCOUNT)).toBeNull();
  });
});
