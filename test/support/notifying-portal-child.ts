/**
 * A real reference portal in its own process, for crash trials of the notification outbox:
 *   node --import tsx test/support/notifying-portal-child.ts DB_FILE [hold-before-send|hold-after-send|none] [POSTGRES_URL]
 * (on PostgreSQL, DB_FILE only says where the certificate and data key live). Prints `LISTENING <url>`
 * once it serves, and with a hold, `HOLDING <notice id>` when the dispatcher reaches that point for the
 * first notice: there it waits for ever, for the parent's SIGKILL.
 */
import { startPortal } from '../../server/server';
import type { DispatcherHooks } from '../../server/notifications/dispatcher';

const [dbFile, hold, database] = process.argv.slice(2);
if (!dbFile) throw new Error('usage: notifying-portal-child.ts DB_FILE [hold-before-send|hold-after-send|none] [POSTGRES_URL]');

const wait = (point: string) => async (row: { id: number }) => {
  process.stdout.write(`HOLDING ${point} ${row.id}\n`);
  await new Promise(() => {});
};
const hooks: DispatcherHooks =
  hold === 'hold-before-send' ? { beforeSend: wait('before-send') } : hold === 'hold-after-send' ? { afterSend: wait('after-send') } : {};

const portal = await startPortal({ port: 0, dbFile, ...(database ? { database } : {}), seed: 'demo', print: () => {}, notificationHooks: hooks });
process.stdout.write(`LISTENING ${portal.url}\n`);
