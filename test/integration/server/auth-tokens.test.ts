import { describe, expect, it } from 'vitest';
import { userSchema } from '../../../common/api';
import { ManualClock } from '../../../server/clock';
import { hashToken } from '../../../server/auth/tokens';
import { useBackendPortal } from '../../support/backend-portal';
import { portalRequest } from '../../support/portal';
import { describeEachBackend } from '../../support/backends';
import { ACCOUNTS, ensureAccounts, signIn, type TokenBody } from './auth-helpers';

// Sessions, rotation and reuse detection live in the database: both backends.
describeEachBackend('tokens', (backend) => {
  const clock = new ManualClock('2026-01-15T09:00:00Z');
  const env = useBackendPortal(backend, { clock, check: ensureAccounts });

  const me = (token: string) => portalRequest(env.portal, 'GET', '/api/v1/me', { token });
  const refresh = (refreshToken: string) => portalRequest(env.portal, 'POST', '/api/v1/auth/refresh', { body: { refreshToken } });
  const familyOf = async (refreshToken: string) =>
    (await env.portal.store.get<{ family_id: string }>('SELECT family_id FROM refresh_tokens WHERE token_hash = ?', hashToken(refreshToken)))!.family_id;

  describe('GET /me', () => {
    it('returns the signed-in user, company included, for any role', async () => {
      const tokens = await signIn(env.portal, 'tech');
      const response = await me(tokens.accessToken);
      expect(response.status).toBe(200);
      expect(userSchema.strict().parse(response.body)).toMatchObject({ email: ACCOUNTS.tech.email, role: 'tech' });
    });

    it('refuses a missing, malformed or unknown token with 401', async () => {
      const missing = await env.portal.app.inject({ method: 'GET', url: '/api/v1/me' });
      expect(missing.statusCode).toBe(401);
      expect(missing.json()).toMatchObject({ code: 'unauthenticated' });
      const malformed = await env.portal.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer x y' } });
      expect(malformed.statusCode).toBe(401);
      expect((await me('A'.repeat(43))).status).toBe(401);
    });

    it('stores tokens hashed: neither token is in the database', async () => {
      const tokens = await signIn(env.portal, 'admin');
      const dump = JSON.stringify([await env.portal.store.all('SELECT * FROM access_tokens'), await env.portal.store.all('SELECT * FROM refresh_tokens')]);
      expect(dump).not.toContain(tokens.accessToken);
      expect(dump).not.toContain(tokens.refreshToken);
      expect(dump).toContain(hashToken(tokens.accessToken));
    });

    it('lets an access token expire after 15 minutes', async () => {
      const tokens = await signIn(env.portal, 'admin');
      clock.advance(15 * 60_000 - 1000);
      expect((await me(tokens.accessToken)).status).toBe(200);
      clock.advance(1000);
      const expired = await me(tokens.accessToken);
      expect(expired.status).toBe(401);
      expect(expired.body).toMatchObject({ code: 'unauthenticated' });
      // The refresh token outlives it: the session goes on with a new pair.
      const renewed = await refresh(tokens.refreshToken);
      expect(renewed.status).toBe(200);
      expect((await me((renewed.body as TokenBody).accessToken)).status).toBe(200);
    });
  });

  describe('POST /auth/refresh', () => {
    it('rotates: a new pair in the same family, the old refresh token marked used', async () => {
      const tokens = await signIn(env.portal, 'admin');
      const response = await refresh(tokens.refreshToken);
      expect(response.status).toBe(200);
      const renewed = response.body as TokenBody;
      expect(renewed.accessToken).not.toBe(tokens.accessToken);
      expect(renewed.refreshToken).not.toBe(tokens.refreshToken);
      expect(renewed.expiresIn).toBe(900);
      expect(renewed.user.email).toBe(ACCOUNTS.admin.email);
      expect(await familyOf(renewed.refreshToken)).toBe(await familyOf(tokens.refreshToken));
      const old = await env.portal.store.get('SELECT used_at FROM refresh_tokens WHERE token_hash = ?', hashToken(tokens.refreshToken));
      expect(old).toEqual({ used_at: clock.now().toISOString() });
      expect((await me(renewed.accessToken)).status).toBe(200);
      // Rotation goes on with the new token.
      expect((await refresh(renewed.refreshToken)).status).toBe(200);
    });

    it('treats reuse of a used refresh token as theft: the whole family is revoked', async () => {
      const tokens = await signIn(env.portal, 'admin');
      const renewed = (await refresh(tokens.refreshToken)).body as TokenBody;
      expect((await me(renewed.accessToken)).status).toBe(200);

      const reuse = await refresh(tokens.refreshToken);
      expect(reuse.status).toBe(401);
      expect(reuse.body).toMatchObject({ code: 'unauthenticated' });
      expect(await env.portal.store.get('SELECT revoked_at FROM token_families WHERE id = ?', await familyOf(tokens.refreshToken))).toEqual({ revoked_at: clock.now().toISOString() });
      expect((await me(renewed.accessToken)).status).toBe(401);
      expect((await me(tokens.accessToken)).status).toBe(401);
      expect((await refresh(renewed.refreshToken)).status).toBe(401);
    });

    it('leaves other sessions of the same user alone when one family is revoked', async () => {
      const stolen = await signIn(env.portal, 'admin');
      const other = await signIn(env.portal, 'admin');
      await refresh(stolen.refreshToken);
      await refresh(stolen.refreshToken); // reuse: revokes the first family only
      expect((await me(other.accessToken)).status).toBe(200);
    });

    it('refuses an unknown or expired refresh token', async () => {
      expect((await refresh('A'.repeat(43))).status).toBe(401);
      const tokens = await signIn(env.portal, 'tech');
      clock.advance(12 * 60 * 60_000);
      expect((await refresh(tokens.refreshToken)).status).toBe(401);
    });
  });

  describe('POST /auth/logout', () => {
    it('revokes the session server-side: the access and refresh tokens stop working', async () => {
      const tokens = await signIn(env.portal, 'admin');
      const response = await portalRequest(env.portal, 'POST', '/api/v1/auth/logout', { token: tokens.accessToken, body: { refreshToken: tokens.refreshToken } });
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      expect((await me(tokens.accessToken)).status).toBe(401);
      expect((await refresh(tokens.refreshToken)).status).toBe(401);
    });

    it('works without a body, and needs a bearer token', async () => {
      const tokens = await signIn(env.portal, 'tech');
      expect((await portalRequest(env.portal, 'POST', '/api/v1/auth/logout')).status).toBe(401);
      expect((await portalRequest(env.portal, 'POST', '/api/v1/auth/logout', { token: tokens.accessToken })).status).toBe(204);
      expect((await me(tokens.accessToken)).status).toBe(401);
      expect((await refresh(tokens.refreshToken)).status).toBe(401);
    });

    it('signs out with the refresh token alone once the access token has lapsed', async () => {
      const tokens = await signIn(env.portal, 'admin');
      clock.advance(15 * 60_000);
      expect((await me(tokens.accessToken)).status).toBe(401);
      const withLapsedBearer = await portalRequest(env.portal, 'POST', '/api/v1/auth/logout', { token: tokens.accessToken, body: { refreshToken: tokens.refreshToken } });
      expect(withLapsedBearer.status).toBe(401); // a bearer token that is sent must be valid
      const response = await portalRequest(env.portal, 'POST', '/api/v1/auth/logout', { body: { refreshToken: tokens.refreshToken } });
      expect(response.status).toBe(204);
      expect((await refresh(tokens.refreshToken)).status).toBe(401);
      const unknown = await portalRequest(env.portal, 'POST', '/api/v1/auth/logout', { body: { refreshToken: 'A'.repeat(43) } });
      expect(unknown.status).toBe(401);
      expect(unknown.body).toMatchObject({ code: 'unauthenticated' });
    });

    it("also revokes the caller's other family named by its refresh token, but never another user's", async () => {
      const mine = await signIn(env.portal, 'admin');
      const remembered = await signIn(env.portal, 'admin');
      const someoneElse = await signIn(env.portal, 'tech');
      expect((await portalRequest(env.portal, 'POST', '/api/v1/auth/logout', { token: mine.accessToken, body: { refreshToken: remembered.refreshToken } })).status).toBe(204);
      expect((await me(remembered.accessToken)).status).toBe(401);

      const another = await signIn(env.portal, 'admin');
      expect((await portalRequest(env.portal, 'POST', '/api/v1/auth/logout', { token: another.accessToken, body: { refreshToken: someoneElse.refreshToken } })).status).toBe(204);
      expect((await me(someoneElse.accessToken)).status).toBe(200);
    });
  });
});
