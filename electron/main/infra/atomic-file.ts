import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a file so that a crash or power cut leaves either the old or the new contents, never a
 * torn file: write a temporary file beside it, fsync it, rename it over the target, fsync the folder.
 */
export function writeFileAtomically(path: string, contents: string, mode = 0o600): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const descriptor = openSync(temporary, 'wx', mode);
  try {
    writeAllDurably(descriptor, contents);
  } catch (error) {
    closeSync(descriptor);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(descriptor);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  syncFolder(folder);
}

/**
 * Appends to a file and fsyncs it (and its folder when the file is new), so the appended bytes are
 * on disk when it returns. A crash mid-append can leave a torn tail; readers must ignore it.
 */
export function appendFileDurably(path: string, contents: string, mode = 0o600): void {
  const folder = dirname(path);
  const isNew = !existsSync(path);
  if (isNew) mkdirSync(folder, { recursive: true, mode: 0o700 });
  const descriptor = openSync(path, 'a', mode);
  try {
    writeAllDurably(descriptor, contents);
  } finally {
    closeSync(descriptor);
  }
  if (isNew) syncFolder(folder);
}

function writeAllDurably(descriptor: number, contents: string): void {
  const buffer = Buffer.from(contents, 'utf8');
  let offset = 0;
  while (offset < buffer.length) offset += writeSync(descriptor, buffer, offset, buffer.length - offset);
  fsyncSync(descriptor);
}

/** Removes a file durably (the folder is fsynced after the unlink). */
export function removeFileDurably(path: string): void {
  rmSync(path, { force: true });
  syncFolder(dirname(path));
}

/** Makes the rename itself durable. Windows cannot open a folder for fsync; there rename is enough. */
function syncFolder(folder: string): void {
  let descriptor: number | null = null;
  try {
    descriptor = openSync(folder, 'r');
    fsyncSync(descriptor);
  } catch {
    // not supported on this platform
  } finally {
    if (descriptor !== null) closeSync(descriptor);
  }
}
