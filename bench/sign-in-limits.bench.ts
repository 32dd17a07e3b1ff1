/**
 * npm run bench:sign-in-limits — the reference portal's password limits at full size, over real HTTPS
 * on loopback (the security tests record most failures directly and send only the last few).
 *
 * 1. Guessing: FAILURE_LIMIT wrong passwords for one e-mail from 127.0.0.2, then the right password
 *    from 127.0.0.2 (must wait: 429) and from 127.0.0.1 (must not: 200).
 * 2. Spraying: SOURCE_FAILURE_LIMIT wrong passwords across many e-mails from 127.0.0.3, then one more
 *    (429) and the right password from 127.0.0.1 (200).
 * Each wrong password costs the portal a scrypt hash, so the times are mostly scrypt on this machine.
 * Prints a table and writes bench/results/sign-in-limits.json. See bench/README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../server/clock';
import { FAILURE_LIMIT, SOURCE_FAILURE_LIMIT } from '../server/auth/rate-limit';
import { portalRequest, startTestPortal, type HttpsResponse, type TestPortal } from '../test/support/portal';

const ADMIN = { email: 'admin@acme.test', password: 'acme-admin-demo' };
const TECH = { email: 'tech@acme.test', password: 'acme-tech-demo' };
const IN_FLIGHT = 4;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function loginFrom(portal: TestPortal, from: string, email: string, password: string): Promise<HttpsResponse> {
  return portalRequest(portal, 'POST', '/api/v1/auth/login', { body: { email, password }, from });
}

/** Sends `count` sign-ins, IN_FLIGHT at a time; returns the wall time and the statuses seen. */
async function attack(count: number, send: (index: number) => Promise<HttpsResponse>): Promise<{ seconds: number; statuses: Record<number, number> }> {
  const statuses: Record<number, number> = {};
  const started = performance.now();
  for (let start = 0; start < count; start += IN_FLIGHT) {
    const batch = await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, count - start) }, (_, offset) => send(start + offset)));
    for (const answer of batch) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
  }
  return { seconds: (performance.now() - started) / 1000, statuses };
}

function check(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}

async function main(): Promise<void> {
  const portal = await startTestPortal({ clock: new ManualClock('2026-01-15T09:00:00Z') });
  try {
    const guessing = await attack(FAILURE_LIMIT, (index) => loginFrom(portal, '127.0.0.2', ADMIN.email, `guess-${index}`));
    check('guessing: wrong passwords answered 401', guessing.statuses[401] ?? 0, FAILURE_LIMIT);
    check('guessing: the guesser waits', (await loginFrom(portal, '127.0.0.2', ADMIN.email, ADMIN.password)).status, 429);
    check('guessing: the admin does not', (await loginFrom(portal, '127.0.0.1', ADMIN.email, ADMIN.password)).status, 200);

    const emails = (portal.db.prepare('SELECT email FROM employees ORDER BY id').all() as { email: string }[]).map((row) => row.email);
    const spraying = await attack(SOURCE_FAILURE_LIMIT, (index) => loginFrom(portal, '127.0.0.3', emails[index % emails.length]!, 'Winter2026!'));
    check('spraying: wrong passwords answered 401', spraying.statuses[401] ?? 0, SOURCE_FAILURE_LIMIT);
    check('spraying: the sprayer waits', (await loginFrom(portal, '127.0.0.3', emails[7]!, 'Winter2026!')).status, 429);
    check('spraying: another address does not', (await loginFrom(portal, '127.0.0.1', TECH.email, TECH.password)).status, 200);

    const rows = [
      { attack: 'guessing (one e-mail, one address)', attempts: FAILURE_LIMIT, seconds: guessing.seconds },
      { attack: 'spraying (many e-mails, one address)', attempts: SOURCE_FAILURE_LIMIT, seconds: spraying.seconds },
    ].map((row) => ({ ...row, seconds: Number(row.seconds.toFixed(1)), attemptsPerSecond: Number((row.attempts / row.seconds).toFixed(1)) }));
    console.table(rows);
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    writeFileSync(
      join(root, 'bench/results/sign-in-limits.json'),
      `${JSON.stringify({ cpus: cpus().length, node: process.version, inFlight: IN_FLIGHT, results: rows }, null, 2)}\n`,
    );
  } finally {
    await portal.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
