import purgeCss from '@fullhuman/postcss-purgecss';
import type { Plugin } from 'postcss';

/**
 * Vuetify's utility classes and colour palette are 280 kB of CSS (`mb-2`, `text-h4`, `bg-red-lighten-2` …
 * in every size and breakpoint); the app uses a few dozen. This PostCSS step keeps, from those two files only,
 * the classes named in the renderer's sources or in Vuetify's own component code (where components
 * add `rounded-lg`, `elevation-2` …); everything else Vuetify ships (core, component styles, the
 * theme) is left alone. Classes that Vuetify builds from a prop value (`rounded-${value}`) are kept
 * by prefix.
 */
export function pruneVuetifyUtilities(root: string): Plugin {
  const purge = purgeCss({
    content: [
      `${root}/renderer/**/*.{vue,ts,html}`,
      `${root}/node_modules/vuetify/lib/components/**/*.js`,
      `${root}/node_modules/vuetify/lib/composables/**/*.js`,
      `${root}/node_modules/vuetify/lib/directives/**/*.js`,
    ],
    safelist: { standard: [/^(rounded|elevation|border|justify|order)-/] },
  }) as Plugin;
  return {
    postcssPlugin: 'prune-vuetify-utilities',
    OnceExit(css, helpers) {
      const file = css.source?.input.file?.replaceAll('\\', '/') ?? '';
      if (!/\/vuetify\/lib\/styles\/(utilities|colors)\.css$/.test(file)) return;
      return (purge.OnceExit as NonNullable<Plugin['OnceExit']>)(css, helpers);
    },
  };
}
