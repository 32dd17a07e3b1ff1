import { SqliteStore } from '../db/sqlite-store';
import { groupedWrites } from '../db/grouped-writes';
import type { Queryable } from '../db/store';

const LIST_SQL = 'SELECT id, at, recipient, subject, text FROM mail_messages ORDER BY id DESC LIMIT ?';
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
    private readonly db: Queryable,
    private readonly clock: Clock,
    private readonly print: (line: string) => void = (line) => console.log(line),
  ) {
    this.record = groupedWrites(db, { durability: 'deferred' });
  }

  /**
   * Notices handed over together are recorded in one commit before `send` resolves. It does not wait
   * for the disk (a power cut may undo it, and with it the outbox's record that the notice was sent, so
   * the notice is sent again under its key: see TransactionOptions).
   */
  private readonly record: ReturnType<typeof groupedWrites>;

  async send(message: { recipient: string; subject: string; text: string; idempotencyKey?: string }): Promise<void> {
    const inserted = await this.record(
      'INSERT INTO mail_messages (at, recipient, subject, text, idempotency_key) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      this.clock.now().toISOString(), message.recipient, message.subject, message.text, message.idempotencyKey ?? null);
    if (inserted.changes === 0) return; // delivered before under this key
    this.print(`[demo mail] to ${message.recipient}: ${message.subject} — ${message.text}`);
  }

  recent(limit = 50): Promise<SentMail[]> {
    return this.db.all<SentMail>(LIST_SQL, limit);
  }

  /** The same as recent(), at once: for tools and tests on the embedded SQLite file only. */
  list(limit = 50): SentMail[] {
    if (!(this.db instanceof SqliteStore)) throw new Error('list() reads the SQLite file; use recent().');
    return this.db.connection.prepare(LIST_SQL).all(limit) as SentMail[];
  }
}
