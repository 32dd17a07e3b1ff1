import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from './redact';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  /** Folder for `portal-admin.log` and its rotations (usually `<userData>/logs`). None: no file. */
  directory?: string;
  level?: LogLevel;
  /** Receives every written line as well (tests, a console in development). */
  sink?: (line: string) => void;
  /** Rotation: a file is rotated once it would pass this size… */
  maxFileBytes?: number;
  /** …and this many files are kept in all (the current one included). */
  maxFiles?: number;
  now?: () => number;
}

export const LOG_FILE_NAME = 'portal-admin.log';

/**
 * JSON lines, one event a line, every field passed through `redact` first. Writes are synchronous
 * appends: the volume is small, and a line written just before a crash is the one that matters.
 * A logger never throws: a full disk must not break a sign-in.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const maxFileBytes = options.maxFileBytes ?? 1024 * 1024;
  const maxFiles = Math.max(1, options.maxFiles ?? 5);
  const now = options.now ?? Date.now;
  const directory = options.directory;
  const file = directory ? join(directory, LOG_FILE_NAME) : null;
  let size = -1;
  let isDirectoryReady = false;

  function rotate(): void {
    if (!file) return;
    rmSync(`${file}.${maxFiles - 1}`, { force: true });
    for (let index = maxFiles - 2; index >= 1; index--) {
      try {
        renameSync(`${file}.${index}`, `${file}.${index + 1}`);
      } catch {
        // that rotation does not exist yet
      }
    }
    if (maxFiles > 1) renameSync(file, `${file}.1`);
    else rmSync(file, { force: true });
    size = 0;
  }

  function writeToFile(line: string): void {
    if (!file || !directory) return;
    if (!isDirectoryReady) {
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      isDirectoryReady = true;
    }
    if (size < 0) {
      try {
        size = statSync(file).size;
      } catch {
        size = 0;
      }
    }
    const bytes = Buffer.byteLength(line);
    if (size > 0 && size + bytes > maxFileBytes) rotate();
    appendFileSync(file, line, { mode: 0o600 });
    size += bytes;
  }

  function write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    try {
      const record: Record<string, unknown> = { time: new Date(now()).toISOString(), level, message: redact(message) };
      if (fields) Object.assign(record, redact(fields));
      const line = `${JSON.stringify(record)}\n`;
      writeToFile(line);
      options.sink?.(line);
    } catch {
      // Logging must never take the app down.
    }
  }

  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/** Discards everything (a default where no logger was given). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
