/**
 * The sign-in page prerendered into index.html (scripts/prerender-sign-in.ts), rendered from the real
 * components by Vue's server renderer: each language's page says that language's words (from its
 * message file, not copied), the English one is live in #app and the others wait in <template>s, the
 * first-paint script is an external one, and nothing of a profile (no portal address) is in it.
 * That the markup is the mounted form's is checked in Chromium (test/e2e/first-paint.spec.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppLocale } from '../../../../common/i18n/locale-choice';
import type { PrerenderedSignIn } from '../../../../renderer/prerender/markers';
import de from '../../../../renderer/i18n/messages/de';
import en, { type Messages } from '../../../../renderer/i18n/messages/en';
import es from '../../../../renderer/i18n/messages/es';
import fr from '../../../../renderer/i18n/messages/fr';
import { inlineStylesheets, prerenderStylesheet, renderSignInPages, rulesUsedBy, withPrerenderedSignIn } from '../../../../scripts/prerender-sign-in';
import { VUE_I18N_FLAGS } from '../../../../vite.config';

const MESSAGES: Record<AppLocale, Messages> = { en, de, fr, es };
const INDEX = '<!doctype html>\n<html lang="en">\n  <head>\n    <title>Portal Admin</title>\n  </head>\n  <body>\n    <div id="app"></div>\n  </body>\n</html>\n';

let pages: Record<AppLocale, PrerenderedSignIn>;
let html: string;
beforeAll(async () => {
  pages = await renderSignInPages(VUE_I18N_FLAGS);
  html = withPrerenderedSignIn(INDEX, pages, 'assets/first-paint-test.js');
}, 180_000);

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');

describe('the prerendered sign-in page', () => {
  for (const locale of ['en', 'de', 'fr', 'es'] as const) {
    it(`in ${locale} is the sign-in form in that language's words`, () => {
      const m = MESSAGES[locale];
      const page = pages[locale].html;
      for (const text of [m.signIn.titleSignIn, m.credentials.email, m.password.label, m.credentials.rememberMe, m.credentials.keepOfflineCopy, m.credentials.signIn, m.credentials.portalSettings]) {
        expect(page).toContain(escape(text));
      }
      expect(page).toMatch(/<form class="v-form"/);
      expect(page).toMatch(/type="email"/);
      expect(page).toMatch(/type="password"/);
    });
  }

  it('puts English in #app, the others in <template>s, the script in <head> as an external file and the theme after the stylesheets', () => {
    expect(html).toMatch(/<div id="app"><div data-prerendered="en" /);
    for (const locale of ['de', 'fr', 'es']) expect(html).toContain(`<template data-prerendered="${locale}"><div data-prerendered="${locale}" `);
    expect(html).toContain('<script src="./assets/first-paint-test.js"></script>');
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/); // no inline script (CSP: script-src 'self')
    expect(html.indexOf('<style id="vuetify-theme-stylesheet">')).toBeLessThan(html.indexOf('</head>'));
    expect(html.match(/ autofocus /g)).toHaveLength(4); // the Email field, once per language
    // The portal line's stand-in address is taken out (the line is kept, hidden, for its height).
    expect(html).not.toContain('portal.invalid');
    expect(html.match(/<p aria-hidden="true" style="visibility:hidden" /g)).toHaveLength(4);
  });

  it('hides the form (not the page\'s background) while the page resumes a session', () => {
    expect(prerenderStylesheet(pages.en)).toContain('html[data-resuming] [data-prerendered] > * { visibility: hidden; }');
  });

  it('puts the linked stylesheets into the page in their order, leaving each link disabled (never fetched, never added again)', () => {
    const head = '<link rel="stylesheet" crossorigin href="./assets/a-1.css">\n<link rel="stylesheet" crossorigin href="./assets/b-2.css">';
    const files: Record<string, string> = { 'assets/a-1.css': '.a{color:red}', 'assets/b-2.css': '.b{color:blue}' };
    const inlined = inlineStylesheets(head, (file) => files[file]);
    expect(inlined).toBe(
      '<style data-stylesheet="assets/a-1.css">.a{color:red}</style>\n    <link disabled rel="stylesheet" crossorigin href="./assets/a-1.css">\n' +
        '<style data-stylesheet="assets/b-2.css">.b{color:blue}</style>\n    <link disabled rel="stylesheet" crossorigin href="./assets/b-2.css">',
    );
    expect(() => inlineStylesheets(head, () => undefined)).toThrow(/did not write/);
    // A url() would resolve against index.html, a </style would end the element: refused, not broken.
    expect(() => inlineStylesheets(head, () => '.a{background:url(./x.png)}')).toThrow(/url\(\) or <\/style/);
    expect(() => inlineStylesheets(head, () => '.a{}</style><script>')).toThrow(/url\(\) or <\/style/);
    expect(inlineStylesheets(head, () => '.a{background:url(data:image/png;base64,AA)}')).toContain('url(data:');
  });

  it('inlines the rules the prerendered page uses, with their states, and leaves out the others', async () => {
    const css = [
      '@layer vuetify-components { .v-field--focused .v-field__outline { color: red } .v-data-table { color: blue } }',
      '.v-btn:hover > .v-btn__overlay { opacity: .04 }',
      '.v-checkbox .v-selection-control__input:focus-visible { outline: 1px }',
      '.v-navigation-drawer { width: 256px }',
      ':root { --v-gap: 4px }',
      '@keyframes v-shake { 0% { transform: none } }',
    ].join('\n');
    const used = await rulesUsedBy(css, html);
    for (const kept of ['.v-field--focused .v-field__outline', '.v-btn:hover > .v-btn__overlay', ':focus-visible', '--v-gap', '@layer vuetify-components', '@keyframes v-shake']) expect(used).toContain(kept);
    for (const dropped of ['.v-data-table', '.v-navigation-drawer']) expect(used).not.toContain(dropped);
  });

  it('refuses an index.html it cannot place the page in', () => {
    expect(() => withPrerenderedSignIn(INDEX.replace('<div id="app"></div>', '<main id="app"></main>'), pages, 'x.js')).toThrow(/<div id="app"><\/div>/);
  });
});
