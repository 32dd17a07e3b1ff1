import type { LoopbackAddress } from './loopback-address';

/**
 * The Content-Security-Policy of browser mode: the Electron window's policy in spirit, plus the
 * bridge socket. No inline or remote script, no eval, no plugins, no frames, no forms; styles may
 * be inline because Vuetify injects its theme as a <style> element.
 */
export function contentSecurityPolicy(address: LoopbackAddress): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://${address.hostHeader}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every HTTP answer, errors included. */
export function securityHeaders(address: LoopbackAddress): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(address),
    'X-Content-Type-Options': 'nosniff',
    // The page URL may still hold its token fragment for a moment; never send it anywhere.
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
