import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { LANGUAGE_SETTINGS, resolveLocale, type LanguageSetting } from '../../common/i18n/locale-choice';
import { currentLocale, PSEUDO_LOCALE, setLocale, type UiLocale } from '../i18n';
import { describeError } from '../lib/errors';
import { rememberFirstPaintLocale } from '../lib/prerendered-sign-in';
import { portal } from '../services/portal';

/** The browser's languages (browser mode); Electron's page gets the OS's through main. */
function browserLanguages(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
}

/**
 * The Language setting (Auto / English / Deutsch / Français / Español), kept per profile by main.
 * "Auto" follows the OS's preferred languages (Electron) or the browser's (browser mode).
 */
export const useLanguageStore = defineStore('language', () => {
  const setting = ref<LanguageSetting>('auto');
  const systemLanguages = ref<readonly string[]>([]);
  const error = ref<string | null>(null);
  const locale = computed<UiLocale>(() => currentLocale());

  /** What "Auto" stands for: the OS's list, else the browser's. */
  const preferred = computed(() => (systemLanguages.value.length > 0 ? systemLanguages.value : browserLanguages()));
  /** The language "Auto" picks now. */
  const autoLocale = computed(() => resolveLocale('auto', preferred.value));

  async function apply(): Promise<void> {
    // The pseudo-locale (layout tests) is asked for like a language: a browser or OS set to "en-XA".
    const isPseudo = setting.value === 'auto' && preferred.value[0]?.toLowerCase() === PSEUDO_LOCALE.toLowerCase();
    const locale = isPseudo ? PSEUDO_LOCALE : resolveLocale(setting.value, preferred.value);
    await setLocale(locale, preferred.value);
    if (locale !== PSEUDO_LOCALE) rememberFirstPaintLocale(locale);
  }

  async function load(): Promise<void> {
    const result = await portal.settings.getLanguage();
    if (result.ok) {
      setting.value = result.value.setting;
      systemLanguages.value = result.value.systemLanguages;
    }
    await apply();
  }

  async function choose(next: LanguageSetting): Promise<void> {
    error.value = null;
    const result = await portal.settings.setLanguage({ setting: next });
    if (!result.ok) {
      error.value = describeError(result.error);
      return;
    }
    setting.value = result.value.setting;
    systemLanguages.value = result.value.systemLanguages;
    await apply();
  }

  return { setting, locale, autoLocale, error, settings: LANGUAGE_SETTINGS, load, choose };
});
