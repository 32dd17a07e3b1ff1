/**
 * The app's languages and how one is chosen from a list of preferred languages (the OS's, or the
 * browser's): the first preferred language the app has, matched on its primary subtag
 * ("de-AT" → "de"), else English. Pure: used by the renderer and by main.
 */

export const APP_LOCALES = ['en', 'de', 'fr', 'es'] as const;
export type AppLocale = (typeof APP_LOCALES)[number];

/** The Language setting: follow the OS ("auto") or one of the app's languages. */
export const LANGUAGE_SETTINGS = ['auto', ...APP_LOCALES] as const;
export type LanguageSetting = (typeof LANGUAGE_SETTINGS)[number];

export const DEFAULT_LOCALE: AppLocale = 'en';

/** The primary language subtag, lower-case ("de-AT" → "de", "pt_BR" → "pt"); null for what is not a tag. */
export function primaryLanguage(tag: string): string | null {
  const match = /^([A-Za-z]{2,3})(?:[-_]|$)/.exec(tag.trim());
  return match ? match[1]!.toLowerCase() : null;
}

/** The first of `preferred` that one of `available` serves, else the default. */
export function chooseLocale<L extends string>(preferred: readonly string[], available: readonly L[], fallback: L): L {
  for (const tag of preferred) {
    const exact = available.find((locale) => locale.toLowerCase() === tag.trim().toLowerCase().replace('_', '-'));
    if (exact !== undefined) return exact;
    const language = primaryLanguage(tag);
    const byLanguage = language === null ? undefined : available.find((locale) => locale === language);
    if (byLanguage !== undefined) return byLanguage;
  }
  return fallback;
}

/** The locale in use for a setting: the chosen language, or the first preferred one the app has. */
export function resolveLocale(setting: LanguageSetting, preferred: readonly string[]): AppLocale {
  return setting === 'auto' ? chooseLocale(preferred, APP_LOCALES, DEFAULT_LOCALE) : setting;
}
