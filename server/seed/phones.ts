import type { Prng } from './prng';

/**
 * Demo phone numbers that the phone rules (common/phone) accept. Each block is a prefix plus a
 * pattern of free digits (`N` = 2–9, `X` = 0–9, any other character is literal); the ranges were
 * chosen from libphonenumber-js's max metadata so that every digit the pattern allows gives a valid
 * number of the wanted type (test/integration/server/seed.test.ts checks thousands of them).
 * UK landlines use Ofcom's ranges reserved for drama (020 7946 0xxx, 0113 496 0xxx, …), so the
 * demo never shows a real subscriber's landline.
 */
interface Block {
  prefix: string;
  pattern: string;
}

export type PhoneKind = 'mobile' | 'landline';

const block = (pattern: string) => (prefix: string): Block => ({ prefix, pattern });

const MOBILE: Readonly<Record<string, readonly Block[]>> = {
  // North America: every exchange 200–999 is valid; the type is FIXED_LINE_OR_MOBILE (no landline warning).
  US: ['+1212', '+1646', '+1415', '+1312', '+1617', '+1206', '+1512', '+1303', '+1404', '+1305', '+1702', '+1213',
    '+1718', '+1917', '+1347', '+1929', '+1628', '+1650', '+1408', '+1469'].map(block('NXXXXXX')),
  CA: ['+1416', '+1604', '+1514', '+1403', '+1613', '+1647'].map(block('NXXXXXX')),
  GB: ['+44740', '+44741', '+44742', '+44743', '+44771', '+44772', '+44773', '+44774', '+44775', '+44776', '+44777',
    '+44780', '+44781', '+44784', '+44785'].map(block('XXXXXXX')),
  IE: ['+35383', '+35385', '+35386', '+35387', '+35389'].map(block('XXXXXXX')),
  DE: ['+49151', '+49152', '+49157', '+49160', '+49162', '+49163', '+49170', '+49171', '+49172', '+49173', '+49174',
    '+49175', '+49176', '+49177', '+49178', '+49179'].map(block('XXXXXXXX')),
  FR: ['+3361', '+3362', '+3364', '+3365', '+3366', '+3367', '+3368', '+3373', '+3375', '+3376', '+3377', '+3378'].map(
    block('XXXXXXX'),
  ),
  ES: ['+3460', '+3461', '+3462', '+3463', '+3464', '+3465', '+3466', '+3467', '+3468', '+3469'].map(block('XXXXXXX')),
  NL: ['+3161', '+3162', '+3163', '+3164', '+3165'].map(block('XXXXXXX')),
  IN: ['+9190', '+9191', '+9192', '+9193', '+9194', '+9195', '+9196', '+9197', '+9198', '+9199'].map(block('XXXXXXXX')),
  AU: ['+6140', '+6141', '+6142', '+6143', '+6146'].map(block('XXXXXXX')),
  BR: ['+55119', '+55219', '+55319', '+55419'].map(block('XXXXXXXX')),
};

const LANDLINE: Readonly<Record<string, readonly Block[]>> = {
  GB: ['+4420794', '+44113496', '+44114496', '+44116496', '+44117496', '+44118496', '+44121496', '+44131496',
    '+44141496', '+44151496', '+44161496', '+44191498'].map((prefix) => ({ prefix, pattern: prefix === '+4420794' ? '60XXX' : '0XXX' })),
  DE: ['+4930', '+4940', '+4989', '+4969'].map(block('NXXXXXXX')),
  FR: ['+331', '+333'].map(block('XXXXXXXX')),
};

export const PHONE_COUNTRIES = Object.keys(MOBILE);

/** Countries with landline blocks (an employee there may be on a landline). */
export function hasLandlines(country: string): boolean {
  return Object.hasOwn(LANDLINE, country);
}

function capacity(pattern: string): number {
  let total = 1;
  for (const char of pattern) total *= char === 'N' ? 8 : char === 'X' ? 10 : 1;
  return total;
}

/**
 * Spreads consecutive counters over a block so neighbours do not get neighbouring numbers. A
 * bijection on [0, capacity): capacities are 2^a·5^b and the multiplier is divisible by neither.
 */
const MULTIPLIER = 7_368_787;

/** A per-block starting point, so blocks do not all begin at the same digits. */
function offsetOf(prefix: string): number {
  let hash = 2166136261;
  for (const char of prefix) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash;
}

function fill(pattern: string, value: number): string {
  let rest = value;
  const digits: string[] = [];
  for (let index = pattern.length - 1; index >= 0; index--) {
    const char = pattern[index]!;
    if (char === 'N') {
      digits.push(String(2 + (rest % 8)));
      rest = Math.floor(rest / 8);
    } else if (char === 'X') {
      digits.push(String(rest % 10));
      rest = Math.floor(rest / 10);
    } else {
      digits.push(char);
    }
  }
  return digits.reverse().join('');
}

/**
 * Hands out demo numbers: unique within a block until the block's capacity (millions for mobile
 * blocks, 1,000 for each UK drama range) is used up, then it wraps (numbers repeat).
 */
export class DemoPhoneBook {
  private readonly counters = new Map<string, number>();

  constructor(private readonly reserved: ReadonlySet<string> = new Set()) {}

  next(country: string, kind: PhoneKind, rng: Prng): string {
    const blocks = (kind === 'landline' ? LANDLINE[country] : undefined) ?? MOBILE[country] ?? MOBILE.US!;
    const chosen = rng.pick(blocks);
    const size = capacity(chosen.pattern);
    for (;;) {
      const counter = this.counters.get(chosen.prefix) ?? 0;
      this.counters.set(chosen.prefix, counter + 1);
      const value = (counter * MULTIPLIER + offsetOf(chosen.prefix)) % size; // exact: stays below 2^53
      const number = chosen.prefix + fill(chosen.pattern, value);
      if (!this.reserved.has(number) || counter >= size) return number;
    }
  }
}
