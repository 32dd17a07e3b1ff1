/**
 * Every case of the shared test data (/shared/testdata/phone-cases.json, beside the repository)
 * is its own test. If one fails, fix the code, never the expectation (see the README there).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PHONE_REASONS, PHONE_WARNINGS, validatePhone } from '../../../../common/phone';

// This file is <repoRoot>/test/unit/common/phone/; the test data lives in <repoRoot>/../shared.
const repoRoot = new URL('../../../../', import.meta.url);
const casesPath = fileURLToPath(new URL('../shared/testdata/phone-cases.json', repoRoot));

const caseSchema = z
  .object({
    input: z.unknown(),
    region: z.string().nullable(),
    expect: z.discriminatedUnion('ok', [
      z.strictObject({ ok: z.literal(true), e164: z.string(), warning: z.enum(PHONE_WARNINGS).optional() }),
      z.strictObject({ ok: z.literal(false), reason: z.enum(PHONE_REASONS) }),
    ]),
  })
  .strict();
type PhoneCase = z.infer<typeof caseSchema>;

const cases: PhoneCase[] = z.array(caseSchema).min(1).parse(JSON.parse(readFileSync(casesPath, 'utf8')));

/** A readable, terminal-safe title: control, bidi and other non-ASCII characters escaped. */
function title(c: PhoneCase, index: number): string {
  const raw = JSON.stringify(c.input) ?? String(c.input);
  const shown = raw.length > 48 ? `${raw.slice(0, 40)}… (${raw.length} chars)` : raw;
  const safe = shown.replace(/[^\x20-\x7e…]/gu, (ch) => `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`);
  const outcome = c.expect.ok ? `ok ${c.expect.e164}${c.expect.warning ? ` (${c.expect.warning})` : ''}` : c.expect.reason;
  return `#${index} ${safe} region=${c.region ?? 'null'} → ${outcome}`;
}

describe('phone-cases.json', () => {
  it.each(cases.map((c, i) => [title(c, i), c] as const))('%s', (_title, c) => {
    const result = validatePhone(c.input, c.region);
    // Compare only what the test data specifies (the result may also carry country and type).
    const got = result.ok
      ? { ok: true, e164: result.e164, ...(result.warning ? { warning: result.warning } : {}) }
      : result;
    expect(got).toEqual(c.expect);
  });
});
