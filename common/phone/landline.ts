import { Metadata } from 'libphonenumber-js/max';
import { E164_PATTERN } from './types';
import { validatePhone } from './validate';

/**
 * "Is this stored number a landline?" for every row of a 100,000-employee list, with the same answer
 * as validatePhone's `landline` warning, at about a microsecond a number instead of tens.
 *
 * validatePhone goes through libphonenumber-js, which builds a new RegExp from the metadata's pattern
 * text for every pattern it tests (parse, isValid and getType each test the country's patterns again),
 * so most of its time goes into making regular expressions. Here each pattern is compiled once, and a
 * stored number (E.164) takes libphonenumber-js's own steps for an international number: the calling
 * code, the country among those sharing it (leading digits, else the first whose number types match),
 * and the number type — FIXED_LINE alone is a landline (FIXED_LINE_OR_MOBILE is not, see validate.ts).
 * Whatever those steps do not cover the same way (a national prefix the country strips even after
 * `+`, a non-geographic calling code, a national number shorter than two digits) goes through
 * validatePhone itself. test/unit/common/phone/landline.test.ts compares both on every calling code.
 */
export function isLandlineNumber(cellPhone: string): boolean {
  if (!E164_PATTERN.test(cellPhone)) return false;
  const quick = quickType(cellPhone);
  if (quick !== SLOW) return quick === 'fixed';
  const result = validatePhone(cellPhone, null);
  return result.ok && result.warning === 'landline';
}

/** What libphonenumber-js's Metadata gives for the parts read here (its own typings list only a few). */
interface MetadataApi {
  selectNumberingPlan(countryOrCallingCode: string): unknown;
  hasCallingCode(callingCode: string): boolean | undefined;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
  nationalNumberPattern(): string;
  leadingDigits(): string | undefined;
  type(type: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
  numberingPlan: { nationalPrefixForParsing(): string | undefined };
}

interface TypeRule {
  pattern: RegExp;
  lengths: readonly number[] | undefined;
}

/** One country's patterns, compiled. */
interface Plan {
  valid: RegExp;
  /** Null: no fixed-line pattern. */
  fixedLine: TypeRule | null;
  /** 'same': mobile numbers share the fixed-line ranges (a match is FIXED_LINE_OR_MOBILE). */
  mobile: TypeRule | 'same' | null;
  /** Every other type (MOBILE included) with a pattern: a match makes the number valid but not a landline. */
  others: TypeRule[];
  leadingDigits: RegExp | null;
  /** The national prefix read even in an international number (from the plan of the calling code's main country). */
  prefixForParsing: RegExp | null;
}

/** libphonenumber-js's order (helpers/getNumberType.js). */
const NON_FIXED_LINE_TYPES = ['MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];
/** libphonenumber-js's MIN_LENGTH_FOR_NSN. */
const MIN_NATIONAL_LENGTH = 2;
const SLOW = 'slow';
type NumberType = 'fixed' | 'fixedOrMobile' | 'other' | undefined;

let metadata: MetadataApi | null = null;
const plans = new Map<string, Plan>();

function metadataApi(): MetadataApi {
  metadata ??= new (Metadata as unknown as new () => MetadataApi)();
  return metadata;
}

const entirely = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`);

function planOf(countryOrCallingCode: string): Plan {
  let plan = plans.get(countryOrCallingCode);
  if (plan !== undefined) return plan;
  const m = metadataApi();
  m.selectNumberingPlan(countryOrCallingCode);
  const rule = (type: string): TypeRule | null => {
    const definition = m.type(type);
    const pattern = definition?.pattern();
    return definition && pattern ? { pattern: entirely(pattern), lengths: definition.possibleLengths() } : null;
  };
  const mobile = m.type('MOBILE');
  const leadingDigits = m.leadingDigits();
  const prefix = m.numberingPlan.nationalPrefixForParsing();
  plan = {
    valid: entirely(m.nationalNumberPattern()),
    fixedLine: rule('FIXED_LINE'),
    mobile: !mobile || mobile.pattern() === '' ? 'same' : rule('MOBILE'),
    others: NON_FIXED_LINE_TYPES.map(rule).filter((entry): entry is TypeRule => entry !== null),
    leadingDigits: leadingDigits ? new RegExp(leadingDigits) : null,
    prefixForParsing: prefix ? new RegExp(`^(?:${prefix})`) : null,
  };
  plans.set(countryOrCallingCode, plan);
  return plan;
}

function matches(rule: TypeRule | null, nationalNumber: string): boolean {
  if (rule === null) return false;
  if (rule.lengths && !rule.lengths.includes(nationalNumber.length)) return false;
  return rule.pattern.test(nationalNumber);
}

/** helpers/getNumberType.js, with the patterns compiled once. */
function typeIn(plan: Plan, nationalNumber: string): NumberType {
  if (!plan.valid.test(nationalNumber)) return undefined;
  if (matches(plan.fixedLine, nationalNumber)) {
    if (plan.mobile === 'same' || matches(plan.mobile, nationalNumber)) return 'fixedOrMobile';
    return 'fixed';
  }
  for (const rule of plan.others) if (matches(rule, nationalNumber)) return 'other';
  return undefined;
}

/** The number's type as parse + isValid + getType find it, or SLOW where this does not follow them. */
function quickType(e164: string): NumberType | typeof SLOW {
  const m = metadataApi();
  let callingCode: string | null = null;
  // helpers/extractCountryCallingCode.js: the shortest prefix (1–3 digits) that is a calling code.
  for (let length = 1; length <= 3 && length < e164.length; length++) {
    const candidate = e164.slice(1, 1 + length);
    if (m.hasCallingCode(candidate)) {
      callingCode = candidate;
      break;
    }
  }
  if (callingCode === null) return SLOW;
  const countries = m.getCountryCodesForCallingCode(callingCode);
  if (!countries) return SLOW; // non-geographic (+800, +882…)
  const nationalNumber = e164.slice(1 + callingCode.length);
  if (nationalNumber.length < MIN_NATIONAL_LENGTH) return SLOW;
  // helpers/extractNationalNumber.js: a national prefix found here may be stripped.
  if (planOf(callingCode).prefixForParsing?.test(nationalNumber)) return SLOW;
  // helpers/getCountryByCallingCode.js and getCountryByNationalNumber.js.
  let country: string | undefined;
  if (countries.length === 1) country = countries[0];
  else {
    for (const candidate of countries) {
      const plan = planOf(candidate);
      if (plan.leadingDigits) {
        if (nationalNumber.search(plan.leadingDigits) === 0) {
          country = candidate;
          break;
        }
      } else if (typeIn(plan, nationalNumber) !== undefined) {
        country = candidate;
        break;
      }
    }
  }
  // isValid and getType read the country's plan, or the calling code's main one.
  return typeIn(planOf(country ?? callingCode), nationalNumber);
}
