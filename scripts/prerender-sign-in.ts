/**
 * The build step that puts the sign-in page into index.html, so the form is painted before the app's
 * JavaScript has loaded (README "First screen"). At every renderer build:
 * - renders the real App (SignInView, CredentialsForm) to HTML with Vue's server renderer, once per
 *   language (renderer/prerender/sign-in-page.ts, loaded through a Vite server in SSR mode with the
 *   renderer's own plugins), and writes index.html once per language: English in index.html, the others
 *   in index.<locale>.html (common/first-paint.ts), each with `<html lang>` set. The server of the page
 *   (Electron's app:// handler, browser mode's host) picks the language per request, so no script has to
 *   run before the first frame;
 * - replaces the app's entry script and its modulepreloads with one small module script
 *   (renderer/prerender/boot.ts, bundled on its own) that imports the entry once the first frame is
 *   painted: nothing is fetched, compiled or run before it but the HTML and its stylesheets;
 * - writes Vuetify's theme stylesheet (light, and dark when the OS is dark) under the app's stylesheets,
 *   with the id Vuetify's own runtime stylesheet has, so the app takes it over rather than adding one.
 * The app replaces the page when it starts (renderer/lib/prerendered-sign-in.ts).
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { build, createServer, type Plugin, type Rolldown } from 'vite';
import vuetify from 'vite-plugin-vuetify';
import { firstPaintPageFile, RESUMING_ATTRIBUTE } from '../common/first-paint.ts';
import { APP_LOCALES, DEFAULT_LOCALE, type AppLocale } from '../common/i18n/locale-choice.ts';
import { PORTAL_STAND_IN_HOST, PRERENDERED_ATTRIBUTE, QUEUED_CLICK_ATTRIBUTE, QUEUED_SUBMIT_ATTRIBUTE, type PrerenderedSignIn } from '../renderer/prerender/markers.ts';

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

/** The boot script (renderer/prerender/boot.ts), bundled into one module without imports. */
async function bundleBootScript(): Promise<string> {
  const output = await build({
    configFile: false,
    root: rendererRoot,
    logLevel: 'warn',
    build: {
      write: false,
      minify: true,
      lib: { entry: resolve(rendererRoot, 'prerender/boot.ts'), formats: ['es'], fileName: () => 'boot.js' },
    },
  });
  const outputs = (Array.isArray(output) ? output : [output]) as Rolldown.RolldownOutput[];
  const chunks = outputs.flatMap((result) => result.output).filter((item): item is Rolldown.OutputChunk => item.type === 'chunk');
  if (chunks.length !== 1) throw new Error('The boot script must be one file');
  return chunks[0]!.code;
}

/**
 * Vite's entry script and modulepreloads in index.html, replaced by the boot script, which is told the
 * entry (`data-app`) and the chunks to preload with it (`data-preload`).
 */
export function withBootScript(html: string, bootFile: string): string {
  const entries = [...html.matchAll(/<script type="module" crossorigin src="(\.\/assets\/[^"]+\.js)"><\/script>\s*/g)];
  if (entries.length !== 1) throw new Error('index.html must load exactly one module script (the entry)');
  const preloads = [...html.matchAll(/<link rel="modulepreload" crossorigin href="(\.\/assets\/[^"]+\.js)">\s*/g)];
  let result = html;
  for (const [tag] of preloads) result = result.replace(tag, '');
  const boot = `<script type="module" src="./${bootFile}" data-app="${entries[0]![1]}" data-preload="${preloads.map(([, file]) => file).join(' ')}"></script>\n    `;
  return result.replace(entries[0]![0], () => boot);
}

/** The CSS custom properties of one theme class in Vuetify's theme stylesheet (`.v-theme--dark { … }`). */
function themeBlock(css: string, theme: string): string {
  const match = new RegExp(`\\.v-theme--${theme}\\s*\\{([^}]*)\\}`).exec(css);
  if (!match) throw new Error(`Vuetify's theme stylesheet has no .v-theme--${theme} block`);
  return match[1]!.trim();
}

