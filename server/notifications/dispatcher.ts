import type { Clock } from '../clock';
import type { Queryable } from '../db/store';
import type { MailProvider } from '../mail/provider';
import type { SmsProvider } from '../sms/provider';

export interface NotificationCarriers {
  sms: SmsProvider;
  mail: MailProvider;
}

export interface OutboxRow {
  id: number;
  channel: 'sms' | 'voice' | 'email';
  recipient: string;
  subject: string | null;
  text: string;
  idempotency_key: string;
  attempts: number;
}

/**
 * Points where crash trials stop a real portal process (they SIGKILL it while a hook waits); the
 * portal itself never sets them.
 */
export interface DispatcherHooks {
  beforeSend?(row: OutboxRow): Promise<void>;
  afterSend?(row: OutboxRow): Promise<void>;
}

/** A notice that failed this many times is given up (state `failed`, visible in the audit). */
export const MAX_ATTEMPTS = 10;
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 60 * 60 * 1000;
export const POLL_INTERVAL_MS = 5_000;

export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

/**
 * Sends the outbox's notices after their change committed. Each notice is claimed (`sending`) in
 * its own commit before the carrier is called and marked `sent` after; failures are retried with
 * backoff. A notice found `sending` at start-up belongs to a process that died mid-send: it is sent
 * again under the same idempotency key, which the carrier honours, so it is delivered once.
 */
export class NotificationDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    private readonly carriers: NotificationCarriers,
    private readonly options: { hooks?: DispatcherHooks; pollIntervalMs?: number; onError?: (error: unknown) => void } = {},
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.db.run("UPDATE notification_outbox SET state = 'pending' WHERE state = 'sending'");
    this.timer = setInterval(() => void this.kick(), this.options.pollIntervalMs ?? POLL_INTERVAL_MS);
    this.timer.unref();
    void this.kick();
  }

  /** Sends whatever is due, now (after a change committed). Never rejects. */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.drain();
      } while (this.again && !this.stopped);
    })()
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Waits for the current round; sends nothing more. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private due(): Promise<OutboxRow[]> {
    return this.db.all<OutboxRow>(
      `SELECT id, channel, recipient, subject, text, idempotency_key, attempts FROM notification_outbox
        WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT 100`,
      this.clock.now().toISOString(),
    );
  }

  private async drain(): Promise<void> {
    for (let batch = await this.due(); batch.length > 0 && !this.stopped; batch = await this.due()) {
      for (const row of batch) {
        if (this.stopped) return;
        await this.deliver(row);
      }
    }
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const claimed = await this.db.run("UPDATE notification_outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ? AND state = 'pending'", row.id);
    if (claimed.changes !== 1) return;
    const attempts = row.attempts + 1;
    try {
      await this.options.hooks?.beforeSend?.(row);
      if (row.channel === 'email') {
        await this.carriers.mail.send({ recipient: row.recipient, subject: row.subject ?? '', text: row.text, idempotencyKey: row.idempotency_key });
      } else {
        await this.carriers.sms.send({ channel: row.channel, recipient: row.recipient, text: row.text, idempotencyKey: row.idempotency_key });
      }
      await this.options.hooks?.afterSend?.(row);
      await this.db.run("UPDATE notification_outbox SET state = 'sent', sent_at = ?, last_error = NULL WHERE id = ?", this.clock.now().toISOString(), row.id);
    } catch (error) {
      const now = this.clock.now().getTime();
      const message = error instanceof Error ? error.message.slice(0, 200) : 'send failed';
      await this.db.run('UPDATE notification_outbox SET state = ?, next_attempt_at = ?, last_error = ? WHERE id = ?',
        attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', new Date(now + retryDelayMs(attempts)).toISOString(), message, row.id);
    }
  }
}
