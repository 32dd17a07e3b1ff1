import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../../../../renderer/i18n';
import { countryName, formatDateTime, formatEmployeeCount, formatNumber } from '../../../../renderer/lib/format';

// The formatter follows the administrator's locale; the exact grouping is checked where the test
// runtime's default locale is US English (as on CI), the shape everywhere.
const isUsEnglish = new Intl.NumberFormat().resolvedOptions().locale === 'en-US';

describe('formatEmployeeCount', () => {
  it('groups thousands and says "employee" or "employees"', () => {
    expect(formatEmployeeCount(1)).toBe('1 employee');
    expect(formatEmployeeCount(0)).toBe('0 employees');
    expect(formatEmployeeCount(1234)).toBe(`${formatNumber(1234)} employees`);
  });

  it.runIf(isUsEnglish)('reads "1,234 employees" in US English', () => {
    expect(formatEmployeeCount(1234)).toBe('1,234 employees');
    expect(formatEmployeeCount(100_000)).toBe('100,000 employees');
  });
});

describe('in the language shown', () => {
  afterEach(() => setLocale('en'));

  it('country names come from Intl.DisplayNames, dates and numbers from Intl, plurals from each language', async () => {
    expect(countryName('US')).toBe('United States');
    await setLocale('de');
    expect(countryName('US')).toBe('Vereinigte Staaten');
    expect(formatNumber(12_345)).toBe('12.345');
    expect(formatDateTime('2030-01-01T12:00:00.000Z')).toMatch(/^\d\d\.\d\d\.2030, \d\d:\d\d$/);
    expect(formatEmployeeCount(1)).toBe('1 Mitarbeiter');
    await setLocale('fr');
    expect(countryName('DE')).toBe('Allemagne');
    expect(formatEmployeeCount(0)).toBe('0 employé');
    await setLocale('es');
    expect(countryName('DE')).toBe('Alemania');
    expect(formatEmployeeCount(2)).toBe('2 empleados');
  });
});
