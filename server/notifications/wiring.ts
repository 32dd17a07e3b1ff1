import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock';
import type { Store } from '../db/store';
import { DemoMailProvider } from '../mail/demo-provider';
import type { MailProvider } from '../mail/provider';
import type { SmsProvider } from '../sms/provider';
import { NotificationDispatcher, type DispatcherHooks } from './dispatcher';

declare module 'fastify' {
  interface FastifyInstance {
    mail: MailProvider;
    demoMail: DemoMailProvider | null;
    notifications: NotificationDispatcher;
  }
}

export interface NotificationOptions {
  /** Email delivery; the reference portal has no mail service, so it defaults to the demo one. */
  mail?: MailProvider;
  /** Demo mode: GET /api/v1/dev/mail lists what the demo mail service "sent". */
  demoMail?: DemoMailProvider | null;
  /** Crash trials only. */
  notificationHooks?: DispatcherHooks;
}

/**
 * Notices of number changes: the dispatcher starts with the portal (sending what an earlier process
 * left in the outbox), is woken after every write request, polls for retries, and stops with the portal.
 */
export function registerNotifications(app: FastifyInstance, deps: { db: Store; clock: Clock; sms: SmsProvider }, options: NotificationOptions): void {
  const mail = options.mail ?? options.demoMail ?? new DemoMailProvider(deps.db, deps.clock, () => {});
  const dispatcher = new NotificationDispatcher(deps.db, deps.clock, { sms: deps.sms, mail }, {
    hooks: options.notificationHooks,
    onError: (error) => app.log.error({ err: { type: (error as Error).name, message: (error as Error).message } }, 'notification dispatch failed'),
  });
  app.decorate('mail', mail);
  app.decorate('demoMail', options.demoMail ?? null);
  app.decorate('notifications', dispatcher);
  app.addHook('onReady', async () => dispatcher.start());
  app.addHook('onClose', async () => dispatcher.stop());
  // After the response, the change it reports has committed.
  app.addHook('onResponse', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') void dispatcher.kick();
  });
}
