/**
 * Attack: carrying on with an access token after the account was locked. Before, the token lived
 * until it expired (up to 15 minutes, and a refresh was only refused at the next rotation). Now a
 * lock ends every session of the account at once, and an unlock does not bring them back.
 */
import { expect, it } from 'vitest';
import { portalRequest } from '../support/portal';
import { ACCOUNTS, signIn } from '../integration/server/auth-helpers';
import { withAuthPortal } from './support';

const { portal } = withAuthPortal();

const setLocked = (locked: boolean) => portal().db.prepare('UPDATE employees SET locked = ? WHERE email = ?').run(locked ? 1 : 0, ACCOUNTS.tech.email);
const me = (token: string) => portalRequest(portal(), 'GET', '/api/v1/me', { token });

it("stops a locked account's access token at once, and an unlocked-then-relocked account's too", async () => {
  const first = await signIn(portal(), 'tech');
  expect((await me(first.accessToken)).status).toBe(200);

  setLocked(true);
  expect((await me(first.accessToken)).status).toBe(401);
  expect((await portalRequest(portal(), 'POST', '/api/v1/auth/refresh', { body: { refreshToken: first.refreshToken } })).status).toBe(401);

  // Unlocking does not revive the old session.
  setLocked(false);
  expect((await me(first.accessToken)).status).toBe(401);

  // A new session after the unlock ends at the next lock, too.
  const second = await signIn(portal(), 'tech');
  expect((await me(second.accessToken)).status).toBe(200);
  setLocked(true);
  expect((await me(second.accessToken)).status).toBe(401);
});
