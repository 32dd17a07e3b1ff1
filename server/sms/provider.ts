/** Delivery of second-factor codes. The portal depends on this interface, never on a carrier. */
export interface SmsProvider {
  /** `idempotencyKey`: the same key twice delivers once (a retry after a crash must not text twice). */
  send(message: { channel: 'sms' | 'voice'; recipient: string; text: string; idempotencyKey?: string }): Promise<void>;
}
