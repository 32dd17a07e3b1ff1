import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { languageSettingSchema, type LanguageState } from '../../../common/ipc/language-channels';
import { resolveLocale, type AppLocale, type LanguageSetting } from '../../../common/i18n/locale-choice';
import type { Logger } from '../log';
import { writeFileAtomically } from '../infra/atomic-file';

export const LANGUAGE_FILE_NAME = 'language.json';

/** The file as stored in the profile: `{version: 1, setting}`. */
const languageFileSchema = z.strictObject({ version: z.literal(1), setting: languageSettingSchema });

export interface LanguageService {
  get(): LanguageState;
  set(setting: LanguageSetting): LanguageState;
  /** The language the window shows: the setting, or the first OS language the app has when it is "auto". */
  locale(): AppLocale;
  /** Called after the setting changed (main's menu and dialogs follow it); returns the unsubscribe. */
  onChanged(listener: () => void): () => void;
}

export interface LanguageServiceOptions {
  userDataDir: string;
  log: Logger;
  /** The OS's preferred languages (Electron's `app.getPreferredSystemLanguages()`); none in browser mode. */
  systemLanguages?: () => readonly string[];
}

/** Reads the stored setting; a missing or invalid file is "auto" (follow the OS), and says so in the log. */
function loadSetting(file: string, log: Logger): LanguageSetting {
  if (!existsSync(file)) return 'auto';
  try {
    const parsed = languageFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data.setting;
  } catch {
    // Not JSON: the same as an invalid file.
  }
  log.warn('language: the language file was invalid; following the system language');
  return 'auto';
}

/** The Language setting, kept per profile in its own small file (the settings file holds the portal's trust). */
export function createLanguageService(options: LanguageServiceOptions): LanguageService {
  const file = join(options.userDataDir, LANGUAGE_FILE_NAME);
  let setting = loadSetting(file, options.log);
  const systemLanguages = (): string[] => {
    try {
      return (options.systemLanguages?.() ?? []).filter((tag) => typeof tag === 'string' && tag.length <= 64).slice(0, 32);
    } catch (error) {
      options.log.warn('language: the system languages could not be read', { error });
      return [];
    }
  };
  const listeners = new Set<() => void>();
  return {
    get: () => ({ setting, systemLanguages: systemLanguages() }),
    set(next) {
      if (next !== setting) {
        writeFileAtomically(file, `${JSON.stringify({ version: 1, setting: next })}\n`);
        setting = next;
        for (const listener of [...listeners]) {
          try {
            listener();
          } catch (error) {
            options.log.warn('language: a listener failed after the language changed', { error });
          }
        }
      }
      return { setting, systemLanguages: systemLanguages() };
    },
    locale: () => resolveLocale(setting, systemLanguages()),
    onChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
