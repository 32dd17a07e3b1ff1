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

const cachingRegExp: RegExpConstructor = new Proxy(NativeRegExp, {
  construct(target, args: unknown[], newTarget) {
    const [source, flags] = args;
    if (newTarget !== cachingRegExp || typeof source !== 'string' || args.length > 1 && flags !== undefined) {
      return Reflect.construct(target, args, newTarget === cachingRegExp ? target : newTarget) as object;
    }
    let expression = patterns.get(source);
    if (!expression) {
      expression = new NativeRegExp(source);
      if (patterns.size < MAX_PATTERNS) patterns.set(source, expression);
    }
    return expression;
  },
});
