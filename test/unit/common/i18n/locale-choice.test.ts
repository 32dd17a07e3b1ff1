import { describe, expect, it } from 'vitest';
import { APP_LOCALES, chooseLocale, primaryLanguage, resolveLocale } from '../../../../common/i18n/locale-choice';

describe('resolveLocale: the OS’s (or browser’s) preferred languages → the language shown', () => {
  it.each([
    [['de-AT', 'en-US'], 'de'],
    [['de-CH'], 'de'],
    [['fr-CA', 'en'], 'fr'],
    [['es-419'], 'es'],
    [['es_MX'], 'es'],
    [['en-GB', 'de-DE'], 'en'],
    [['ja-JP', 'fr-FR', 'de-DE'], 'fr'],
    [['pt-BR', 'it-IT'], 'en'],
    [[], 'en'],
    [['', '  ', 'x', '12-34'], 'en'],
    [['DE-de'], 'de'],
  ] as const)('%j → %s', (preferred, expected) => {
    expect(resolveLocale('auto', preferred)).toBe(expected);
  });

  it('a chosen language wins over the OS', () => {
    expect(resolveLocale('es', ['de-AT'])).toBe('es');
    expect(resolveLocale('en', ['fr-FR'])).toBe('en');
  });

  it('an exact tag is preferred to a primary-language match', () => {
    expect(chooseLocale(['en-XA', 'de'], ['en', 'en-XA', 'de'], 'en')).toBe('en-XA');
    expect(chooseLocale(['en-GB'], ['en', 'en-XA'], 'en')).toBe('en');
  });

  it('reads the primary subtag of well-formed tags only', () => {
    expect(primaryLanguage('de-AT')).toBe('de');
    expect(primaryLanguage('FIL-PH')).toBe('fil');
    expect(primaryLanguage('d')).toBeNull();
    expect(primaryLanguage('-de')).toBeNull();
  });

  it('offers exactly English, German, French and Spanish', () => {
    expect([...APP_LOCALES]).toEqual(['en', 'de', 'fr', 'es']);
  });
});
