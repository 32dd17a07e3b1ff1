import { createHmac, randomUUID } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { Clock } from '../clock';
import type { SmsProvider } from './provider';

/** What the webhook carrier logs: never the message text, the code or the number. */
export type CarrierLog = (details: Record<string, string | number>, message: string) => void;

export interface WebhookCarrierOptions {
  url: string;
  /** The shared secret the receiver checks the signature with (at least 32 bytes). */
  secret: Buffer;
  /** PEM certificate(s) to trust for the receiver besides the system's (for a private gateway bridge). */
  ca?: string;
  clock: Clock;
  log: CarrierLog;
  timeoutMs?: number;
  /** Waits before the 2nd, 3rd … attempt. */
  retryDelaysMs?: readonly number[];
}

export const WEBHOOK_SIGNATURE_HEADER = 'x-portal-signature';
export const WEBHOOK_TIMESTAMP_HEADER = 'x-portal-timestamp';

/** `v1=` + hex HMAC-SHA256 under the secret over `<timestamp>.<body>` (the receiver recomputes it). */
export function webhookSignature(secret: Buffer, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

class DeliveryError extends Error {
  constructor(
    readonly detail: string,
    readonly retryable: boolean,
  ) {
    super(detail);
  }
}

/**
 * A real carrier's front door: one signed JSON POST per message to an SMS gateway bridge, which
 * sends the SMS or places the voice call. Body: `{"id","channel":"sms"|"voice","to":"+E.164",
 * "text","createdAt"}`; headers `X-Portal-Timestamp` (Unix seconds) and `X-Portal-Signature`
 * (`v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`). Each attempt times out after 5 s; a network
 * error, a timeout, 408, 429 or 5xx is retried after 0.5 s and 2 s; any other answer is final.
 * Nothing is stored, printed or logged with the text, code or number in it.
 */
export class WebhookSmsProvider implements SmsProvider {
  private readonly url: URL;
  constructor(private readonly options: WebhookCarrierOptions) {
    this.url = new URL(options.url);
    if (this.url.protocol !== 'https:' && !(this.url.protocol === 'http:' && isLoopbackHost(this.url.hostname))) {
      throw new Error('--sms-webhook-url must be an https:// address (http:// only to a loopback address).');
    }
  }

  async send(message: { channel: 'sms' | 'voice'; recipient: string; text: string; idempotencyKey?: string }): Promise<void> {
    await this.deliver({ channel: message.channel, to: message.recipient, text: message.text }, message.idempotencyKey);
  }

  /** A notice by email through the same bridge: `"channel":"email"` with a `subject` (the bridge sends the mail). */
  async sendMail(message: { recipient: string; subject: string; text: string; idempotencyKey?: string }): Promise<void> {
    await this.deliver({ channel: 'email', to: message.recipient, subject: message.subject, text: message.text }, message.idempotencyKey);
  }

  /** One message: its id is the sender's idempotency key where there is one, so the bridge can drop a repeat after a crash. */
  private async deliver(fields: { channel: string; to: string; text: string; subject?: string }, idempotencyKey?: string): Promise<void> {
    const id = idempotencyKey ?? randomUUID();
    const body = JSON.stringify({ id, ...fields, createdAt: this.options.clock.now().toISOString() });
    const delays = this.options.retryDelaysMs ?? [500, 2000];
    for (let attempt = 1; ; attempt++) {
      try {
        await this.post(body);
        return;
      } catch (error) {
        const failure = error instanceof DeliveryError ? error : new DeliveryError('error', true);
        const last = attempt > delays.length || !failure.retryable;
        this.options.log({ messageId: id, channel: fields.channel, attempt, failure: failure.detail }, last ? 'message delivery failed' : 'message delivery failed; retrying');
        if (last) throw new Error(`the carrier did not accept message ${id}`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, delays[attempt - 1]));
      }
    }
  }

  private post(body: string): Promise<void> {
    // The timestamp is taken per attempt: a retry is signed afresh, so receivers can refuse old ones.
    const timestamp = String(Math.floor(Date.now() / 1000));
    const request = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        this.url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
            [WEBHOOK_SIGNATURE_HEADER]: webhookSignature(this.options.secret, timestamp, body),
          },
          ...(this.options.ca ? { ca: this.options.ca } : {}),
          timeout: this.options.timeoutMs ?? 5000,
        },
        (response) => {
          response.resume();
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new DeliveryError(`HTTP ${status}`, status === 408 || status === 429 || status >= 500));
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new DeliveryError('timeout', true)));
      outgoing.on('error', (error) => reject(error instanceof DeliveryError ? error : new DeliveryError((error as NodeJS.ErrnoException).code ?? error.name, true)));
      outgoing.end(body);
    });
  }
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}
