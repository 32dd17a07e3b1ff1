import { shallowRef } from 'vue';
import { createI18n } from 'vue-i18n';
import { APP_LOCALES, DEFAULT_LOCALE, primaryLanguage, type AppLocale } from '../../common/i18n/locale-choice';
import en, { vuetify as vuetifyEn, type Messages } from './messages/en';

/**
 * The app's vue-i18n instance (Composition API, no legacy API). English is bundled; German,
 * French and Spanish are loaded when chosen, each as its own chunk, with Vuetify's own component
 * strings ("$vuetify.*") in the same language. Messages compile at run time with vue-i18n's JIT
 * compiler, which builds functions from an AST (no eval, so the app's CSP holds).
 */

/** The pseudo-locale for layout tests: accented and ~40 % longer English ("[Šåṽé Çĥåñĝéš ~~]"). */
export const PSEUDO_LOCALE = 'en-XA';
export type UiLocale = AppLocale | typeof PSEUDO_LOCALE;

type Bundle = Messages & { $vuetify: Record<string, unknown> };

/** One choice for 2-form messages ("one | other") by the language's own plural rule (French: 0 and 1 are singular). */
function pluralRule(locale: string): (choice: number, choicesLength: number) => number {
  // Made at the first plural shown in that language, not at start for every language.
  let rules: Intl.PluralRules | null = null;
  return (choice, choicesLength) => {
    if (choicesLength < 2) return 0;
    rules ??= new Intl.PluralRules(locale === PSEUDO_LOCALE ? 'en' : locale);
    return rules.select(Math.abs(choice)) === 'one' ? 0 : 1;
  };
}

export const i18n = createI18n({
  legacy: false,
  locale: DEFAULT_LOCALE as string,
  fallbackLocale: DEFAULT_LOCALE,
  messages: { en: { ...en, $vuetify: vuetifyEn } as Bundle } as Record<string, Bundle>,
  pluralRules: Object.fromEntries([...APP_LOCALES, PSEUDO_LOCALE].map((locale) => [locale, pluralRule(locale)])),
  missingWarn: false,
  fallbackWarn: false,
});

/** Each language's own chunk: its messages and Vuetify's strings for it. */
const loaders: Record<Exclude<UiLocale, 'en'>, () => Promise<Bundle>> = {
  de: async () => bundle(await import('./messages/de')),
  fr: async () => bundle(await import('./messages/fr')),
  es: async () => bundle(await import('./messages/es')),
  [PSEUDO_LOCALE]: async () => ({ ...(await import('./pseudo')).pseudoMessages(en), $vuetify: vuetifyEn }),
};
function bundle(module: { default: Messages; vuetify: Record<string, unknown> }): Bundle {
  return { ...module.default, $vuetify: module.vuetify };
}

/** The locale the UI shows now ("en" until another one has loaded). */
export function currentLocale(): UiLocale {
  return i18n.global.locale.value as UiLocale;
}

/**
 * The tag dates and numbers are formatted with: the administrator's own regional variant of the
 * language shown ("de-AT" while German is shown to an Austrian), else the language itself.
 */
const formattingChoice = shallowRef<{ language: string; preferred: readonly string[] }>({ language: DEFAULT_LOCALE, preferred: [] });
let formatting: { choice: object; tag: string } | null = null;
export function formattingLocale(): string {
  // Worked out at the first date or number shown, not while the first screen is being painted: asking
  // Intl whether it has a regional variant loads locale data (about 70 ms of CPU at the start).
  const choice = formattingChoice.value;
  if (formatting?.choice !== choice) {
    const regional = choice.preferred.find((tag) => primaryLanguage(tag) === choice.language && isSupportedTag(tag));
    formatting = { choice, tag: regional ?? choice.language };
  }
  return formatting.tag;
}

/**
 * Loads a locale's messages if needed, then switches the UI (and `<html lang>`) to it.
 * `preferred`: the OS's (or browser's) languages, for the regional formats.
 */
export async function setLocale(locale: UiLocale, preferred: readonly string[] = []): Promise<void> {
  if (locale !== 'en' && !i18n.global.availableLocales.includes(locale)) {
    i18n.global.setLocaleMessage(locale, await loaders[locale]());
  }
  formattingChoice.value = { language: locale === PSEUDO_LOCALE ? 'en' : locale, preferred };
  i18n.global.locale.value = locale;
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

function isSupportedTag(tag: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length === 1;
  } catch {
    return false;
  }
}

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
/** Every message key, checked by the compiler: "grid.editEmployee". */
export type MessageKey = Leaves<Messages>;
export type MessageParams = Record<string, string | number>;

/**
 * The text of a key in the active locale: `t('grid.title')`, `t('grid.count', { count: '1,234' }, 1234)`
 * for plurals (the last argument picks the form). Reactive: templates re-render on a language change.
 */
export function t(key: MessageKey, params?: MessageParams, plural?: number): string {
  if (plural === undefined) return params === undefined ? i18n.global.t(key) : i18n.global.t(key, params);
  return i18n.global.t(key, params ?? {}, plural);
}
