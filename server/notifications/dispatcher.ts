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

/**
 * The claims and outcomes are committed without waiting for the disk (see TransactionOptions): a
 * crash of the portal's process loses neither; a power cut may undo the last ones, and then the
 * notice is sent again under its idempotency key, which the carrier honours, exactly as after a
 * crash between sending and recording. Only the attempt count may come out one lower.
 */
const BOOKKEEPING = { durability: 'deferred' } as const;

export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

/**
 * Sends the outbox's notices after their change committed. Notices go out in groups of up to 100:
 * the group is claimed (`sending`) in one commit before any carrier is called, its notices are
 * handed to the carriers together, and their outcomes are recorded in one commit after (`sent`, or
 * back to `pending` with backoff); each of those commits is one statement for the group (a failure
 * apart), and neither waits for the disk (BOOKKEEPING). A durable commit per notice and step made 10,000 changes take
 * minutes of the portal's time. A notice found `sending` at start-up belongs to a process that died
 * mid-send: it is sent again under the same idempotency key, which the carrier honours, so it is
 * delivered once.
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
      const claimed = await this.claim(batch);
      const failures = await Promise.all(claimed.map((row) => this.send(row)));
      await this.record(claimed, failures);
    }
  }

  /** The rows of `batch` this process claimed (another instance may have taken some), in one commit. */
  private async claim(batch: readonly OutboxRow[]): Promise<OutboxRow[]> {
    const taken = await this.db.transaction(
      (tx) => tx.all<{ id: number }>(
        `UPDATE notification_outbox SET state = 'sending', attempts = attempts + 1
          WHERE state = 'pending' AND id IN (${batch.map(() => '?').join(', ')}) RETURNING id`,
        ...batch.map((row) => row.id)),
      BOOKKEEPING,
    );
    const ids = new Set(taken.map((row) => Number(row.id)));
    return batch.filter((row) => ids.has(Number(row.id)));
  }

  /** Hands one claimed notice to its carrier; answers why it failed, or null once the carrier took it. */
  private async send(row: OutboxRow): Promise<string | null> {
    try {
      await this.options.hooks?.beforeSend?.(row);
      if (row.channel === 'email') {
        await this.carriers.mail.send({ recipient: row.recipient, subject: row.subject ?? '', text: row.text, idempotencyKey: row.idempotency_key });
      } else {
        await this.carriers.sms.send({ channel: row.channel, recipient: row.recipient, text: row.text, idempotencyKey: row.idempotency_key });
      }
      await this.options.hooks?.afterSend?.(row);
      return null;
    } catch (error) {
      return error instanceof Error ? error.message.slice(0, 200) : 'send failed';
    }
  }

  /** Marks each claimed notice sent, or due again later (given up after MAX_ATTEMPTS), in one commit. */
  private async record(claimed: readonly OutboxRow[], failures: readonly (string | null)[]): Promise<void> {
    if (claimed.length === 0) return;
    const now = this.clock.now();
    const sent = claimed.filter((_, index) => (failures[index] ?? null) === null).map((row) => row.id);
    await this.db.transaction(async (tx) => {
      if (sent.length > 0) {
        await tx.run(`UPDATE notification_outbox SET state = 'sent', sent_at = ?, last_error = NULL WHERE id IN (${sent.map(() => '?').join(', ')})`,
          now.toISOString(), ...sent);
      }
      for (const [index, row] of claimed.entries()) {
        const failure = failures[index] ?? null;
        if (failure === null) continue;
        const attempts = row.attempts + 1;
        await tx.run('UPDATE notification_outbox SET state = ?, next_attempt_at = ?, last_error = ? WHERE id = ?',
          attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', new Date(now.getTime() + retryDelayMs(attempts)).toISOString(), failure, row.id);
      }
    }, BOOKKEEPING);
  }
}
