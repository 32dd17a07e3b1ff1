/**
 * Where the window may go, and which links may leave the app for the system browser.
 * Pure functions over URL strings: the security handlers call them with what Chromium reports.
 *
 * Both checks fail closed: anything that does not parse, or parses to something unexpected, is
 * refused. The raw string is checked as well as the parsed URL, because the string is what
 * other parsers (the OS URL handler behind `shell.openExternal`) would see.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'portal-admin';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Longest URL we even look at (Chromium's own limit is 2 MB; nothing of ours comes close). */
const MAX_URL_LENGTH = 8192;

/**
 * C0 controls, space, DEL and the backslash. The WHATWG parser silently strips tabs and newlines
 * and turns `\` into `/` for special schemes, so `java\tscript:` or `https://good\@evil` can mean
 * different things to different parsers. A URL Chromium hands us never contains them raw.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const SUSPICIOUS_CHARACTERS = /[\u0000-\u0020\u007f\\]/;

function parse(url: unknown): URL | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH) return null;
  if (SUSPICIOUS_CHARACTERS.test(url)) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** The page may only ever show our own bundled app: `app://portal-admin/…`. */
export function isAllowedNavigation(url: unknown): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  // The raw prefix check rejects `app://portal-admin@evil/`, `APP://…` spellings and ports
  // before the parsed checks below say the same thing a second way.
  if (!(url as string).startsWith(`${APP_ORIGIN}/`)) return false;
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** Lower-case ASCII host names (`docs.example.com`); anything else in an allowlist is a mistake. */
const HOST_NAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/;

export function isValidAllowlistHost(host: string): boolean {
  return HOST_NAME.test(host) && !/^[0-9.]+$/.test(host);
}

/**
 * May this link open in the system browser? Only `https:` to a host that is exactly on the
 * allowlist: no subdomains by implication, no user info (`https://good.com@evil.com`), no explicit
 * port, no `http:` downgrade. Look-alike Unicode hosts arrive as `xn--` punycode after parsing and
 * so never equal an ASCII allowlist entry. Returns the normalised URL to hand to the OS (never the
 * raw string), or null when the link is refused.
 */
export function allowedExternalUrl(url: unknown, allowlist: readonly string[]): string | null {
  const parsed = parse(url);
  if (!parsed) return null;
  if (!/^https:\/\/[^/?#]/i.test(url as string)) return null;
  if (parsed.protocol !== 'https:') return null;
  if (parsed.username !== '' || parsed.password !== '' || parsed.port !== '') return null;
  const host = parsed.hostname;
  if (!isValidAllowlistHost(host)) return null; // IP literals, punycode edge cases with odd labels, trailing dots
  if (!allowlist.some((entry) => isValidAllowlistHost(entry) && entry === host)) return null;
  return parsed.href;
}

export function isAllowedExternal(url: unknown, allowlist: readonly string[]): boolean {
  return allowedExternalUrl(url, allowlist) !== null;
}
