/**
 * npm run portal -- --sms demo|webhook [--sms-webhook-url URL --sms-webhook-secret-file F [--sms-webhook-ca F]]
 *                   [--host 127.0.0.1] [--port 8443] [--db FILE|postgres://USER@HOST:PORT/DB [--data-key F]] [--seed demo|demo:N [--companies M]] [--cert F --key F]
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { NO_CARRIER_MESSAGE, startPortal, type CarrierChoice } from './server';
import { isPostgresUrl } from './db/store';
import { portalLogRedact, portalLogSerializers } from './http/log-serializers';

const usage =
  'Usage: npm run portal -- --sms demo|webhook [--sms-webhook-url URL --sms-webhook-secret-file FILE [--sms-webhook-ca FILE]] ' +
  '[--host 127.0.0.1] [--port 8443] [--db FILE|postgres://USER@HOST:PORT/DB [--data-key FILE]] [--seed demo|demo:N [--companies M]] [--cert FILE --key FILE]';

/** The carrier the flags choose; null when none was chosen (--seed demo then means the demo carrier). */
function carrierFrom(values: { sms?: string; 'sms-webhook-url'?: string; 'sms-webhook-secret-file'?: string; 'sms-webhook-ca'?: string }): CarrierChoice | null {
  if (values.sms === undefined) return null;
  if (values.sms === 'demo') return { kind: 'demo' };
  if (values.sms !== 'webhook') throw new Error(`--sms takes demo or webhook, not "${values.sms}".`);
  const url = values['sms-webhook-url'];
  const secretFile = values['sms-webhook-secret-file'];
  if (!url || !secretFile) throw new Error('--sms webhook needs --sms-webhook-url URL and --sms-webhook-secret-file FILE.');
  const secret = readFileSync(resolve(secretFile));
  const trimmed = Buffer.from(secret.toString('utf8').trim(), 'utf8');
  if (trimmed.length < 32) throw new Error('The webhook secret file must hold at least 32 bytes (e.g. openssl rand -hex 32).');
  const ca = values['sms-webhook-ca'] ? readFileSync(resolve(values['sms-webhook-ca']), 'utf8') : undefined;
  return { kind: 'webhook', url, secret: trimmed, ...(ca ? { ca } : {}) };
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '8443' },
        db: { type: 'string', default: '.data/portal.sqlite' },
        'data-key': { type: 'string' },
        seed: { type: 'string' },
        companies: { type: 'string' },
        sms: { type: 'string' },
        'sms-webhook-url': { type: 'string' },
        'sms-webhook-secret-file': { type: 'string' },
        'sms-webhook-ca': { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port takes a number from 0 to 65535.\n${usage}`);
    process.exit(2);
  }
  const companies = values.companies === undefined ? undefined : Number(values.companies);
  if (companies !== undefined && (!Number.isInteger(companies) || companies < 2 || companies > 1000 || !values.seed)) {
    console.error(`--companies takes a number from 2 to 1000, with --seed demo:N.\n${usage}`);
    process.exit(2);
  }
  let sms: CarrierChoice | null;
  try {
    sms = carrierFrom(values);
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (sms === null && !values.seed) {
    console.error(NO_CARRIER_MESSAGE);
    process.exit(2);
  }
  // Signals are handled from the start, so a stop that arrives while the portal starts is not lost.
  let portal: Awaited<ReturnType<typeof startPortal>> | null = null;
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: shutting down`);
    (portal ? portal.close() : Promise.resolve()).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  portal = await startPortal({
    host: values.host,
    port,
    // On PostgreSQL the data key and certificate files live under .data/ (or where --data-key says).
    ...(isPostgresUrl(values.db)
      ? { database: values.db, dbFile: resolve('.data/portal-postgres') }
      : { dbFile: resolve(values.db) }),
    ...(values['data-key'] ? { dataKeyFile: resolve(values['data-key']) } : {}),
    seed: values.seed ?? null,
    ...(companies !== undefined ? { companies } : {}),
    ...(sms ? { sms } : {}),
    certFile: values.cert,
    keyFile: values.key,
    logger: {
      level: process.env.PORTAL_LOG_LEVEL ?? 'info',
      // A request is logged as its method and path, without challenge ids or query strings; headers
      // (bearer tokens) and bodies are never logged.
      serializers: portalLogSerializers,
      redact: portalLogRedact,
    },
  });
  console.log(`Portal API listening on ${portal.url}`);
  console.log(`Certificate: ${portal.tls.certPath}`);
  console.log(`SHA-256 fingerprint: ${portal.tls.fingerprint256}`);
  const carrier = sms?.kind ?? 'demo';
  console.log(carrier === 'demo' ? `Codes: demo carrier (printed here and listed at ${portal.url}/api/v1/dev/sms)` : 'Codes: webhook carrier');
  if (values.seed) console.log(`Demo data: ${values.seed} (sign in as admin@acme.test / acme-admin-demo)`);
}

main().catch((error: unknown) => {
  console.error(`Portal API failed to start: ${(error as Error).message}`);
  process.exit(1);
});
