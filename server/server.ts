import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildPortal } from './app';
import { openDatabase, type Db } from './db/connection';
import type { Clock } from './clock';
import { systemClock } from './clock';
import { loadOrCreateCertificate, type TlsMaterial } from './tls/certificate';
import { loadOrCreateDataKey } from './data-key';
import { DemoSmsProvider } from './sms/demo-provider';
import { seedDemo } from './seed/demo';
import { DemoMailProvider } from './mail/demo-provider';
import type { DispatcherHooks } from './notifications/dispatcher';

export interface StartOptions {
  host?: string;
  port?: number;
  dbFile: string;
  /** 'demo' seeds the demo companies; 'demo:N' gives Acme N employees. */
  seed?: string | null;
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
  db: Db;
  tls: TlsMaterial;
  close(): Promise<void>;
}

export function parseSeed(seed: string): number {
  const match = /^demo(?::(\d{1,6}))?$/.exec(seed);
  if (!match) throw new Error(`--seed takes demo or demo:N, not "${seed}".`);
  const count = match[1] === undefined ? 250 : Number(match[1]);
  if (count < 1 || count > 100_000) throw new Error('--seed demo:N takes N from 1 to 100000.');
  return count;
}

/** Opens the database, seeds it if asked, and listens over HTTPS. */
export async function startPortal(options: StartOptions): Promise<RunningPortal> {
  const employeeCount = options.seed ? parseSeed(options.seed) : null;
  mkdirSync(dirname(options.dbFile), { recursive: true });
  const db = openDatabase(options.dbFile);
  try {
    const clock = options.clock ?? systemClock;
    const dataKey = loadOrCreateDataKey(`${options.dbFile}.datakey`);
    if (employeeCount !== null) seedDemo(db, { employees: employeeCount, now: clock.now(), dataKey });
    const tls = await loadOrCreateCertificate({ certFile: options.certFile, keyFile: options.keyFile, base: options.dbFile });
    const demoSms = new DemoSmsProvider(db, clock, options.print);
    const demoMail = new DemoMailProvider(db, clock, options.print);
    const app = await buildPortal({
      db,
      sms: demoSms,
      demoSms: employeeCount !== null ? demoSms : null,
      mail: demoMail,
      demoMail: employeeCount !== null ? demoMail : null,
      notificationHooks: options.notificationHooks,
      dataKey,
      clock,
      https: { key: tls.key, cert: tls.cert },
      logger: options.logger ?? false,
    });
    const host = options.host ?? '127.0.0.1';
    await app.listen({ host, port: options.port ?? 8443 });
    const port = (app.server.address() as AddressInfo).port;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    return {
      url: `https://${urlHost}:${port}`,
      port,
      app,
      db,
      tls,
      async close() {
        await app.close();
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
