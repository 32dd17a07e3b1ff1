/**
 * Attack: keeping a stolen session alive for ever by refreshing it. Before, every rotation gave the
 * refresh token 12 fresh hours. Now a token family ends 12 hours after its sign-in however often it
 * is rotated, and no token it issues lives past that moment.
 */
import { expect, it } from 'vitest';
import { portalRequest } from '../support/portal';
import { signIn, type TokenBody } from '../integration/server/auth-helpers';
import { withAuthPortal } from './support';

const { clock, portal } = withAuthPortal();

it('refuses a refresh-token family older than 12 hours, however often it was rotated', { timeout: 120_000 }, async () => {
  const signedInAt = clock.now().getTime();
  let tokens: TokenBody = await signIn(portal(), 'admin');
  // Rotate every 10 minutes, as a client keeping the session alive would, up to 11 h 50 min.
  for (let minutes = 10; minutes < 12 * 60; minutes += 10) {
    clock.advance(10 * 60_000);
    const refreshed = await portalRequest(portal(), 'POST', '/api/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
    expect(refreshed.status, `refresh at ${minutes} min`).toBe(200);
    tokens = refreshed.body as TokenBody;
  }
  // The last access token stops at the 12-hour mark, not 15 minutes after it was issued.
  expect(tokens.expiresIn).toBe(10 * 60);
  clock.advance(10 * 60_000);
  expect(clock.now().getTime() - signedInAt).toBe(12 * 60 * 60_000);
  expect((await portalRequest(portal(), 'GET', '/api/v1/me', { token: tokens.accessToken })).status).toBe(401);
  const refused = await portalRequest(portal(), 'POST', '/api/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
  expect(refused.status).toBe(401);
  expect(refused.body).toMatchObject({ code: 'unauthenticated' });
});
