import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';

/** The key that encrypts secrets at rest (TOTP seeds), kept in a 0600 file beside the database. */
export function loadOrCreateDataKey(file: string): Buffer {
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key.`);
    return key;
  }
  const key = randomBytes(32);
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, key.toString('base64'), { mode: 0o600 });
  renameSync(temporary, file);
  return key;
}
