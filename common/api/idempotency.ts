/**
 * The one way Portal Admin makes an `Idempotency-Key` (a random UUID, RFC 9562 v4). The portal
 * applies a write with a given key once; a retry with the same key gets the first answer again.
 *
 * Who mints: whoever can retry the request. The Edit Employee window mints the key of a save and of
 * a number confirmation, and keeps it while the same attempt is retried (a lost IPC answer, a
 * step-up code in between), so the key is part of those channels' input and main does not mint one
 * for them. Main mints for the writes it starts itself: a draft (kept with the draft for every
 * sync attempt) and an import row.
 *
 * Web Crypto's `randomUUID` exists in Node (main, server) and in the renderer, which always runs in
 * a secure context (the app:// scheme or the loopback browser-mode page).
 */
export function newIdempotencyKey(): string {
  const webCrypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof webCrypto?.randomUUID !== 'function') throw new Error('Web Crypto randomUUID is not available: an idempotency key cannot be made.');
  return webCrypto.randomUUID();
}