/**
 * The prerendered page's stylesheet: Vuetify's (light) theme, the dark theme's colours on the page
 * when the OS is dark (the page was rendered with the light theme's class), and the form hidden
 * while the page resumes a session.
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
    // A page that resumes a session shows the app's background only, no sign-in form, until the app mounts.
    `html[${RESUMING_ATTRIBUTE}] [${PRERENDERED_ATTRIBUTE}] > * { visibility: hidden; }`,
    // Another field focused before the app starts (the app floats its label): typing must not run over the label.
    `[${PRERENDERED_ATTRIBUTE}] .v-field:not(.v-field--active):focus-within .v-field__field > .v-label { visibility: hidden; }`,
    // A click or a sign-in held for the app (renderer/prerender/boot.ts): the page shows it is busy until the app starts.
    `[${PRERENDERED_ATTRIBUTE}]:has([${QUEUED_CLICK_ATTRIBUTE}], [${QUEUED_SUBMIT_ATTRIBUTE}]), [${PRERENDERED_ATTRIBUTE}]:has([${QUEUED_CLICK_ATTRIBUTE}], [${QUEUED_SUBMIT_ATTRIBUTE}]) * { cursor: progress; }`,
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

/**
 * index.html in one language: the page in #app, `<html lang>`, and the theme stylesheet after the app's
 * stylesheets, where Vuetify's runtime would add it (the CSS layers' order).
 */
export function withPrerenderedSignIn(html: string, page: PrerenderedSignIn, locale: AppLocale): string {
  const replaceOnce = (text: string, search: string | RegExp, replacement: string): string => {
    const count = typeof search === 'string' ? text.split(search).length - 1 : (text.match(new RegExp(search, 'g')) ?? []).length;
    if (count !== 1) throw new Error(`index.html must hold ${String(search)} exactly once`);
    return text.replace(search, () => replacement);
  };
  let result = replaceOnce(html, /<html lang="[^"]*">/, `<html lang="${locale}">`);
  result = replaceOnce(result, '</head>', `  <style id="vuetify-theme-stylesheet">${prerenderStylesheet(page)}</style>\n  </head>`);
  return replaceOnce(result, '<div id="app"></div>', `<div id="app">${markPage(page.html, locale)}</div>`);
}

/** The Vite plugin (vite.config.ts): production builds only; the dev server shows the app as it mounts. */
export function prerenderSignIn(options: { define: Record<string, string> }): Plugin {
  let pages: Record<AppLocale, PrerenderedSignIn> | null = null;
  let bootFile = '';
  let boot = '';
  const otherPages = new Map<string, string>();
  return {
    name: 'portal-admin:prerender-sign-in',
    apply: 'build',
    async buildStart() {
      [pages, boot] = await Promise.all([renderSignInPages(options.define), bundleBootScript()]);
      bootFile = `assets/boot-${createHash('sha256').update(boot).digest('hex').slice(0, 8)}.js`;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        if (!pages) throw new Error('The sign-in page was not prerendered');
        const booting = withBootScript(html, bootFile);
        otherPages.clear();
        for (const locale of APP_LOCALES) if (locale !== DEFAULT_LOCALE) otherPages.set(firstPaintPageFile(locale), withPrerenderedSignIn(booting, pages[locale], locale));
        return withPrerenderedSignIn(booting, pages[DEFAULT_LOCALE], DEFAULT_LOCALE);
      },
    },
    // After Vite has written index.html (and called the handler above).
    generateBundle: {
      order: 'post',
      handler() {
        this.emitFile({ type: 'asset', fileName: bootFile, source: boot });
        for (const [fileName, source] of otherPages) this.emitFile({ type: 'asset', fileName, source });
      },
    },
  };
}
