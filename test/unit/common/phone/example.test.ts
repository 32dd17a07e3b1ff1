import { describe, expect, it } from 'vitest';
import { exampleMobile, phoneMessage, validatePhone } from '../../../../common/phone';

describe('exampleMobile', () => {
  it('is a cell phone number of the country, in its national format', () => {
    expect(exampleMobile('GB')).toBe('07400 123456');
    expect(exampleMobile('us')).toBe('(201) 555-0123');
    for (const country of ['GB', 'US', 'FR', 'DE', 'IE', 'IN', 'AU']) {
      const example = exampleMobile(country)!;
      const checked = validatePhone(example, country);
      // Accepted, and not a landline (which would be warned about).
      expect(checked, `${country}: ${example}`).toMatchObject({ ok: true });
      expect(checked.ok && checked.warning, `${country}: ${example}`).toBeFalsy();
    }
  });

  it('is null for a country the metadata does not know', () => {
    expect(exampleMobile(null)).toBeNull();
    expect(exampleMobile('XX')).toBeNull();
  });

  it('the "needs a country" refusal gives a mobile as its example, not a landline', () => {
    const example = /for example (\+[\d ]+)\)/.exec(phoneMessage('needs_country'))?.[1];
    expect(example).toBeDefined();
    const checked = validatePhone(example!, null);
    expect(checked).toMatchObject({ ok: true });
    expect(checked.ok && checked.warning).toBeFalsy();
  });
});
