/**
 * The sign-in page prerendered into index.html (scripts/prerender-sign-in.ts), rendered from the real
 * components by Vue's server renderer: each language's page says that language's words (from its
 * message file, not copied), each language's index.html holds its own page only, the page's one script
 * is the boot script (a module: never before the first frame), and nothing of a profile (no portal
 * address) is in it.
 * That the markup is the mounted form's is checked in Chromium (test/e2e/first-paint.spec.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppLocale } from '../../../../common/i18n/locale-choice';
import type { PrerenderedSignIn } from '../../../../renderer/prerender/markers';
import de from '../../../../renderer/i18n/messages/de';
import en, { type Messages } from '../../../../renderer/i18n/messages/en';
import es from '../../../../renderer/i18n/messages/es';
import fr from '../../../../renderer/i18n/messages/fr';
import { prerenderStylesheet, renderSignInPages, withBootScript, withPrerenderedSignIn } from '../../../../scripts/prerender-sign-in';
import { VUE_I18N_FLAGS } from '../../../../vite.config';

const MESSAGES: Record<AppLocale, Messages> = { en, de, fr, es };
const INDEX =
  '<!doctype html>\n<html lang="en">\n  <head>\n    <title>Portal Admin</title>\n' +
  '    <script type="module" crossorigin src="./assets/index-1.js"></script>\n' +
  '    <link rel="modulepreload" crossorigin href="./assets/i18n-2.js">\n    <link rel="modulepreload" crossorigin href="./assets/pinia-3.js">\n' +
  '    <link rel="stylesheet" crossorigin href="./assets/index-4.css">\n  </head>\n  <body>\n    <div id="app"></div>\n  </body>\n</html>\n';

let pages: Record<AppLocale, PrerenderedSignIn>;
let html: Record<AppLocale, string>;
beforeAll(async () => {
  pages = await renderSignInPages(VUE_I18N_FLAGS);
  const booting = withBootScript(INDEX, 'assets/boot-test.js');
  html = { en: withPrerenderedSignIn(booting, pages.en, 'en'), de: withPrerenderedSignIn(booting, pages.de, 'de'), fr: withPrerenderedSignIn(booting, pages.fr, 'fr'), es: withPrerenderedSignIn(booting, pages.es, 'es') };
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

  for (const locale of ['en', 'de', 'fr', 'es'] as const) {
    it(`in ${locale}'s index.html: that page alone in #app, <html lang>, the boot script as the one script and the theme after the stylesheets`, () => {
      const page = html[locale];
      expect(page).toMatch(new RegExp(`<html lang="${locale}">`));
      expect(page).toMatch(new RegExp(`<div id="app"><div data-prerendered="${locale}" `));
      expect(page.match(/data-prerendered="/g)).toHaveLength(1);
      expect(page).not.toContain('<template');
      expect(page).toContain(escape(MESSAGES[locale].signIn.titleSignIn));
      // One script, a module (never parser- or render-blocking), external (CSP: script-src 'self').
      expect(page.match(/<script/g)).toHaveLength(1);
      expect(page).toContain('<script type="module" src="./assets/boot-test.js" data-app="./assets/index-1.js" data-preload="./assets/i18n-2.js ./assets/pinia-3.js"></script>');
      expect(page).not.toContain('modulepreload'); // nothing compiled before the first frame
      expect(page.indexOf('<link rel="stylesheet" crossorigin href="./assets/index-4.css">')).toBeLessThan(page.indexOf('<style id="vuetify-theme-stylesheet">'));
      expect(page.indexOf('<style id="vuetify-theme-stylesheet">')).toBeLessThan(page.indexOf('</head>'));
      expect(page.match(/ autofocus /g)).toHaveLength(1); // the Email field
      // The portal line's stand-in address is taken out (the line is kept, hidden, for its height).
      expect(page).not.toContain('portal.invalid');
      expect(page.match(/<p aria-hidden="true" style="visibility:hidden" /g)).toHaveLength(1);
    });
  }

  it('hides the form (not the page\'s background) while the page resumes a session', () => {
    expect(prerenderStylesheet(pages.en)).toContain('html[data-resuming] [data-prerendered] > * { visibility: hidden; }');
  });

  it('refuses an index.html it cannot place the page in', () => {
    expect(() => withPrerenderedSignIn(INDEX.replace('<div id="app"></div>', '<main id="app"></main>'), pages.en, 'en')).toThrow(/<div id="app"><\/div>/);
    expect(() => withBootScript(INDEX.replace(/<script[^\n]*\n/, ''), 'boot.js')).toThrow(/exactly one module script/);
  });
});
