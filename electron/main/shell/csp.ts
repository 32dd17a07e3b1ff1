/**
 * The Content-Security-Policy of every page Portal Admin shows (served on app://portal-admin).
 *
 * - Scripts: only our own bundled files. No `unsafe-eval`, no inline script, no nonce — Vite's
 *   production build emits external module scripts only, so nothing needs an exception.
 * - Styles: `'self' 'unsafe-inline'`. Vuetify writes its theme (the colour variables) into a
 *   `<style id="vuetify-theme-stylesheet">` element at run time; without `'unsafe-inline'` the theme
 *   is blocked and every colour is wrong. Vuetify can take a `cspNonce` instead, but a nonce means
 *   rewriting index.html per response and handing the nonce to the renderer, which a script that
 *   got in could read as well. Inline *style* cannot run code; the residual risk (CSS-based
 *   exfiltration of attribute values) needs an injection point the sandboxed renderer does not
 *   offer (Vue escapes interpolations, we never use `v-html`). Component `:style` bindings go
 *   through the CSSOM and are not affected by `style-src` either way.
 * - The renderer has no network of its own (main makes every portal call), so `connect-src` is
 *   `'self'` and nothing else; `img-src` adds `data:` for Vuetify's inline SVG data URIs.
 * - No frames, no plugins, no forms posting anywhere, no `<base>` rewriting, never framed.
 */
export const CONTENT_SECURITY_POLICY_DIRECTIVES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
});

export function formatContentSecurityPolicy(directives: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

export const CONTENT_SECURITY_POLICY = formatContentSecurityPolicy(CONTENT_SECURITY_POLICY_DIRECTIVES);

/**
 * The same policy for a `<meta http-equiv>` element, which the app protocol also writes into
 * index.html: if a Chromium version ever ignored the header on custom-scheme responses, the page
 * would still be locked down. `frame-ancestors` is left out (browsers ignore it in a meta element
 * and log a warning); the header carries it.
 */
export const META_CONTENT_SECURITY_POLICY = formatContentSecurityPolicy(
  Object.fromEntries(Object.entries(CONTENT_SECURITY_POLICY_DIRECTIVES).filter(([name]) => name !== 'frame-ancestors')),
);
