import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { firstPaintOf, firstPaintPageFile, withResuming, type FirstPaint } from '../../../common/first-paint';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from './csp';
import { MIME_TYPES } from './mime-types';
import { APP_HOST, APP_SCHEME } from './navigation-policy';

/**
 * The `app://portal-admin/…` scheme the renderer is served from (never `file://`, whose origin is
 * shared by every local file, nor a localhost server another local process could answer on).
 */

/**
 * `standard` gives the scheme an origin and relative URL resolution (and storage); `secure` makes
 * it a secure context like https; `supportFetchAPI` lets module scripts load; `codeCache` lets V8 keep the
 * compiled bundle between starts (without it, custom schemes get no code cache and the whole
 * renderer is compiled again at every launch; it needs `standard`). No `bypassCSP`, no
 * `corsEnabled`: nothing should reach it from another origin.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

/** What `registerAppScheme` / `handleAppProtocol` need of Electron's `protocol` module. */
export interface ProtocolLike {
  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges: { standard: boolean; secure: boolean; supportFetchAPI: boolean; codeCache: boolean } }>): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

/** Must run before the app's `ready` event (Electron's rule). */
export function registerAppScheme(protocol: Pick<ProtocolLike, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME_PRIVILEGES.scheme, privileges: { ...APP_SCHEME_PRIVILEGES.privileges } }]);
}


const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-cache',
} as const;

/**
 * Puts the policy's meta element first in <head>, before any script or stylesheet can load.
 * A document without a <head> tag is returned unchanged (the header still applies).
 */
export function withMetaContentSecurityPolicy(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${META_CONTENT_SECURITY_POLICY}">`;
  return html.replace(/<head(\s[^>]*)?>/i, (head) => `${head}\n    ${meta}`);
}

function notFound(status = 404, statusText = 'Not Found'): Response {
  return new Response(null, { status, statusText, headers: SECURITY_HEADERS });
}

export interface AppRequestHandlerOptions {
  /** The built renderer folder (out/renderer), holding index.html and assets/. */
  rootDir: string;
  /** Whether a page opened now resumes a session or a sign-in waiting for its code (its sign-in form is not painted). */
  isResuming?: () => Promise<boolean>;
}

export type AppRequestHandler = (request: { url: string; method: string }) => Promise<Response>;

/**
 * Serves files from `rootDir` for `app://portal-admin/<path>`. Refused with 404: another host,
 * user info or a port in the URL, encoded slashes/backslashes/NUL, any `.`/`..` segment left after
 * parsing, and any file whose real path (symlinks resolved) is outside `rootDir`. Only GET/HEAD.
 * The page itself (`/`, `/index.html`) is served in the language `?locale=` names (one of the app's,
 * else English: `index.<locale>.html` of the build, see common/first-paint.ts), its sign-in form hidden
 * with `?resume=1` or while `isResuming` says so.
 */
export function createAppRequestHandler(options: AppRequestHandlerOptions): AppRequestHandler {
  const root = resolve(options.rootDir);
  let realRoot: Promise<string> | null = null;
  const forgetRootOnFailure = (error: unknown): never => {
    realRoot = null; // the build folder may appear later (a rebuild while the app runs)
    throw error;
  };

  async function resolveFile(rawUrl: string): Promise<{ file: string; page: FirstPaint | null } | null> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return null;
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST || url.port !== '' || url.username !== '' || url.password !== '') return null;
    let pathname: string;
    try {
      // %2F, %5C and %00 must not become separators or terminators after decoding.
      if (/%(2f|5c|00)/i.test(url.pathname)) return null;
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return null; // malformed percent-encoding
    }
    if (pathname.includes('\\') || pathname.includes('\0')) return null;
    const segments = pathname.split('/').filter((segment) => segment !== '');
    // `..`/`.` left after parsing, and `:` (Windows drive letters, NTFS alternate data streams).
    if (segments.some((segment) => segment === '.' || segment === '..' || segment.includes(':'))) return null;
    if (segments.length === 0) segments.push('index.html');
    const isPage = segments.length === 1 && segments[0] === 'index.html';
    if (isPage) {
      const page = await firstPaintOf(url.searchParams, { isResuming: options.isResuming });
      // An older build has index.html only.
      const file = (await fileInRoot([firstPaintPageFile(page.locale)])) ?? (await fileInRoot(['index.html']));
      return file === null ? null : { file, page };
    }
    const file = await fileInRoot(segments);
    return file === null ? null : { file, page: null };
  }

  async function fileInRoot(segments: string[]): Promise<string | null> {
    const candidate = resolve(root, ...segments);
    const fromRoot = relative(root, candidate);
    if (fromRoot === '' || fromRoot.startsWith('..') || isAbsolute(fromRoot)) return null;
    // Symlinks inside the build folder must not lead out of it.
    try {
      realRoot ??= realpath(root).catch(forgetRootOnFailure);
      const base = await realRoot;
      const real = await realpath(candidate);
      if (!real.startsWith(base + sep)) return null;
      if (!(await stat(real)).isFile()) return null;
      return real;
    } catch {
      return null; // missing file (or a build folder that does not exist yet)
    }
  }

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, statusText: 'Method Not Allowed', headers: { ...SECURITY_HEADERS, Allow: 'GET, HEAD' } });
    }
    const resolved = await resolveFile(request.url);
    if (!resolved) return notFound();
    const { file, page } = resolved;
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return notFound();
    }
    const extension = extname(file).toLowerCase();
    if (extension === '.html') {
      let html = withMetaContentSecurityPolicy(body.toString('utf8'));
      if (page?.isResuming === true) html = withResuming(html);
      body = Buffer.from(html, 'utf8');
    }
    const contentType = MIME_TYPES[extension] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': contentType, 'Content-Length': String(body.byteLength) },
    });
  };
}

/** Installs the handler for the `app` scheme (after `ready`). */
export function handleAppProtocol(protocol: Pick<ProtocolLike, 'handle'>, options: AppRequestHandlerOptions): AppRequestHandler {
  const handler = createAppRequestHandler(options);
  protocol.handle(APP_SCHEME, (request) => handler(request));
  return handler;
}
