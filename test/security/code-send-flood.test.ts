/**
 * Attack: using the sign-in page to flood a person's phone with codes (and the portal's carrier bill):
 * every new sign-in started a fresh budget of 5 sends. Now at most 10 codes an hour and 30 a day go
 * to an account, and the same to a phone number whichever accounts share it; beyond, 429 + Retry-After.
 */
import { expect, it } from 'vitest';
import { ACCOUNTS, type AccountName, type ChallengeBody } from '../integration/server/auth-helpers';
import { loginFrom, sendFrom, withAuthPortal } from './support';

const { clock, portal } = withAuthPortal();

/** Starts sign-ins and sends codes 31 s apart (past the resend wait) until `count` were sent or one is refused. */
async function sendCodes(name: AccountName, count: number): Promise<{ sent: number; refused: Awaited<ReturnType<typeof sendFrom>> | null }> {
  let sent = 0;
  while (sent < count) {
    const login = await loginFrom(portal(), '127.0.0.7', ACCOUNTS[name].email, ACCOUNTS[name].password);
    expect(login.status, login.text).toBe(200);
    const { challengeId } = login.body as ChallengeBody;
    for (let onThisChallenge = 0; onThisChallenge < 5 && sent < count; onThisChallenge++) {
      const answer = await sendFrom(portal(), '127.0.0.7', challengeId, sent % 2 === 0 ? 'sms' : 'voice');
      if (answer.status !== 200) return { sent, refused: answer };
      sent++;
      clock.advance(31_000);
    }
  }
  return { sent, refused: null };
}

it('sends at most 10 codes an hour and 30 a day to an account, and the same to a number shared by accounts', { timeout: 300_000 }, async () => {
  // Hour 1: ten codes, then the eleventh is refused with the wait until the oldest leaves the hour.
  const firstHour = await sendCodes('tech', 11);
  expect(firstHour.sent).toBe(10);
  expect(firstHour.refused!.status).toBe(429);
  expect(firstHour.refused!.body).toMatchObject({ code: 'rate_limited' });
  const wait = Number(firstHour.refused!.headers['retry-after']);
  // The first code went 10 × 31 s ago.
  expect(wait).toBe(3600 - 10 * 31);

  // Another account with the same number gets no fresh budget.
  portal().db.prepare('UPDATE employees SET cell_phone = ? WHERE email = ?').run(ACCOUNTS.tech.phone, ACCOUNTS.totp.email);
  const sameNumber = await sendCodes('totp', 1);
  expect(sameNumber.sent).toBe(0);
  expect(sameNumber.refused!.status).toBe(429);

  // Hours 2 and 3: ten more each; then the day's 30 are spent even though the hour is clear.
  clock.advance(wait * 1000);
  expect((await sendCodes('tech', 10)).sent).toBe(10);
  clock.advance(60 * 60_000);
  expect((await sendCodes('tech', 10)).sent).toBe(10);
  clock.advance(60 * 60_000);
  const fourthHour = await sendCodes('tech', 1);
  expect(fourthHour.sent).toBe(0);
  expect(fourthHour.refused!.status).toBe(429);
  expect(Number(fourthHour.refused!.headers['retry-after'])).toBeGreaterThan(20 * 60 * 60);
  // Exactly 30 messages went to the number.
  const delivered = portal().db.prepare('SELECT count(*) AS n FROM sms_messages WHERE recipient = ?').get(ACCOUNTS.tech.phone) as { n: number };
  expect(delivered.n).toBe(30);
});
