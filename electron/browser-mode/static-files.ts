import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { firstPaintOf, firstPaintPageFile, isAppLocale, withResuming, type FirstPaint } from '../../common/first-paint';
import { MIME_TYPES } from '../main/shell/mime-types';

export type ResolvedPath = { kind: 'file'; relative: string } | { kind: 'refused'; reason: string };

/**
 * Maps a request target to a file under the site root, or refuses it. Works on the raw target,
 * not on a URL-normalised one, so `..`, `%2e%2e`, `..%2f`, backslashes and NUL are refused rather
 * than silently folded into another path.
 */
export function resolveRequestPath(target: string): ResolvedPath {
  if (!target.startsWith('/')) return { kind: 'refused', reason: 'not an origin-form request target' };
  const pathPart = target.split(/[?#]/, 1)[0] ?? '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    return { kind: 'refused', reason: 'malformed percent-encoding' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'refused', reason: 'forbidden character' };
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.')) return { kind: 'refused', reason: 'dot segment' };
  // Hidden files (.vite/, .env…) are never part of the site.
  if (segments.some((segment) => segment.startsWith('.'))) return { kind: 'refused', reason: 'hidden file' };
  if (segments.length === 0) return { kind: 'file', relative: 'index.html' };
  return { kind: 'file', relative: segments.join('/') };
}

export interface StaticSiteOptions {
  /** The built renderer (`out/renderer`). */
  rootDir: string;
  /** Sent with every answer (CSP and friends). */
  headers: Record<string, string>;
  /** The Language setting's language when one is chosen (null: "Auto", the browser's languages). */
  pageLocale?: () => string | null;
  /** Whether a page opened now resumes a session or a sign-in waiting for its code (its sign-in form is not painted). */
  isResuming?: () => Promise<boolean>;
}

/** The query of a request target (`/?locale=de#…` → `locale=de`). */
function searchOf(target: string): URLSearchParams {
  const beforeHash = target.split('#', 1)[0]!;
  const at = beforeHash.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : beforeHash.slice(at + 1));
}

/**
 * Serves the built renderer: GET/HEAD only, SPA fallback to index.html, nothing outside the root. The
 * page (index.html, also as the fallback) is served in the language of its first paint — `?locale=`, the
 * Language setting, else Accept-Language: `index.<locale>.html` of the build (common/first-paint.ts) —
 * with its sign-in form hidden while the page resumes a session (`?resume=1`, or `isResuming`).
 */
export function createStaticSite(options: StaticSiteOptions): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const configuredRoot = resolve(options.rootDir);
  let root: string | null = null;

  function send(response: ServerResponse, status: number, body: Buffer | string, headers: Record<string, string>, isHead: boolean): void {
    const payload = typeof body === 'string' ? Buffer.from(body) : body;
    response.writeHead(status, { ...options.headers, ...headers, 'Content-Length': String(payload.byteLength) });
    response.end(isHead ? undefined : payload);
  }
  const sendText = (response: ServerResponse, status: number, text: string, isHead: boolean, extra: Record<string, string> = {}): void =>
    send(response, status, `${text}\n`, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra }, isHead);

  /** The real path of a regular file inside the root, or null (missing, a folder, or a link out of the root). */
  async function fileInRoot(relative: string): Promise<string | null> {
    root ??= await realpath(configuredRoot);
    const candidate = join(root, relative);
    if (!candidate.startsWith(root + sep)) return null;
    try {
      const real = await realpath(candidate);
      if (!real.startsWith(root + sep)) return null;
      return (await stat(real)).isFile() ? real : null;
    } catch {
      return null;
    }
  }

  return async (request, response) => {
    const isHead = request.method === 'HEAD';
    if (request.method !== 'GET' && !isHead) {
      sendText(response, 405, 'Method not allowed.', false, { Allow: 'GET, HEAD' });
      return;
    }
    const resolved = resolveRequestPath(request.url ?? '/');
    if (resolved.kind === 'refused') {
      sendText(response, 400, 'Bad request path.', isHead);
      return;
    }
    let file = resolved.relative === 'index.html' ? null : await fileInRoot(resolved.relative);
    // A missing file with an extension is a missing asset; without one it is a client-side route.
    if (!file && resolved.relative !== 'index.html' && extname(resolved.relative) !== '') {
      sendText(response, 404, 'Not found.', isHead);
      return;
    }
    let firstPaint: FirstPaint | null = null;
    if (!file) {
      const setting = options.pageLocale?.() ?? null;
      firstPaint = await firstPaintOf(searchOf(request.url ?? '/'), { setting: isAppLocale(setting) ? setting : null, acceptLanguage: request.headers['accept-language'], isResuming: options.isResuming });
      // An older build has index.html only.
      file = (await fileInRoot(firstPaintPageFile(firstPaint.locale))) ?? (await fileInRoot('index.html'));
    }
    if (!file) {
      sendText(response, 503, 'The renderer is not built yet: run npm run build:web.', isHead);
      return;
    }
    const extension = extname(file).toLowerCase();
    let body = await readFile(file);
    if (firstPaint?.isResuming === true) {
      body = Buffer.from(withResuming(body.toString('utf8')), 'utf8');
    }
    send(
      response,
      200,
      body,
      {
        'Content-Type': MIME_TYPES[extension] ?? 'application/octet-stream',
        // index.html names the current hashed bundles; the bundles themselves may be revalidated.
        'Cache-Control': extension === '.html' ? 'no-store' : 'no-cache',
      },
      isHead,
    );
  };
}
