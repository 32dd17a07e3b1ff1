/**
 * Attack: changing a 2FA phone number (an authenticator) with a session whose second factor was
 * checked long ago — a stolen refresh token, or an unattended signed-in app. Sudo mode: a phone
 * change (PATCH, batch, unlock) needs a second factor verified in the last 2 hours; a refresh keeps
 * the sign-in's time; only a step-up code renews it, and a step-up challenge never opens a session.
 */
import { expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { portalRequest } from '../support/portal';
import { ACCOUNTS, lastCodeSentTo, sendCode, signIn, verify, type ChallengeBody, type TokenBody } from '../integration/server/auth-helpers';
import { withAuthPortal } from './support';

const { clock, portal } = withAuthPortal();

async function refresh(tokens: TokenBody): Promise<TokenBody> {
  const answer = await portalRequest(portal(), 'POST', '/api/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
  expect(answer.status, answer.text).toBe(200);
  return answer.body as TokenBody;
}

async function patchPhone(token: string, cellPhone: string) {
  const current = await portalRequest(portal(), 'GET', '/api/v1/employees/acme-0010', { token });
  return portalRequest(portal(), 'PATCH', '/api/v1/employees/acme-0010', {
    token,
    body: { cellPhone },
    headers: { 'if-match': String(current.headers.etag) },
  });
}

it('refuses phone changes from a session whose second factor is over 2 hours old, until a step-up code', { timeout: 120_000 }, async () => {
  let tokens = await signIn(portal(), 'admin');
  const signedInAt = clock.now().toISOString();
  expect((await patchPhone(tokens.accessToken, '+12125550190')).status).toBe(200);

  // Refreshed along for 2 h 10 min: the tokens are fresh, the second factor is not.
  for (let step = 0; step < 13; step++) {
    clock.advance(10 * 60_000);
    tokens = await refresh(tokens);
  }
  const patch = await patchPhone(tokens.accessToken, '+12125550191');
  expect(patch.status).toBe(401);
  expect(patch.body).toMatchObject({ code: 'step_up_required' });
  // The refreshed tokens still carry the sign-in's second-factor time.
  expect(tokens.authTime).toBe(signedInAt);
  const batch = await portalRequest(portal(), 'POST', '/api/v1/employees/batch', {
    token: tokens.accessToken,
    body: { items: [{ id: 'acme-0010', ifMatch: '"2"', idempotencyKey: randomUUID(), patch: { cellPhone: '+12125550191' } }] },
  });
  expect(batch.status).toBe(401);
  expect(batch.body).toMatchObject({ code: 'step_up_required' });
  const unlock = await portalRequest(portal(), 'POST', '/api/v1/employees/acme-0010/unlock', { token: tokens.accessToken });
  expect(unlock.status).toBe(401);
  expect(unlock.body).toMatchObject({ code: 'step_up_required' });
  // Reads still work.
  expect((await portalRequest(portal(), 'GET', '/api/v1/employees/acme-0010', { token: tokens.accessToken })).status).toBe(200);

  // Step up: a challenge for this session, a code, and the same change goes through.
  const started = await portalRequest(portal(), 'POST', '/api/v1/auth/step-up', { token: tokens.accessToken });
  expect(started.status, started.text).toBe(200);
  const { challengeId } = started.body as ChallengeBody;
  expect((await sendCode(portal(), challengeId)).status).toBe(200);
  const code = lastCodeSentTo(portal(), ACCOUNTS.admin.phone);

  // The step-up challenge cannot be turned into a new session (that would skip the password) …
  expect((await verify(portal(), challengeId, code)).status).toBe(410);
  // … nor be completed by another session of the same user.
  const other = await signIn(portal(), 'admin');
  const foreign = await portalRequest(portal(), 'POST', `/api/v1/auth/step-up/${challengeId}/verify`, { token: other.accessToken, body: { code } });
  expect(foreign.status).toBe(410);

  const stepped = await portalRequest(portal(), 'POST', `/api/v1/auth/step-up/${challengeId}/verify`, { token: tokens.accessToken, body: { code } });
  expect(stepped.status, stepped.text).toBe(200);
  expect(stepped.body).toEqual({ authTime: clock.now().toISOString() });
  expect((await patchPhone(tokens.accessToken, '+12125550191')).status).toBe(200);
  // The next refresh carries the new time.
  expect((await refresh(tokens)).authTime).toBe(clock.now().toISOString());
});
