/**
 * Example-based tests of validatePhone beyond the shared test data: each policy step, the order
 * of the steps, and the region argument.
 */
import { describe, expect, it } from 'vitest';
import { validatePhone } from '../../../../common/phone';

const refused = (reason: string) => ({ ok: false, reason });

describe('validatePhone', () => {
  it('returns country and type along with the E.164 number', () => {
    expect(validatePhone('+44 7400 123456', null)).toEqual({ ok: true, e164: '+447400123456', country: 'GB', type: 'MOBILE' });
    expect(validatePhone('+44 20 7946 0000', null)).toEqual({
      ok: true,
      e164: '+442079460000',
      warning: 'landline',
      country: 'GB',
      type: 'FIXED_LINE',
    });
  });

  it('gives FIXED_LINE_OR_MOBILE numbers no landline warning', () => {
    expect(validatePhone('+1 212 555 0100', null)).toEqual({ ok: true, e164: '+12125550100', country: 'US', type: 'FIXED_LINE_OR_MOBILE' });
  });

  describe('step 1: type and length', () => {
    it.each([
      [undefined, 'required'],
      [null, 'required'],
      [12125550100, 'not_a_string'],
      [12125550100n, 'not_a_string'],
      [true, 'not_a_string'],
      [Symbol('x'), 'not_a_string'],
      [() => '+12125550100', 'not_a_string'],
      [{ toString: () => '+12125550100' }, 'not_a_string'],
      [Object('+12125550100'), 'not_a_string'],
    ])('%s → %s', (input, reason) => {
      expect(validatePhone(input, null)).toEqual(refused(reason));
    });
  });

  describe('step 2: normalisation', () => {
    it.each([
      ['+1\u00a0212\u2009555\u202f0100', null],
      ['\u3000+1 212 555 0100\t', null],
      ['+1\u2028212 555 0100', null],
      ['\ufeff+12125550100', null],
      ['+1\u200b212\u200d555\u20600100\u00ad', null],
      ['\u2066+1 212 555 0100\u2069', null],
      ['＋１ ２１２ ５５５ ０１００', null],
      ['(２１２) ５５５-０１００', 'US'],
      ['+۱ ۲۱۲ ۵۵۵ ۰۱۰۰', null],
    ])('%j (region %s) → +12125550100', (input, region) => {
      expect(validatePhone(input, region)).toMatchObject({ ok: true, e164: '+12125550100' });
    });

    it.each(['\u200b', '\u200e\u200f', ' \u00a0\u3000\t\r\n ', '\ufeff'])('%j (nothing but format characters and spaces) → required', (input) => {
      expect(validatePhone(input, 'US')).toEqual(refused('required'));
    });
  });

  describe('step 3: parsing', () => {
    it.each([
      ['020 7946 0000', null, 'needs_country'],
      ['0044 20 7946 0000', null, 'needs_country'],
      ['2125550100', null, 'needs_country'],
      ['+0 123', 'GB', 'invalid'],
      ['+999 1234 5678', null, 'invalid'],
      ['+1 212 555 01000', null, 'invalid'],
      ['+44 1234 5678 9012 3456', null, 'invalid'], // more digits than E.164 allows
      ['phone me', null, 'invalid'],
      ['+1 (212) 555-0100 please', null, 'invalid'],
      ['tel:+12125550100?', null, 'invalid'],
      ['+12125550100<script>', null, 'invalid'],
      ['*31#+12125550100', null, 'invalid'],
    ])('%j (region %s) → %s', (input, region, reason) => {
      expect(validatePhone(input, region)).toEqual(refused(reason));
    });

    it('reads national numbers by the region, case-insensitively', () => {
      expect(validatePhone('020 7946 0000', 'gb')).toMatchObject({ ok: true, e164: '+442079460000' });
      expect(validatePhone('020 7946 0000', ' GB ')).toMatchObject({ ok: true, e164: '+442079460000' });
    });

    it.each(['ZZ', 'XX', '', '001', 'constructor', '__proto__', 'toString', 'UNITED STATES', 'x'.repeat(1000)])(
      'treats unknown region %j as no region, without throwing',
      (region) => {
        expect(validatePhone('+44 20 7946 0000', region)).toMatchObject({ ok: true, e164: '+442079460000' });
        expect(validatePhone('020 7946 0000', region)).toEqual(refused('needs_country'));
      },
    );

    it('lets an international number override the region', () => {
      expect(validatePhone('+44 20 7946 0000', 'US')).toMatchObject({ ok: true, e164: '+442079460000', country: 'GB' });
      expect(validatePhone('2125550100', 'CA')).toMatchObject({ ok: true, e164: '+12125550100', country: 'US' });
    });
  });

  describe('step 4: extensions', () => {
    it.each([
      '+1 212 555 0100 ext. 1234',
      '+1 212 555 0100 ext 1234',
      '+1 212 555 0100 extension 1234',
      '+1 212 555 0100 x1234',
      '+1 212 555 0100 X 1234',
      '+12125550100#1234',
      '+12125550100,,1234',
      '+1-212-555-0100;ext=1234',
      '+1 212 555 0100 ｅｘｔ． １２３４',
    ])('%j → extension_not_allowed', (input) => {
      expect(validatePhone(input, null)).toEqual(refused('extension_not_allowed'));
    });

    it('an extension marker without digits is not a number', () => {
      expect(validatePhone('+1 212 555 0100 ext.', null)).toEqual(refused('invalid'));
      expect(validatePhone('+12125550100#', null)).toEqual(refused('invalid'));
    });

    it('checks validity (step 3) before the extension (step 4), and the extension before the type (step 5)', () => {
      expect(validatePhone('+1 911 x12', null)).toEqual(refused('invalid'));
      expect(validatePhone('+1 800 555 0100 x12', null)).toEqual(refused('extension_not_allowed'));
    });
  });

  describe('tel: links (RFC 3966), as pasted from a contact card or an e-mail signature', () => {
    it.each([
      ['tel:+1-212-555-0100', null, '+12125550100'],
      ['TEL:+1.212.555.0100', null, '+12125550100'],
      ['<tel:+44-7400-123456>', null, '+447400123456'],
      ['tel:%2B44-7400-123456', null, '+447400123456'],
      ['tel:0612345678;phone-context=+33', null, '+33612345678'],
      ['tel:612345678;phone-context=+33', 'US', '+33612345678'],
      [' tel:+1-212-555-0100\u200e ', null, '+12125550100'],
    ])('%j is read as %s', (input, region, e164) => {
      expect(validatePhone(input, region)).toMatchObject({ ok: true, e164 });
    });

    it.each(['tel:+1-212-555-0100;ext=1234', 'tel:+1-212-555-0100;EXT=12;isub=3', 'tel:+1-212-555-0100;ext=%31%32'])('%j has an extension: extension_not_allowed', (input) => {
      expect(validatePhone(input, null)).toEqual(refused('extension_not_allowed'));
    });

    it.each([
      ['tel:', null, 'required'],
      ['tel:2125550100', null, 'needs_country'],
      ['tel:555-0100;phone-context=example.com', null, 'needs_country'],
      ['tel:+1-800-555-0100', null, 'unreachable_type'],
      ['tel:%E0%A4%A', null, 'invalid'],
      ['tel:+1-212-555-0100 tel:+1-212-555-0101', null, 'invalid'],
    ])('%j (region %s) → %s', (input, region, reason) => {
      expect(validatePhone(input, region)).toEqual(refused(reason));
    });
  });

  describe('step 5: personal (call-forwarding) numbers', () => {
    it.each([
      ['+44 70 1234 5678', null],
      ['+447012345678', null],
      ['070 1234 5678', 'GB'],
      ['tel:+44-70-1234-5678', null],
    ])('%j → unreachable_type (libphonenumber type PERSONAL_NUMBER)', (input, region) => {
      expect(validatePhone(input, region)).toEqual(refused('unreachable_type'));
    });

    it('a UK mobile beside them is still accepted', () => {
      expect(validatePhone('+44 7400 123456', null)).toMatchObject({ ok: true, type: 'MOBILE' });
    });
  });

  describe('step 5: numbers that cannot receive a code', () => {
    it.each([
      ['+1 900 555 0100', null], // premium rate
      ['+1 800 555 0100', null], // toll free
      ['+800 1234 5678', null], // international freephone, non-geographic
      ['0800 123 4567', 'GB'], // toll free
      ['0906 123 4567', 'GB'], // premium rate
      ['0843 123 4567', 'GB'], // shared cost
      ['066 7712567', 'NL'], // pager
      ['+46 675 457 607 911', null], // voicemail (SE)
      ['0300 123 4567', 'GB'], // UAN
      ['0800 123 456', 'FR'], // toll free
    ])('%j (region %s) → unreachable_type', (input, region) => {
      expect(validatePhone(input, region)).toEqual(refused('unreachable_type'));
    });
  });

  describe('step 6: accepted', () => {
    it.each([
      ['01 42 68 53 00', 'FR', '+33142685300', 'landline'],
      ['030 123456', 'DE', '+4930123456', 'landline'],
      ['0412 345 678', 'AU', '+61412345678', undefined],
      ['+86 138 0013 8000', null, '+8613800138000', undefined],
      ['09 80 38 22 27', 'FR', '+33980382227', undefined], // VoIP: not in the policy's list
    ])('%j (region %s) → %s %s', (input, region, e164, warning) => {
      const r = validatePhone(input, region);
      expect(r).toMatchObject({ ok: true, e164 });
      expect(r.ok && r.warning).toBe(warning);
    });
  });
});
