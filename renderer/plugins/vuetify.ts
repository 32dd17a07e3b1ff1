import { createVuetify, type ThemeDefinition } from 'vuetify';
import { aliases, mdi } from 'vuetify/iconsets/mdi-svg';
import { createVueI18nAdapter } from 'vuetify/locale/adapters/vue-i18n';
import { useI18n } from 'vue-i18n';
import { i18n } from '../i18n';
// Vuetify's styles in their parts: the palette and utility classes are pruned to what the app uses at
// build time (scripts/prune-vuetify-utilities.ts), so the first page loads a fraction of the CSS.
import 'vuetify/styles/core';
import 'vuetify/styles/colors';
import 'vuetify/styles/utilities';
import '../styles/app.css';

/*
 * Colours chosen for WCAG AA contrast (4.5:1 for text) on their backgrounds in both themes:
 * Vuetify's stock dark primary (#2196F3) under white text is only 3.1:1.
 */
const light: ThemeDefinition = {
  dark: false,
  // Vuetify's 0.6 gives labels and hints #7a7a7a on white: 4.29:1, under AA's 4.5:1.
  variables: { 'medium-emphasis-opacity': 0.74 },
  colors: {
    background: '#F6F7F9',
    surface: '#FFFFFF',
    primary: '#1558B0',
    secondary: '#455A64',
    success: '#1B6E20',
    warning: '#8A4B00',
    error: '#B3261E',
    info: '#01579B',
    'on-primary': '#FFFFFF',
    'on-secondary': '#FFFFFF',
    'on-success': '#FFFFFF',
    'on-warning': '#FFFFFF',
    'on-error': '#FFFFFF',
    'on-info': '#FFFFFF',
  },
};

const dark: ThemeDefinition = {
  dark: true,
  colors: {
    background: '#121417',
    surface: '#1C1F24',
    primary: '#9CC3FF',
    secondary: '#B0BEC5',
    success: '#8BD48F',
    warning: '#FFC46B',
    error: '#FFB4AB',
    info: '#8FD0FF',
    'on-primary': '#0B1D36',
    'on-secondary': '#14202A',
    'on-success': '#0E2A10',
    'on-warning': '#2E1A00',
    'on-error': '#3B0907',
    'on-info': '#002A44',
  },
};

export function createAppVuetify(): ReturnType<typeof createVuetify> {
  return createVuetify({
    icons: { defaultSet: 'mdi', aliases, sets: { mdi } },
    // Vuetify's own strings ("Close", "No data available"…) come from the app's vue-i18n messages ($vuetify.*).
    locale: { adapter: createVueI18nAdapter({ i18n, useI18n }) },
    // 'system' follows prefers-color-scheme, and changes with it while the app runs.
    theme: { defaultTheme: 'system', themes: { light, dark } },
    defaults: {
      VTextField: { variant: 'outlined', density: 'comfortable' },
      VSelect: { variant: 'outlined', density: 'comfortable' },
      VAutocomplete: { variant: 'outlined', density: 'comfortable' },
      VBtn: { rounded: 'md' },
    },
  });
}
