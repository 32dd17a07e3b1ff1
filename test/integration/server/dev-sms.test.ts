/**
 * GET /api/v1/dev/sms, the demo carrier's outbox: only a portal whose carrier is the demo one has it
 * (server/server.ts passes demoSms only then); any other portal answers 404 as for an unknown path.
 * The outbox is a table of the portal's database: both backends.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/clock';
import { describeEachBackend } from '../../support/backends';
import { useBackendPortal } from '../../support/backend-portal';
import { portalRequest } from '../../support/portal';
import { ACCOUNTS, ensureAccounts, readLastCodeSentTo, sendCode, startChallenge } from './auth-helpers';

interface Outbox {
  items: { id: number; at: string; channel: 'sms' | 'voice'; recipient: string; text: string }[];
}

describeEachBackend('the demo outbox', (backend) => {
  describe('a demo portal (--seed demo)', () => {
    const clock = new ManualClock('2026-01-15T09:00:00Z');
    const env = useBackendPortal(backend, { clock, check: ensureAccounts });

    it('lists what the demo carrier sent over HTTPS, newest first, with the codes', async () => {
      const { portal } = env;
      const challenge = await startChallenge(portal, 'admin');
      expect((await sendCode(portal, challenge.challengeId, 'sms')).status).toBe(200);
      const smsCode = await readLastCodeSentTo(portal, ACCOUNTS.admin.phone);
      clock.advance(31_000); // past the resend cooldown
      expect((await sendCode(portal, challenge.challengeId, 'voice')).status).toBe(200);
      const voiceCode = await readLastCodeSentTo(portal, ACCOUNTS.admin.phone);

      const response = await portalRequest(portal, 'GET', '/api/v1/dev/sms');
      expect(response.status, response.text).toBe(200);
      const { items } = response.body as Outbox;
      expect(items.length).toBeGreaterThanOrEqual(2);
      const [newest, previous] = items;
      expect(newest).toMatchObject({ channel: 'voice', recipient: ACCOUNTS.admin.phone, text: expect.stringContaining(voiceCode) });
      expect(previous).toMatchObject({ channel: 'sms', recipient: ACCOUNTS.admin.phone, text: expect.stringContaining(smsCode) });
      expect(newest!.id).toBeGreaterThan(previous!.id);
      expect(newest!.at).toBe(clock.now().toISOString());
      // Exactly what the carrier recorded, nothing more.
      expect(items).toEqual(await portal.store.all('SELECT id, at, channel, recipient, text FROM sms_messages ORDER BY id DESC LIMIT 50'));
    });
  });

  describe('a portal with a real carrier (--sms webhook), even with demo data', () => {
    const env = useBackendPortal(backend, { sms: { kind: 'webhook', url: 'https://127.0.0.1:9/', secret: Buffer.alloc(32, 7) } });

    it('answers 404 like any unknown path, even when the carrier has recorded messages', async () => {
      const { portal } = env;
      await portal.store.run('INSERT INTO sms_messages (at, channel, recipient, text) VALUES (?, ?, ?, ?)', new Date().toISOString(), 'sms', '+12125550199', 'Your code is 424242');
      const response = await portalRequest(portal, 'GET', '/api/v1/dev/sms');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ code: 'not_found', message: 'No such resource.' });
      expect(response.text).not.toContain('424242');
      const unknown = await portalRequest(portal, 'GET', '/api/v1/dev/no-such-thing');
      expect(unknown.status).toBe(404);
      expect(response.text).toBe(unknown.text);
    });
  });
});
