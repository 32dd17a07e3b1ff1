/**
 * The one address browser mode answers on, and the exact `Host` and `Origin` header values a
 * request must carry. Anything else is refused: a page on another site (or on a DNS name rebound
 * to 127.0.0.1) sends its own Origin / Host, so it never reaches the bridge.
 */
export interface LoopbackAddress {
  host: string;
  port: number;
  /** `http://127.0.0.1:PORT` — the only accepted `Origin`. */
  origin: string;
  /** `127.0.0.1:PORT` — the only accepted `Host`. */
  hostHeader: string;
}

const ipv4Loopback = /^127\.(?:\d{1,3})\.(?:\d{1,3})\.(?:\d{1,3})$/;

export function assertLoopbackHost(host: string): void {
  // The whole security model (token in a fragment, plain ws://) assumes nobody else can connect.
  if (!ipv4Loopback.test(host)) throw new Error(`Browser mode serves on an IPv4 loopback address only (like 127.0.0.1), not "${host}".`);
}

export function loopbackAddress(host: string, port: number): LoopbackAddress {
  return { host, port, origin: `http://${host}:${port}`, hostHeader: `${host}:${port}` };
}

/** Exact match on one header value; a repeated or missing header never matches. */
export function isHeaderExactly(value: string | string[] | undefined, expected: string): boolean {
  return typeof value === 'string' && value === expected;
}
