import { describe, expect, it } from 'vitest';
import {
  allowedExternalUrl,
  APP_ENTRY_URL,
  isAllowedExternal,
  isAllowedNavigation,
  isValidAllowlistHost,
} from '../../../../electron/main/shell/navigation-policy';
import { EXTERNAL_ALLOWLIST, HOSTILE_URLS, NON_STRING_URLS } from './hostile-urls';

describe('navigation policy', () => {
  it('lists at least 30 distinct hostile URLs', () => {
    expect(new Set(HOSTILE_URLS).size).toBeGreaterThanOrEqual(30);
  });

  it.each(HOSTILE_URLS.map((url) => [JSON.stringify(url), url]))('refuses navigation to %s', (_label, url) => {
    expect(isAllowedNavigation(url)).toBe(false);
  });

  it.each(HOSTILE_URLS.map((url) => [JSON.stringify(url), url]))('refuses to open %s externally', (_label, url) => {
    expect(isAllowedExternal(url, EXTERNAL_ALLOWLIST)).toBe(false);
    expect(allowedExternalUrl(url, EXTERNAL_ALLOWLIST)).toBeNull();
  });

  it('refuses values that are not strings', () => {
    for (const value of NON_STRING_URLS) {
      expect(isAllowedNavigation(value)).toBe(false);
      expect(isAllowedExternal(value, EXTERNAL_ALLOWLIST)).toBe(false);
    }
  });

  it('allows our own app pages', () => {
    for (const url of [APP_ENTRY_URL, 'app://portal-admin/', 'app://portal-admin/index.html#/employees', 'app://portal-admin/assets/index-abc123.js']) {
      expect(isAllowedNavigation(url), url).toBe(true);
    }
  });

  it('never treats our app origin, or an allowed https page, as the other kind', () => {
    expect(isAllowedExternal(APP_ENTRY_URL, EXTERNAL_ALLOWLIST)).toBe(false);
    expect(isAllowedNavigation('https://docs.example.com/')).toBe(false);
  });

  it('allows https links to exactly the allowlisted hosts and returns the normalised URL', () => {
    expect(allowedExternalUrl('https://docs.example.com/help?topic=2fa#phone', EXTERNAL_ALLOWLIST)).toBe('https://docs.example.com/help?topic=2fa#phone');
    expect(allowedExternalUrl('https://portal.acme.test/', EXTERNAL_ALLOWLIST)).toBe('https://portal.acme.test/');
    expect(allowedExternalUrl('https://DOCS.example.com', EXTERNAL_ALLOWLIST)).toBe('https://docs.example.com/');
    expect(allowedExternalUrl('https://docs.example.com:443/', EXTERNAL_ALLOWLIST)).toBe('https://docs.example.com/');
  });

  it('opens nothing with an empty or malformed allowlist', () => {
    expect(isAllowedExternal('https://docs.example.com/', [])).toBe(false);
    expect(isAllowedExternal('https://docs.example.com./', ['docs.example.com.'])).toBe(false);
    expect(isAllowedExternal('https://127.0.0.1/', ['127.0.0.1'])).toBe(false);
    expect(isValidAllowlistHost('Docs.Example.com')).toBe(false);
    expect(isValidAllowlistHost('-bad.example.com')).toBe(false);
    expect(isValidAllowlistHost('docs.example.com')).toBe(true);
  });
});
