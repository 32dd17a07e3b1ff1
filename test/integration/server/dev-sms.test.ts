/**
 * GET /api/v1/dev/sms, the demo carrier's outbox: only a portal whose carrier is the demo one has it
 * (server/server.ts passes demoSms only then); any other portal answers 404 as for an unknown path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/clock';
import { portalRequest, startTestPortal, type TestPortal } from '../../support/portal';
import { ACCOUNTS, lastCodeSentTo, sendCode, startAuthPortal, startChallenge } from './auth-helpers';

interface Outbox {
  items: { id: number; at: string; channel: 'sms' | 'voice'; recipient: string; text: string }[];
}

describe('a demo portal (--seed demo)', () => {
  const clock = new ManualClock('2026-01-15T09:00:00Z');
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startAuthPortal(clock);
  });
  afterAll(async () => {
    await portal.close();
  });

  it('lists what the demo carrier sent over HTTPS, newest first, with the codes', async () => {
    const challenge = await startChallenge(portal, 'admin');
    expect((await sendCode(portal, challenge.challengeId, 'sms')).status).toBe(200);
    const smsCode = lastCodeSentTo(portal, ACCOUNTS.admin.phone);
    clock.advance(31_000); // past the resend cooldown
    expect((await sendCode(portal, challenge.challengeId, 'voice')).status).toBe(200);
    const voiceCode = lastCodeSentTo(portal, ACCOUNTS.admin.phone);

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
    expect(items).toEqual(portal.db.prepare('SELECT id, at, channel, recipient, text FROM sms_messages ORDER BY id DESC LIMIT 50').all());
  });
});

describe('a portal with a real carrier (--sms webhook), even with demo data', () => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal({ sms: { kind: 'webhook', url: 'https://127.0.0.1:9/', secret: Buffer.alloc(32, 7) } });
  });
  afterAll(async () => {
    await portal.close();
  });

  it('answers 404 like any unknown path, even when the carrier has recorded messages', async () => {
    portal.db.prepare('INSERT INTO sms_messages (at, channel, recipient, text) VALUES (?, ?, ?, ?)').run(new Date().toISOString(), 'sms', '+12125550199', 'Your code is 424242');
    const response = await portalRequest(portal, 'GET', '/api/v1/dev/sms');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ code: 'not_found', message: 'No such resource.' });
    expect(response.text).not.toContain('424242');
    const unknown = await portalRequest(portal, 'GET', '/api/v1/dev/no-such-thing');
    expect(unknown.status).toBe(404);
    expect(response.text).toBe(unknown.text);
  });
});
