import { describe, expect, it } from 'vitest';
import { countryOfPhone, isSupportedCountry, phoneCountries } from '../../../../common/phone';

describe('isSupportedCountry', () => {
  it.each(['US', 'GB', 'DE', 'FR', 'IN', 'AU', 'VA', 'AX'])('%s is supported', (code) => {
    expect(isSupportedCountry(code)).toBe(true);
  });

  it.each(['us', ' US', 'USA', 'ZZ', 'XX', '', '001', 'constructor', '__proto__', 'toString', 'EU'])('%j is not', (code) => {
    expect(isSupportedCountry(code)).toBe(false);
  });
});

describe('phoneCountries', () => {
  const list = phoneCountries();

  it('lists every supported country once, sorted by code, with its calling code', () => {
    expect(list.length).toBeGreaterThan(200);
    const codes = list.map((c) => c.code);
    expect(codes).toEqual([...codes].sort());
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of list) {
      expect(isSupportedCountry(c.code)).toBe(true);
      expect(c.callingCode).toMatch(/^[1-9]\d{0,2}$/);
    }
    expect(list).toContainEqual({ code: 'GB', callingCode: '44' });
    expect(list).toContainEqual({ code: 'US', callingCode: '1' });
    expect(list).toContainEqual({ code: 'CA', callingCode: '1' });
  });

  it('returns a fresh array each time', () => {
    const mine = phoneCountries();
    mine.reverse();
    expect(phoneCountries()).toEqual(list);
  });
});

describe('countryOfPhone', () => {
  it.each([
    ['+442079460000', 'GB'],
    ['+12125550100', 'US'],
    ['+14165550123', 'CA'],
    ['+390669880000', 'VA'],
    ['+61412345678', 'AU'],
  ])('%s → %s', (e164, code) => {
    expect(countryOfPhone(e164)).toBe(code);
  });

  it.each(['+80012345678', '+0123', '', 'GB', '+44 20 7946 0000', '+1'])('%j → undefined', (s) => {
    expect(countryOfPhone(s)).toBeUndefined();
  });
});
