import { SqliteStore } from '../db/sqlite-store';
import { groupedWrites } from '../db/grouped-writes';
import type { Queryable } from '../db/store';

const LIST_SQL = 'SELECT id, at, channel, recipient, text FROM sms_messages ORDER BY id DESC LIMIT ?';
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

  async send(message: { channel: 'sms' | 'voice'; recipient: string; text: string; idempotencyKey?: string }): Promise<void> {
    const at = this.clock.now().toISOString();
    const inserted = await this.record(
      'INSERT INTO sms_messages (at, channel, recipient, text, idempotency_key) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      at, message.channel, message.recipient, message.text, message.idempotencyKey ?? null);
    if (inserted.changes === 0) return; // delivered before under this key
    this.print(`[demo ${message.channel}] to ${message.recipient}: ${message.text}`);
  }

  recent(limit = 50): Promise<SentMessage[]> {
    return this.db.all<SentMessage>(LIST_SQL, limit);
  }

  /** The same as recent(), at once: for tools and tests on the embedded SQLite file only. */
  list(limit = 50): SentMessage[] {
    if (!(this.db instanceof SqliteStore)) throw new Error('list() reads the SQLite file; use recent().');
    return this.db.connection.prepare(LIST_SQL).all(limit) as SentMessage[];
  }
}
