import { z } from 'zod';
import { LANGUAGE_SETTINGS } from '../i18n/locale-choice';

/**
 * The Language setting (kept in the profile by main) and the OS's preferred languages
 * (`app.getPreferredSystemLanguages()` in Electron; empty in browser mode, where the page reads
 * `navigator.languages`). Spread into IPC_CHANNELS (channels.ts).
 */

export const languageSettingSchema = z.enum(LANGUAGE_SETTINGS);

export const languageStateSchema = z.object({
  setting: languageSettingSchema,
  /** BCP 47 tags, most preferred first. */
  systemLanguages: z.array(z.string().max(64)).max(32),
});
export type LanguageState = z.infer<typeof languageStateSchema>;

export const LANGUAGE_CHANNELS = {
  'settings:get-language': { input: z.strictObject({}), output: languageStateSchema },
  'settings:set-language': { input: z.strictObject({ setting: languageSettingSchema }), output: languageStateSchema },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;
