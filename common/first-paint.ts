/**
 * The first paint's page: the build writes index.html once per language, each with that language's
 * sign-in page prerendered in it (scripts/prerender-sign-in.ts), and the server of the page (Electron's
 * app:// handler, browser mode's host) picks one per request, so nothing but HTML and CSS comes before
 * the first frame. Pure: used by both servers and the build.
 */
import { APP_LOCALES, chooseLocale, DEFAULT_LOCALE, type AppLocale } from './i18n/locale-choice.ts';

/** The page address's parameter naming the language of the first paint (`?locale=de`). */
export const LOCALE_PARAMETER = 'locale';
/** `?resume=1`: the page resumes a session or a sign-in waiting for its code (no sign-in form painted first). */
export const RESUME_PARAMETER = 'resume';
/** On <html> while the page resumes and the app has not mounted yet: the prerendered form is hidden. */
export const RESUMING_ATTRIBUTE = 'data-resuming';

export function isAppLocale(value: string | null | undefined): value is AppLocale {
  return typeof value === 'string' && (APP_LOCALES as readonly string[]).includes(value);
}

/** The built page of one language, in the renderer's folder: `index.html` (English), `index.de.html` … */
export function firstPaintPageFile(locale: AppLocale): string {
  return locale === DEFAULT_LOCALE ? 'index.html' : `index.${locale}.html`;
}

/** Accept-Language's tags, most preferred first (at most 16 are looked at; `*` and q=0 left out). */
export function acceptedLanguages(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .slice(0, 512)
    .split(',')
    .slice(0, 16)
    .map((part, index) => {
      const [tag = '', ...parameters] = part.split(';').map((piece) => piece.trim());
      const q = parameters.map((parameter) => /^q=([01](?:\.\d{0,3})?)$/i.exec(parameter)).find((match) => match !== null);
      return { tag, q: q ? Number(q[1]) : 1, index };
    })
    .filter(({ tag, q }) => tag !== '' && tag !== '*' && q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map(({ tag }) => tag);
}

/** The page address's query, as URLSearchParams reads it (common/ has no DOM or Node types). */
export interface PageSearch {
  get(name: string): string | null;
}

export interface FirstPaint {
  locale: AppLocale;
  isResuming: boolean;
}

/**
 * The first paint a request for the page gets, worked out once per request. The language, the first of:
 * `?locale=` (Electron's main names the language it resolved; browser mode's address names a chosen
 * Language setting), the Language setting the server knows, the browser's languages (Accept-Language, as
 * the app's "Auto" does in a browser). Only one of the app's languages is ever taken from the request.
 * Resuming with `?resume=1`, else as `isResuming` says (asked only then; a failure reads as not resuming).
 */
export async function firstPaintOf(
  search: PageSearch,
  known: { setting?: AppLocale | null; acceptLanguage?: string; isResuming?: () => Promise<boolean> },
): Promise<FirstPaint> {
  const named = search.get(LOCALE_PARAMETER);
  const locale = isAppLocale(named) ? named : (known.setting ?? chooseLocale(acceptedLanguages(known.acceptLanguage), APP_LOCALES, DEFAULT_LOCALE));
  const isResuming = search.get(RESUME_PARAMETER) === '1' || (await (known.isResuming?.().catch(() => false) ?? false));
  return { locale, isResuming };
}

/** The page as served for a resuming start: the prerendered form hidden until the app mounts. */
export function withResuming(html: string): string {
  return html.replace(/<html(?=[\s>])/i, `<html ${RESUMING_ATTRIBUTE}`);
}
