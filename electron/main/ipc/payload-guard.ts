/**
 * Checks run on an IPC payload BEFORE the channel's schema sees it: a size budget (so a 10 MiB
 * string or a million-key object is refused without being walked by zod or stringified) and a
 * shape check (plain data only; no `__proto__` / `constructor` / `prototype` keys anywhere, which
 * could poison a prototype in code that later merges the object; no getters, which would run code).
 */

export const MAX_PAYLOAD_BYTES = 64 * 1024;
export const MAX_PAYLOAD_DEPTH = 16;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type PayloadProblem = 'too_large' | 'too_deep' | 'forbidden_key' | 'not_plain_data';

/** null when the payload is plain data within the budget; otherwise what is wrong with it. */
export function checkPayload(payload: unknown, maxBytes: number = MAX_PAYLOAD_BYTES): PayloadProblem | null {
  let budget = maxBytes;
  const stack: { value: unknown; depth: number }[] = [{ value: payload, depth: 0 }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    switch (typeof value) {
      case 'string':
        budget -= value.length + 2; // JSON length at least; escapes only add
        break;
      case 'number':
      case 'boolean':
        budget -= 8;
        break;
      case 'undefined':
        budget -= 1;
        break;
      case 'object': {
        if (value === null) {
          budget -= 4;
          break;
        }
        if (depth >= MAX_PAYLOAD_DEPTH) return 'too_deep';
        if (seen.has(value)) return 'not_plain_data'; // shared or circular references are not JSON
        seen.add(value);
        const isArray = Array.isArray(value);
        const prototype: unknown = Object.getPrototypeOf(value);
        if (!isArray && prototype !== Object.prototype && prototype !== null) return 'not_plain_data';
        if (isArray && prototype !== Array.prototype) return 'not_plain_data';
        budget -= 2;
        const keys = Reflect.ownKeys(value);
        for (const key of keys) {
          if (typeof key === 'symbol') return 'not_plain_data';
          if (FORBIDDEN_KEYS.has(key)) return 'forbidden_key';
          if (isArray && key === 'length') continue;
          const descriptor = Object.getOwnPropertyDescriptor(value, key);
          if (!descriptor || !('value' in descriptor)) return 'not_plain_data';
          budget -= key.length + 4;
          if (budget < 0) return 'too_large';
          stack.push({ value: descriptor.value, depth: depth + 1 });
        }
        break;
      }
      default:
        return 'not_plain_data'; // functions, symbols, bigints
    }
    if (budget < 0) return 'too_large';
  }
  return null;
}
