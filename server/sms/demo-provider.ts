import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { SmsProvider } from './provider';

export interface SentMessage {
  id: number;
  at: string;
  channel: 'sms' | 'voice';
  recipient: string;
  text: string;
}

/**
 * The demo portal's carrier: it records every message in the database (GET /api/v1/dev/sms lists
 * them in demo mode) and prints it to the console, so a demo sign-in can read its code.
 */
export class DemoSmsProvider implements SmsProvider {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly print: (line: string) => void = (line) => console.log(line),
  ) {}

  async send(message: { channel: 'sms' | 'voice'; recipient: string; text: string; idempotencyKey?: string }): Promise<void> {
    const at = this.clock.now().toISOString();
    const inserted = this.db
      .prepare('INSERT INTO sms_messages (at, channel, recipient, text, idempotency_key) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(at, message.channel, message.recipient, message.text, message.idempotencyKey ?? null);
    if (inserted.changes === 0) return; // delivered before under this key
    this.print(`[demo ${message.channel}] to ${message.recipient}: ${message.text}`);
  }

  list(limit = 50): SentMessage[] {
    return this.db.prepare('SELECT id, at, channel, recipient, text FROM sms_messages ORDER BY id DESC LIMIT ?').all(limit) as SentMessage[];
  }
}
