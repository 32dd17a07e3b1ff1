import { validatePhone } from '../../../common/phone';

/**
 * validatePhone, with libphonenumber-js's regular expressions made once per pattern.
 *
 * libphonenumber-js tests a number against its metadata's patterns with `new RegExp(text)` at every
 * test (helpers/matchesEntirely.js and a few more), so reading one number builds dozens of regular
 * expressions from the same few hundred pattern texts: about an eighth of a 100,000-row check's time,
 * plus the garbage. While this function runs — synchronously, so nothing else runs meanwhile — the
 * global RegExp constructor answers a flagless `new RegExp(text)` with the expression it built the
 * first time for that text. A flagless expression keeps no state between uses (`lastIndex` is read
 * and written only with the g and y flags), so sharing it changes no result; every other call (flags,
 * a RegExp argument, subclasses) goes to RegExp as before, and RegExp is put back before returning.
 * test/unit/electron/import/phone-patterns.test.ts compares the results with validatePhone's.
 */
export function validatePhoneWithPatternCache(input: unknown, region: string | null): ReturnType<typeof validatePhone> {
  const global = globalThis as { RegExp: RegExpConstructor };
  const native = global.RegExp;
  global.RegExp = cachingRegExp;
  try {
    return validatePhone(input, region);
  } finally {
    global.RegExp = native;
  }
}

const NativeRegExp = RegExp;
/** At most this many patterns are kept (libphonenumber-js's metadata has a few thousand distinct texts). */
const MAX_PATTERNS = 20_000;
/** At most this many patterns of one length: a lookup compares the text with each of them. */
const MAX_PER_LENGTH = 64;
let patternCount = 0;

/**
 * The expressions made, by their text's length, each with its text. Not a Map from the text: the
 * library writes each text afresh (`'^(?:' + pattern + ')$'`, ~300 characters), and a Map would flatten
 * and hash that new string at every test, which cost about as much as the expression it saves. Here a
 * lookup reads the length and compares the text with the few kept texts of that length (a comparison
 * stops at the first character that differs).
 */
const patternsByLength = new Map<number, { text: string; expression: RegExp }[]>();

/** The expression for `text`, made once (exported for its test). */
export function cachedExpression(text: string): RegExp {
  const sameLength = patternsByLength.get(text.length);
  if (sameLength !== undefined) {
    for (const pattern of sameLength) if (pattern.text === text) return pattern.expression;
  }
  const expression = new NativeRegExp(text);
  if (patternCount < MAX_PATTERNS && (sameLength?.length ?? 0) < MAX_PER_LENGTH) {
    patternCount += 1;
    if (sameLength === undefined) patternsByLength.set(text.length, [{ text, expression }]);
    else sameLength.push({ text, expression });
  }
  return expression;
}

/**
 * Stands in for RegExp during a validation. A plain function rather than a Proxy (whose construct
 * trap costs about as much as the expression it would save); its `prototype` is RegExp's, so
 * `instanceof RegExp` holds for what it returns.
 */
function CachingRegExp(this: unknown, source?: unknown, flags?: unknown): RegExp {
  if (new.target === undefined || typeof source !== 'string' || flags !== undefined) return otherRegExp(new.target, source, flags);
  return cachedExpression(source);
}

/**
 * Any other use of RegExp while the cache stands in (a call, flags, a RegExp argument, a subclass):
 * RegExp's own answer (RegExp reads two arguments; an absent one is undefined).
 */
function otherRegExp(target: unknown, source: unknown, flags: unknown): RegExp {
  if (target === undefined) return (NativeRegExp as (...values: unknown[]) => RegExp)(source, flags);
  return Reflect.construct(NativeRegExp, [source, flags], target === CachingRegExp ? NativeRegExp : (target as NewableFunction)) as RegExp;
}
CachingRegExp.prototype = NativeRegExp.prototype;
const cachingRegExp = CachingRegExp as unknown as RegExpConstructor;
