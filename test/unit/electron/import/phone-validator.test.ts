import { describe, expect, it } from 'vitest';
import { validatePhone } from '../../../../common/phone';
import { createPhoneValidator, type PhoneToCheck } from '../../../../electron/main/import/phone-validator';
import { silentLogger } from '../../../../electron/main/log';

const NUMBERS: PhoneToCheck[] = [
  ['(917) 555-0123', 'US'],
  ['+1 800 555 0100', null],
  ['020 7946 0000', 'GB'],
  ['020 7946 0000', null],
  ['not a number', 'US'],
  ['+44 20 7946 0000 ext. 12', null],
];

describe('the phone worker (number rules off main’s thread)', () => {
  it('answers what validatePhone answers, in order, across slices, from a worker thread', async () => {
    const many: PhoneToCheck[] = Array.from({ length: 2_500 }, (_, index) => [`(646) 555-${String(index).padStart(4, '0')}`, 'US'] as const);
    const numbers = [...NUMBERS, ...many, ...NUMBERS];
    const validator = createPhoneValidator({ log: silentLogger, sliceSize: 300 });
    try {
      const results = await validator.validate(numbers);
      expect(validator.where).toBe('worker');
      expect(results).toHaveLength(numbers.length);
      numbers.forEach(([raw, region], index) => {
        const expected = validatePhone(raw, region);
        expect(results[index]).toEqual(expected.ok ? { ok: true, e164: expected.e164, ...(expected.warning ? { warning: expected.warning } : {}) } : { ok: false, reason: expected.reason });
      });
    } finally {
      await validator.dispose();
    }
  });

  it('a worker that cannot start: the same answers, validated on main, and the failure is logged', async () => {
    const warnings: string[] = [];
    const log = { ...silentLogger, warn: (message: string) => warnings.push(message) };
    const validator = createPhoneValidator({ log, workerFile: async () => new URL('./no-such-worker.mjs', import.meta.url) });
    try {
      const results = await validator.validate(NUMBERS);
      expect(validator.where).toBe('main');
      expect(results.map((result) => result.ok)).toEqual([true, false, true, false, false, false]);
      expect(warnings.join('\n')).toContain('phone worker');
    } finally {
      await validator.dispose();
    }
  });
});
