import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../log';
import { writeFileAtomically } from '../infra/atomic-file';

/**
 * Which keychain entry holds the remembered refresh token, and when that sign-in happened (so the
 * 12-hour absolute limit survives a restart). Not a secret: the token itself is only in the keychain.
 */
export interface RememberedSession {
  portalOrigin: string;
  email: string;
  /** Epoch milliseconds of the sign-in with password and second factor. */
  signedInAt: number;
}

export const REMEMBERED_SESSION_FILE_NAME = 'remembered-session.json';

const fileSchema = z.strictObject({
  version: z.literal(1),
  portalOrigin: z.string().max(2048),
  email: z.string().max(254),
  signedInAt: z.number().int().nonnegative(),
});

export interface RememberedSessionFile {
  read(): RememberedSession | null;
  write(value: RememberedSession): void;
  clear(): void;
}

export function rememberedSessionFile(userDataDir: string, log: Logger): RememberedSessionFile {
  const file = join(userDataDir, REMEMBERED_SESSION_FILE_NAME);
  return {
    read() {
      if (!existsSync(file)) return null;
      try {
        const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
        if (parsed.success) {
          const { version: _version, ...value } = parsed.data;
          return value;
        }
      } catch {
        // fall through: an unreadable pointer is the same as none
      }
      log.warn('auth: the remembered-session file was invalid and is ignored');
      rmSync(file, { force: true });
      return null;
    },
    write(value) {
      writeFileAtomically(file, `${JSON.stringify({ version: 1, ...value })}\n`);
    },
    clear() {
      rmSync(file, { force: true });
    },
  };
}
