import { describe, expect, it } from 'vitest';
import { formatEmployeeCount, formatNumber } from '../../../../renderer/lib/format';

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
