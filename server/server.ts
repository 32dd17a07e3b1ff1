import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildPortal } from './app';
import { openStore, type Db } from './db/connection';
import { SqliteStore } from './db/sqlite-store';
import { isPostgresUrl, type Store } from './db/store';
import type { Clock } from './clock';
import { systemClock } from './clock';
import { loadOrCreateCertificate, type TlsMaterial } from './tls/certificate';
import { loadOrCreateDataKey } from './data-key';
import { DemoSmsProvider } from './sms/demo-provider';
import { isLoopbackHost, WebhookSmsProvider } from './sms/webhook-provider';
import type { SmsProvider } from './sms/provider';
import type { MailProvider } from './mail/provider';
import { planCompanies, seedDemo } from './seed/demo';
import { DemoMailProvider } from './mail/demo-provider';
import type { DispatcherHooks } from './notifications/dispatcher';

/** How one-time codes reach people. */
export type CarrierChoice =
  | { kind: 'demo' }
  | { kind: 'webhook'; url: string; secret: Buffer; ca?: string };

export const NO_CARRIER_MESSAGE =
  'Choose how sign-in codes are delivered: --sms demo (prints them; loopback only) or --sms webhook --sms-webhook-url URL --sms-webhook-secret-file FILE.';

export interface StartOptions {
  /**
   * The carrier. Without one, a portal started with `seed` uses the demo carrier and any other
   * portal refuses to start (NO_CARRIER_MESSAGE).
   */
  sms?: CarrierChoice;
  host?: string;
  port?: number;
  /**
   * The SQLite file; with `database`, only where the data key and certificate files live
   * (`<dbFile>.datakey`, …) unless `dataKeyFile` says otherwise.
   */
  dbFile: string;
  /** A postgres:// URL: the portal runs on PostgreSQL instead of the SQLite file. */
  database?: string;
  /** The data key file (every instance on one database needs the same key). */
  dataKeyFile?: string;
  /** 'demo' seeds the demo companies; 'demo:N' gives Acme N employees. */
  seed?: string | null;
  /** With `seed`: how many companies (2 to 1,000); `demo:N` is then the total of employees. */
  companies?: number;
  certFile?: string;
  keyFile?: string;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  /** Where demo SMS lines are printed (the console by default). */
  print?: (line: string) => void;
  /** Crash trials only: points where the notification dispatcher waits to be killed. */
  notificationHooks?: DispatcherHooks;
}

export interface RunningPortal {
  url: string;
  port: number;
  app: FastifyInstance;
  /** The SQLite connection (tests and tools read the file through it); throws on PostgreSQL. */
  readonly db: Db;
  store: Store;
  tls: TlsMaterial;
  close(): Promise<void>;
}

export function parseSeed(seed: string, companies?: number): number {
  const match = /^demo(?::(\d{1,7}))?$/.exec(seed);
  if (!match) throw new Error(`--seed takes demo or demo:N, not "${seed}".`);
  const count = match[1] === undefined ? 250 : Number(match[1]);
  if (companies === undefined || companies === 2) {
    if (count < 1 || count > 100_000) throw new Error('--seed demo:N takes N from 1 to 100000 (up to 1000000 with --companies).');
  } else {
    planCompanies(count, companies); // throws on a count or company number out of range
  }
  return count;
}

/** Opens the database, seeds it if asked, and listens over HTTPS. */
export async function startPortal(options: StartOptions): Promise<RunningPortal> {
  const employeeCount = options.seed ? parseSeed(options.seed, options.companies) : null;
  const carrier: CarrierChoice | null = options.sms ?? (employeeCount !== null ? { kind: 'demo' } : null);
  if (!carrier) throw new Error(NO_CARRIER_MESSAGE);
  const host = options.host ?? '127.0.0.1';
  if (carrier.kind === 'demo' && !isLoopbackHost(host)) {
    throw new Error(`The demo carrier prints sign-in codes, so it only serves a loopback address, not --host ${host}. Use --sms webhook.`);
  }
  mkdirSync(dirname(options.dbFile), { recursive: true });
  const location = options.database ?? options.dbFile;
  if (options.database !== undefined && !isPostgresUrl(options.database)) throw new Error('database takes a postgres:// URL.');
  const db = await openStore(location);
  try {
    const clock = options.clock ?? systemClock;
    const dataKey = loadOrCreateDataKey(options.dataKeyFile ?? `${options.dbFile}.datakey`);
    if (employeeCount !== null) await seedDemo(db, { employees: employeeCount, companies: options.companies, now: clock.now(), dataKey });
    const tls = await loadOrCreateCertificate({ certFile: options.certFile, keyFile: options.keyFile, base: options.dbFile });
    const demoSms = carrier.kind === 'demo' ? new DemoSmsProvider(db, clock, options.print) : null;
    // Notices by email go the way codes go: the demo outbox in demo mode, the signed webhook otherwise.
    const demoMail = carrier.kind === 'demo' ? new DemoMailProvider(db, clock, options.print) : null;
    let log: FastifyInstance['log'] | null = null;
    const webhook =
      carrier.kind === 'demo'
        ? null
        : new WebhookSmsProvider({ url: carrier.url, secret: carrier.secret, ca: carrier.ca, clock, log: (details, message) => log?.warn(details, message) });
    const sms: SmsProvider = webhook ?? demoSms!;
    const mail: MailProvider = webhook ? { send: (message) => webhook.sendMail(message) } : demoMail!;
    const app = await buildPortal({
      db,
      sms,
      demoSms,
      mail,
      demoMail,
      notificationHooks: options.notificationHooks,
      dataKey,
      clock,
      https: { key: tls.key, cert: tls.cert },
      logger: options.logger ?? false,
    });
    log = app.log;
    await app.listen({ host, port: options.port ?? 8443 });
    const port = (app.server.address() as AddressInfo).port;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    return {
      url: `https://${urlHost}:${port}`,
      port,
      app,
      get db(): Db {
        if (!(db instanceof SqliteStore)) throw new Error('This portal runs on PostgreSQL: use store.');
        return db.connection;
      },
      store: db,
      tls,
      async close() {
        await app.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
