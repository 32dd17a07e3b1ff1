/** Delivery of second-factor codes. The portal depends on this interface, never on a carrier. */
export interface SmsProvider {
  send(message: { channel: 'sms' | 'voice'; recipient: string; text: string }): Promise<void>;
}
