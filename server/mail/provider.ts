/** Delivery of email to employees. The portal depends on this interface, never on a mail service. */
export interface MailProvider {
  /** `idempotencyKey`: the same key twice delivers once (a retry after a crash must not mail twice). */
  send(message: { recipient: string; subject: string; text: string; idempotencyKey?: string }): Promise<void>;
}
