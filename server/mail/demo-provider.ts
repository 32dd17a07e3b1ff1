import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { MailProvider } from './provider';

export interface SentMail {
  id: number;
  at: string;
  recipient: string;
  subject: string;
  text: string;
}

/**
 * The demo portal's mail service, the counterpart of DemoSmsProvider: it records every email in the
 * database (GET /api/v1/dev/mail lists them in demo mode) and prints it to the console.
 */
export class DemoMailProvider implements MailProvider {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly print: (line: string) => void = (line) => console.log(line),
  ) {}

  async send(message: { recipient: string; subject: string; text: string; idempotencyKey?: string }): Promise<void> {
    const inserted = this.db
      .prepare('INSERT INTO mail_messages (at, recipient, subject, text, idempotency_key) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(this.clock.now().toISOString(), message.recipient, message.subject, message.text, message.idempotencyKey ?? null);
    if (inserted.changes === 0) return; // delivered before under this key
    this.print(`[demo mail] to ${message.recipient}: ${message.subject} — ${message.text}`);
  }

  list(limit = 50): SentMail[] {
    return this.db.prepare('SELECT id, at, recipient, subject, text FROM mail_messages ORDER BY id DESC LIMIT ?').all(limit) as SentMail[];
  }
}
