/**
 * Policy step 1: raw input longer than 250 characters is too_long BEFORE any normalisation or
 * parsing. Proven with spies on libphonenumber-js's parser and on String.prototype.normalize.
 */
import * as lib from 'libphonenumber-js/max';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { PHONE_MAX_RAW_LENGTH, validatePhone } from '../../../../common/phone';

vi.mock('libphonenumber-js/max', async (importOriginal) => {
  const actual = await importOriginal<typeof lib>();
  return { ...actual, parsePhoneNumberWithError: vi.fn(actual.parsePhoneNumberWithError) };
});

describe('too_long is decided before normalising or parsing', () => {
  const parse = vi.mocked(lib.parsePhoneNumberWithError);
  let normalize: MockInstance<(form?: string) => string>;

  beforeEach(() => {
    parse.mockClear();
    normalize = vi.spyOn(String.prototype, 'normalize');
  });
  afterEach(() => {
    normalize.mockRestore();
  });

  it('the spies see a normal validation (sanity check of the test itself)', () => {
    expect(validatePhone('+12125550100', null)).toMatchObject({ ok: true, e164: '+12125550100' });
    expect(parse).toHaveBeenCalledTimes(1);
    expect(normalize).toHaveBeenCalled();
  });

  it.each([
    ['a valid number padded with 300 spaces', `+12125550100${' '.repeat(300)}`],
    ['a valid number after 300 spaces', `${' '.repeat(300)}+12125550100`],
    ['a valid number padded with 300 zero-width spaces', `+12125550100${'\u200b'.repeat(300)}`],
    ['251 digits', '1'.repeat(251)],
    ['251 characters exactly', `+44 20 7946 0000${'\u00a0'.repeat(PHONE_MAX_RAW_LENGTH + 1 - 16)}`],
  ])('%s → too_long, without parsing', (_name, input) => {
    expect(input.length).toBeGreaterThan(PHONE_MAX_RAW_LENGTH);
    expect(validatePhone(input, 'US')).toEqual({ ok: false, reason: 'too_long' });
    expect(parse).not.toHaveBeenCalled();
    expect(normalize).not.toHaveBeenCalled();
  });

  it('exactly 250 characters is still read (the limit is inclusive)', () => {
    const input = `+12125550100${' '.repeat(PHONE_MAX_RAW_LENGTH - 12)}`;
    expect(input.length).toBe(PHONE_MAX_RAW_LENGTH);
    expect(validatePhone(input, null)).toMatchObject({ ok: true, e164: '+12125550100' });
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('counts UTF-16 code units: 126 astral characters (252 units) are too_long', () => {
    const input = '\u{1D7CF}'.repeat(126); // MATHEMATICAL BOLD DIGIT ONE: NFKC would make it '1'
    expect(input.length).toBe(252);
    expect(validatePhone(input, null)).toEqual({ ok: false, reason: 'too_long' });
    expect(parse).not.toHaveBeenCalled();
  });
});
