/**
 * The build step that puts the sign-in page into index.html, so the form is painted before the app's
 * JavaScript has loaded (README "First screen"). At every renderer build:
 * - renders the real App (SignInView, CredentialsForm) to HTML with Vue's server renderer, once per
 *   language (renderer/prerender/sign-in-page.ts, loaded through a Vite server in SSR mode with the
 *   renderer's own plugins): English into `<div id="app">`, German, French and Spanish into
 *   `<template>`s before it;
 * - bundles the first-paint script (renderer/prerender/first-paint.ts) into one small classic script
 *   loaded from <head>, which picks the language before the body is parsed;
 * - writes Vuetify's theme stylesheet (light, and dark when the OS is dark) under the app's stylesheet,
 *   with the id Vuetify's own runtime stylesheet has, so the app takes it over rather than adding one;
 * - puts the rules of the app's stylesheets that the prerendered page uses into the page itself
 *   (`<style>`), so the first frame waits for no stylesheet to arrive; the whole stylesheets are
 *   loaded by the app when it starts (see `inlineStylesheets`).
 * The app replaces the page when it starts (renderer/lib/prerendered-sign-in.ts).
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import purgeCss from '@fullhuman/postcss-purgecss';
import vue from '@vitejs/plugin-vue';
import postcss from 'postcss';
import { build, createServer, type Plugin, type Rolldown } from 'vite';
import vuetify from 'vite-plugin-vuetify';
import { APP_LOCALES, DEFAULT_LOCALE, type AppLocale } from '../common/i18n/locale-choice.ts';
import { PORTAL_STAND_IN_HOST, PRERENDERED_ATTRIBUTE, RESUMING_ATTRIBUTE, type PrerenderedSignIn } from '../renderer/prerender/markers.ts';

// import.meta.url, not import.meta.dirname: the config bundlers (Vite's, electron-vite's) rewrite only the former.
const root = fileURLToPath(new URL('..', import.meta.url));
const rendererRoot = resolve(root, 'renderer');

/** Renders the sign-in page in every language (a Vite server in SSR mode, no files written). */
export async function renderSignInPages(define: Record<string, string>): Promise<Record<AppLocale, PrerenderedSignIn>> {
  const server = await createServer({
    configFile: false,
    root: rendererRoot,
    logLevel: 'warn',
    plugins: [vue({ features: { optionsAPI: false } }), vuetify({ autoImport: true })],
    define,
    // Vuetify's components import their stylesheets: Vite, not Node, has to load them.
    ssr: { noExternal: ['vuetify', 'vue-i18n', /^@intlify\//] },
    server: { middlewareMode: true, hmr: false, ws: false, watch: null },
    appType: 'custom',
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  try {
    const module = (await server.ssrLoadModule('/prerender/sign-in-page.ts')) as { renderSignInPage(locale: AppLocale): Promise<PrerenderedSignIn> };
    const pages = {} as Record<AppLocale, PrerenderedSignIn>;
    // One after the other: the language is the app's one i18n instance.
    for (const locale of APP_LOCALES) pages[locale] = await module.renderSignInPage(locale);
    return pages;
  } finally {
    await server.close();
  }
}

/** The first-paint script, bundled into one classic script (no import, no module). */
async function bundleFirstPaintScript(): Promise<string> {
  const output = await build({
    configFile: false,
    root: rendererRoot,
    logLevel: 'warn',
    build: {
      write: false,
      minify: true,
      lib: { entry: resolve(rendererRoot, 'prerender/first-paint.ts'), formats: ['iife'], name: 'portalAdminFirstPaint', fileName: () => 'first-paint.js' },
    },
  });
  const outputs = (Array.isArray(output) ? output : [output]) as Rolldown.RolldownOutput[];
  const chunk = outputs.flatMap((result) => result.output).find((item): item is Rolldown.OutputChunk => item.type === 'chunk');
  if (!chunk) throw new Error('The first-paint script was not built');
  return chunk.code;
}

/** The CSS custom properties of one theme class in Vuetify's theme stylesheet (`.v-theme--dark { … }`). */
function themeBlock(css: string, theme: string): string {
  const match = new RegExp(`\\.v-theme--${theme}\\s*\\{([^}]*)\\}`).exec(css);
  if (!match) throw new Error(`Vuetify's theme stylesheet has no .v-theme--${theme} block`);
  return match[1]!.trim();
}

/**
 * The prerendered page's stylesheet: Vuetify's (light) theme, the dark theme's colours on the page
 * when the OS is dark (the page was rendered with the light theme's class), and English hidden
 * while <html lang> names another language.
 */
export function prerenderStylesheet(page: PrerenderedSignIn): string {
  const dark = themeBlock(page.darkThemeCss, 'dark');
  const rootDark = /:root\s*\{([^}]*)\}\s*:root\s*\{([^}]*)\}/.exec(page.darkThemeCss);
  return [
    page.themeCss,
    '@media (prefers-color-scheme: dark) { @layer vuetify-utilities { @layer theme-base {',
    rootDark ? `  :root { ${rootDark[1]!.trim()} ${rootDark[2]!.trim()} }` : '',
    // The page's root (v-app) carries the theme class itself, and so do many elements inside it.
    `  [${PRERENDERED_ATTRIBUTE}].v-theme--light, [${PRERENDERED_ATTRIBUTE}] .v-theme--light { ${dark} }`,
    '} } }',
    `html:not([lang="${DEFAULT_LOCALE}"]) [${PRERENDERED_ATTRIBUTE}="${DEFAULT_LOCALE}"] { visibility: hidden; }`,
    // A page that resumes a session shows the app's background only, no sign-in form, until the app mounts.
    `html[${RESUMING_ATTRIBUTE}] [${PRERENDERED_ATTRIBUTE}] > * { visibility: hidden; }`,
    // Another field focused before the app starts (the app floats its label): typing must not run over the label.
    `[${PRERENDERED_ATTRIBUTE}] .v-field:not(.v-field--active):focus-within .v-field__field > .v-label { visibility: hidden; }`,
  ].join('\n');
}

/** Adds `added` to the class attribute that starts at `at` (`<div class="…`). */
function addClasses(html: string, at: number, added: string): string {
  const start = html.indexOf('class="', at) + 'class="'.length;
  return `${html.slice(0, start)}${added} ${html.slice(start)}`;
}

/**
 * The Email field as the form shows it once mounted: focused (CredentialsForm focuses it at mount;
 * here the `autofocus` attribute does), which in Vuetify's markup means the focused and active
 * classes and the label moved from the field into the outline's notch. Without them, what is typed
 * before the app starts would run over the label.
 */
export function focusEmailField(html: string): string {
  const input = html.search(/<input [^>]*type="email"/);
  if (input < 0) throw new Error('The prerendered sign-in page has no Email field');
  const inputStart = html.lastIndexOf('<div class="v-input ', input);
  const fieldStart = html.lastIndexOf('<div class="v-field ', input);
  const details = /<div [^>]*class="v-input__details/g;
  details.lastIndex = input;
  const fieldEnd = details.exec(html)?.index ?? -1;
  if (inputStart < 0 || fieldStart < inputStart || fieldEnd < 0) throw new Error('The Email field\'s markup is not Vuetify\'s text field');
  const steps: Array<[RegExp, string]> = [
    [/<input /, '<input autofocus '],
    [/(<label class="v-label v-field-label"[^>]*?) aria-hidden="false"/, '$1 aria-hidden="true"'],
    [/(<label class="v-label v-field-label v-field-label--floating"[^>]*?) aria-hidden="true"/, '$1 aria-hidden="false"'],
  ];
  const field = steps.reduce((markup, [pattern, replacement]) => {
    if (!pattern.test(markup)) throw new Error(`The Email field's markup has no ${pattern.source}`);
    return markup.replace(pattern, replacement);
  }, html.slice(fieldStart, fieldEnd));
  const marked = `${html.slice(0, fieldStart)}${addClasses(field, 0, 'v-field--active v-field--focused')}${html.slice(fieldEnd)}`;
  return addClasses(marked, inputStart, 'v-input--focused');
}

/**
 * The portal line ("Portal: portal.example.com") without its stand-in address and hidden: it keeps
 * its height, so nothing moves when the app shows the real address.
 */
export function hidePortalLine(html: string): string {
  const host = html.indexOf(`>${PORTAL_STAND_IN_HOST}<`);
  const line = html.lastIndexOf('<p ', host);
  if (host < 0 || line < 0) throw new Error('The prerendered sign-in page has no portal line');
  const withoutHost = `${html.slice(0, host + 1)}${html.slice(host + 1 + PORTAL_STAND_IN_HOST.length)}`;
  return `${withoutHost.slice(0, line)}<p aria-hidden="true" style="visibility:hidden" ${withoutHost.slice(line + '<p '.length)}`;
}

/** The page's root element carries its language; the Email field is focused as the form does at mount. */
export function markPage(html: string, locale: AppLocale): string {
  const marked = html.replace(/^<div /, `<div ${PRERENDERED_ATTRIBUTE}="${locale}" `);
  if (marked === html) throw new Error('The prerendered sign-in page does not start with its v-app <div>');
  return focusEmailField(hidePortalLine(marked));
}

/** index.html with the pages, the first-paint script and the theme stylesheet in it. */
export function withPrerenderedSignIn(html: string, pages: Record<AppLocale, PrerenderedSignIn>, scriptFile: string): string {
  const others = APP_LOCALES.filter((locale) => locale !== DEFAULT_LOCALE)
    .map((locale) => `<template ${PRERENDERED_ATTRIBUTE}="${locale}">${markPage(pages[locale].html, locale)}</template>`)
    .join('\n    ');
  const app = `${others}\n    <div id="app">${markPage(pages[DEFAULT_LOCALE].html, DEFAULT_LOCALE)}</div>`;
  const replaceOnce = (text: string, search: string, replacement: string): string => {
    if (text.split(search).length !== 2) throw new Error(`index.html must hold ${search} exactly once`);
    return text.replace(search, () => replacement);
  };
  // The first-paint script before everything else in <head> that loads: the language must be known before the body.
  let result = replaceOnce(html, '<title>', `<script src="./${scriptFile}"></script>\n    <title>`);
  // The theme after the app's stylesheet, where Vuetify's runtime would add it (the CSS layers' order).
  result = replaceOnce(result, '</head>', `  <style id="vuetify-theme-stylesheet">${prerenderStylesheet(pages[DEFAULT_LOCALE])}</style>\n  </head>`);
  return replaceOnce(result, '<div id="app"></div>', app);
}

/**
 * The rules of `css` the prerendered pages can use: PurgeCSS keeps a rule when every class, id, tag
 * and attribute its selector names occurs in `pagesHtml` (pseudo-classes such as :focus or :checked
 * are not looked at, so the states an administrator can reach before the app starts keep theirs);
 * at-rules, custom properties and keyframes stay.
 */
export async function rulesUsedBy(css: string, pagesHtml: string): Promise<string> {
  const result = await postcss([purgeCss({ content: [{ raw: pagesHtml, extension: 'html' }] })]).process(css, { from: undefined });
  return result.css;
}

/**
 * Each `<link rel="stylesheet">` of the app's own files gets, just before it, a `<style>` with the
 * rules of that file the prerendered page uses (`usedCssOf`): no frame has to wait for a stylesheet
 * to arrive. The link itself is made `disabled` (not fetched, not render-blocking); the app enables
 * it when it starts (renderer/lib/prerendered-sign-in.ts). Each file's subset sits right before the
 * file itself, so once the files have loaded, every rule's last copy is where it was: the cascade is
 * the app's own. A disabled link still counts for Vite's loader of on-demand chunks, which adds a
 * chunk's stylesheets only when no link to them is in the page.
 */
export function inlineStylesheets(html: string, usedCssOf: (file: string) => string | undefined): string {
  return html.replace(/<link rel="stylesheet" crossorigin href="\.\/(assets\/[^"]+\.css)">/g, (link: string, file: string) => {
    const css = usedCssOf(file);
    if (css === undefined) throw new Error(`index.html links ${file}, which the build did not write`);
    // Relative url()s would resolve against index.html instead of the stylesheet; `</style` would end the element.
    if (/url\(\s*['"]?(?!data:)/i.test(css) || /<\/style/i.test(css)) throw new Error(`${file} cannot be put into index.html as it is (a url() or </style in it)`);
    return `<style data-stylesheet="${file}">${css}</style>\n    ${link.replace('<link ', '<link disabled ')}`;
  });
}

/** The Vite plugin (vite.config.ts): production builds only; the dev server shows the app as it mounts. */
export function prerenderSignIn(options: { define: Record<string, string> }): Plugin {
  let pages: Record<AppLocale, PrerenderedSignIn> | null = null;
  let scriptFile = '';
  let script = '';
  return {
    name: 'portal-admin:prerender-sign-in',
    apply: 'build',
    async buildStart() {
      [pages, script] = await Promise.all([renderSignInPages(options.define), bundleFirstPaintScript()]);
      scriptFile = `assets/first-paint-${createHash('sha256').update(script).digest('hex').slice(0, 8)}.js`;
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: scriptFile, source: script });
    },
    transformIndexHtml: {
      order: 'post',
      async handler(html, context) {
        if (!pages) throw new Error('The sign-in page was not prerendered');
        const withPages = withPrerenderedSignIn(html, pages, scriptFile);
        const bundle = context.bundle ?? {};
        const used = new Map<string, string>();
        for (const [, file] of withPages.matchAll(/<link rel="stylesheet" crossorigin href="\.\/(assets\/[^"]+\.css)">/g)) {
          const asset = bundle[file!];
          if (asset?.type !== 'asset') continue;
          const css = typeof asset.source === 'string' ? asset.source : Buffer.from(asset.source).toString('utf8');
          used.set(file!, await rulesUsedBy(css, withPages));
        }
        return inlineStylesheets(withPages, (file) => used.get(file));
      },
    },
  };
}
