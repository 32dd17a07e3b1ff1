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
const patterns = new Map<string, RegExp>();

/**
 * Stands in for RegExp during a validation. A plain function rather than a Proxy (whose construct
 * trap costs about as much as the expression it would save); its `prototype` is RegExp's, so
 * `instanceof RegExp` holds for what it returns.
 */
function CachingRegExp(this: unknown, ...args: unknown[]): RegExp {
  const [source, flags] = args;
  if (new.target === undefined) return (NativeRegExp as (...values: unknown[]) => RegExp)(...args);
  if (typeof source !== 'string' || flags !== undefined) return Reflect.construct(NativeRegExp, args, new.target === CachingRegExp ? NativeRegExp : new.target) as RegExp;
  let expression = patterns.get(source);
  if (!expression) {
    expression = new NativeRegExp(source);
    if (patterns.size < MAX_PATTERNS) patterns.set(source, expression);
  }
  return expression;
}
CachingRegExp.prototype = NativeRegExp.prototype;
const cachingRegExp = CachingRegExp as unknown as RegExpConstructor;
