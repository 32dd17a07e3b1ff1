import { baseCompile } from '@intlify/message-compiler';
import { afterEach, describe, expect, it } from 'vitest';
import { currentLocale, i18n, PSEUDO_LOCALE, setLocale, t } from '../../../../renderer/i18n';
import de from '../../../../renderer/i18n/messages/de';
import en from '../../../../renderer/i18n/messages/en';
import es from '../../../../renderer/i18n/messages/es';
import fr from '../../../../renderer/i18n/messages/fr';
import { pseudoMessages } from '../../../../renderer/i18n/pseudo';

type Tree = { [key: string]: string | Tree };
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(`${prefix}${key}`, value);
    else for (const [inner, text] of flatten(value, `${prefix}${key}.`)) out.set(inner, text);
  }
  return out;
}
const placeholders = (message: string): string[] => [...new Set([...message.matchAll(/\{\s*(\w+)\s*\}/g)].map((match) => match[1]!))].sort();
const forms = (message: string): number => message.split(' | ').length;

const english = flatten(en as unknown as Tree);
const others = { de, fr, es } as const;

describe('message files', () => {
  afterEach(async () => {
    await setLocale('en');
  });

  it.each(Object.keys(others))('%s has every English key and no other', (locale) => {
    const keys = [...flatten(others[locale as keyof typeof others] as unknown as Tree).keys()].sort();
    expect(keys).toEqual([...english.keys()].sort());
  });

  it.each(Object.keys(others))('%s keeps each message’s placeholders and plural forms', (locale) => {
    const messages = flatten(others[locale as keyof typeof others] as unknown as Tree);
    const problems: string[] = [];
    for (const [key, source] of english) {
      const text = messages.get(key)!;
      if (placeholders(text).join() !== placeholders(source).join()) problems.push(`${key}: {${placeholders(text)}} ≠ {${placeholders(source)}}`);
      if (forms(text) !== forms(source)) problems.push(`${key}: ${forms(text)} plural forms, English has ${forms(source)}`);
    }
    expect(problems).toEqual([]);
  });

  it.each(['en', ...Object.keys(others)])('every %s message compiles with the JIT compiler (no syntax error, no eval)', (locale) => {
    const tree = (locale === 'en' ? en : others[locale as keyof typeof others]) as unknown as Tree;
    const errors: string[] = [];
    for (const [key, text] of flatten(tree)) {
      baseCompile(text, { jit: true, onError: (error) => errors.push(`${key}: ${error.message}`) });
    }
    expect(errors).toEqual([]);
  });

  it.each(Object.keys(others))('%s is translated (only names and symbols read the same as in English)', (locale) => {
    const messages = flatten(others[locale as keyof typeof others] as unknown as Tree);
    const same = [...english].filter(([key, text]) => messages.get(key) === text && !/^language\.names\./.test(key)).map(([key]) => key);
    // Product names, "Admin", "Online", "Name", "—", "{country} (+{code})" may read the same.
    expect(same.length).toBeLessThanOrEqual(12);
  });
});

describe('the i18n instance', () => {
  afterEach(async () => {
    await setLocale('en');
  });

  it('switches language, loading its messages and Vuetify’s strings', async () => {
    expect(t('editEmployee.saveChanges')).toBe('Save Changes');
    await setLocale('de', ['de-AT']);
    expect(currentLocale()).toBe('de');
    expect(t('editEmployee.saveChanges')).toBe('Änderungen speichern');
    expect(i18n.global.t('$vuetify.close')).toBe('Schließen');
    expect(document.documentElement.lang).toBe('de');
  });

  it('chooses plural forms by each language’s rule (French 0 is singular, German 0 is plural)', async () => {
    expect(t('employees.count', { count: '1' }, 1)).toBe('1 employee');
    expect(t('employees.count', { count: '0' }, 0)).toBe('0 employees');
    await setLocale('fr');
    expect(t('employees.count', { count: '0' }, 0)).toBe('0 employé');
    expect(t('employees.count', { count: '1' }, 1)).toBe('1 employé');
    expect(t('employees.count', { count: '2' }, 2)).toBe('2 employés');
    await setLocale('de');
    expect(t('format.minutes', { count: '0' }, 0)).toBe('0 Minuten');
    expect(t('format.minutes', { count: '1' }, 1)).toBe('1 Minute');
    await setLocale('es');
    expect(t('errors.attemptsLeft', { count: '1' }, 1)).toBe('Queda 1 intento.');
    expect(t('errors.attemptsLeft', { count: '3' }, 3)).toBe('Quedan 3 intentos.');
  });

  it('the pseudo-locale is accented, about 40 % longer, bracketed, with placeholders intact', async () => {
    const pseudo = pseudoMessages(en);
    expect(pseudo.editEmployee.saveChanges).toMatch(/^\[Šåṽé Çĥåñĝéš ~+\]$/);
    expect(pseudo.editEmployee.saveChanges.length).toBeGreaterThanOrEqual(Math.round('Save Changes'.length * 1.4));
    expect(pseudo.grid.editEmployee).toContain('{name}');
    expect(pseudo.employees.count.split(' | ')).toHaveLength(2);
    await setLocale(PSEUDO_LOCALE);
    expect(t('grid.editEmployee', { name: 'Ada Lovelace' })).toMatch(/^\[Éđîţ Ada Lovelace ~+\]$/);
  });
});
