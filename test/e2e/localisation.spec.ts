/**
 * The administrator's procedure in each language the app speaks, chosen the way an admin's machine
 * chooses it (the browser's languages in browser mode): sign in, Admin → Manage Employees → pencil →
 * Edit Employee → Cell Phone Number → Save Changes, every label read from that language's message
 * file. At 1024 × 700 no button, tab, column header, label or heading may be clipped; the
 * pseudo-locale (accented, ~40 % longer) shows what longer translations would do. Screenshots of the
 * grid and the Edit Employee window per language (docs/screenshots with UPDATE_SCREENSHOTS=1).
 */
import { expect, test, type Page } from '@playwright/test';
import type { Employee } from '../../common/api';
import de from '../../renderer/i18n/messages/de';
import en, { type Messages } from '../../renderer/i18n/messages/en';
import es from '../../renderer/i18n/messages/es';
import fr from '../../renderer/i18n/messages/fr';
import { pseudoMessages } from '../../renderer/i18n/pseudo';
import { ADMIN, appStarted, employeeById, escapeRegExp, fullName, latestCode, screenshot, someEmployees, startAdminApp, type AdminApp } from './support/admin-app';

let app: AdminApp;
test.beforeAll(async () => {
  // The reference portal and the host start slowly on a busy machine.
  test.setTimeout(180_000);
  app = await startAdminApp();
});
test.afterAll(async () => {
  await app?.close();
});

const LANGUAGES: { tag: string; name: string; messages: Messages }[] = [
  { tag: 'de-DE', name: 'de', messages: de },
  { tag: 'fr-FR', name: 'fr', messages: fr },
  { tag: 'es-ES', name: 'es', messages: es },
  { tag: 'en-US', name: 'en', messages: en },
  { tag: 'en-XA', name: 'pseudo', messages: pseudoMessages(en) },
];

/** A message with its placeholders filled (plain {name} syntax; the first form of a plural). */
function fill(message: string, values: Record<string, string> = {}, form: 0 | 1 = 0): string {
  const text = message.split(' | ')[form] ?? message;
  return text.replace(/\{'(.)'\}/g, '$1').replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? `{${key}}`);
}

/**
 * Text that does not fit its box, or that is cut at the window's right edge: buttons, tabs, column
 * headers, labels, headings, menu items, chips. Those in the top bar start with "top bar: ".
 */
async function clippedTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selectors = ['button', '[role="tab"]', '[role="columnheader"]', 'label', '.v-label', 'h1', 'h2', '.v-list-item-title', '.v-btn__content', '.chip', 'legend', '.v-messages__message'];
    // The page's DOM, typed by what is read here (the test's own program has no DOM library).
    interface Box {
      offsetParent: unknown;
      clientWidth: number;
      scrollWidth: number;
      tagName: string;
      textContent: string | null;
      closest(selector: string): unknown;
      getBoundingClientRect(): { right: number };
    }
    const scope = globalThis as unknown as {
      innerWidth: number;
      document: { querySelectorAll(selector: string): Iterable<Box> };
      getComputedStyle(element: Box): { overflowX: string; textOverflow: string; whiteSpace: string };
    };
    const clipped: string[] = [];
    for (const element of scope.document.querySelectorAll(selectors.join(','))) {
      if (element.offsetParent === null || element.clientWidth === 0) continue;
      const style = scope.getComputedStyle(element);
      const hides = style.overflowX !== 'visible' || style.textOverflow === 'ellipsis' || style.whiteSpace === 'nowrap';
      const isCut = (hides && element.scrollWidth > element.clientWidth + 1) || element.getBoundingClientRect().right > scope.innerWidth + 1;
      const where = element.closest('.v-app-bar') === null ? '' : 'top bar: ';
      if (isCut) clipped.push(`${where}${element.tagName.toLowerCase()}: ${element.textContent?.trim() ?? ''}`);
    }
    return clipped;
  });
}

/**
 * Screenshots the screen, then: in a real language nothing may be clipped; in the pseudo-locale
 * (40 % longer than English, longer than any translation here) what would clip is recorded as an
 * annotation of the test, for whoever lays out the next screen.
 */
async function expectNothingClipped(page: Page, language: string, screen: string): Promise<void> {
  const clipped = await clippedTexts(page);
  await screenshot(page, `languages-${screen}-${language}`);
  if (language === 'pseudo') {
    for (const text of clipped) test.info().annotations.push({ type: 'clipped in the pseudo-locale', description: `${screen}: ${text}` });
    // The top bar fits even 40 % longer words: labels that do not fit become icons with a tooltip.
    expect(clipped.filter((text) => text.startsWith('top bar: '))).toEqual([]);
  } else {
    expect(clipped).toEqual([]);
  }
}

for (const language of LANGUAGES) {
  test.describe(`in ${language.name} (${language.tag})`, () => {
    test.use({ locale: language.tag, viewport: { width: 1024, height: 700 } });

    test('sign in, then Admin → Manage Employees → pencil → Edit Employee → Cell Phone Number → Save Changes', async ({ page }) => {
      const m = language.messages;
      const [employee] = (await someEmployees(app, 12, (candidate) => candidate.cellPhone?.startsWith('+1') === true)).slice(LANGUAGES.indexOf(language));
      const target = employee as Employee;

      await page.goto(app.web.host.newPageUrl());
      // A session left by a test that failed half-way lives on in the host: end it first.
      const signInHeading = page.getByRole('heading', { name: m.signIn.titleSignIn });
      const signOut = page.getByRole('button', { name: m.topBar.signOut });
      await expect(signInHeading.or(signOut)).toBeVisible();
      if (await signOut.isVisible()) await signOut.click();
      await expect(signInHeading).toBeVisible();
      expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe(language.name === 'pseudo' ? 'en-XA' : language.name);
      await page.getByLabel(m.credentials.email).fill(ADMIN.email);
      await page.getByLabel(m.password.label, { exact: true }).fill(ADMIN.password);
      await page.getByRole('button', { name: m.credentials.signIn }).click();
      await expect(page.getByRole('heading', { name: m.signIn.titleSecondFactor })).toBeVisible();
      await page.getByRole('button', { name: m.secondFactor.sendCode }).click();
      await page.getByLabel(m.code.label).fill(latestCode(app));
      await page.getByRole('button', { name: m.secondFactor.verify }).click();
      await expect(page.getByRole('button', { name: m.topBar.signOut })).toBeVisible();

      await page.getByRole('tab', { name: m.topBar.admin }).click();
      await page.getByRole('menuitem', { name: m.topBar.manageEmployees }).click();
      await expect(page.getByRole('heading', { name: m.employees.title })).toBeVisible();
      await expect(page.getByTestId('employees-loading')).toHaveCount(0);
      const countPattern = escapeRegExp(fill(m.employees.count, {}, 1)).replace('\\{count\\}', '\\d[\\d.,\\s\\u00a0\\u202f]*');
      await expect(page.getByTestId('employee-count')).toHaveText(new RegExp(`^${countPattern}$`));
      await expect(page.getByRole('columnheader', { name: m.grid.cellPhone })).toBeVisible();
      await expectNothingClipped(page, language.name, 'grid');

      await page.getByRole('searchbox', { name: m.filters.search }).fill(target.email);
      const row = page.getByRole('grid', { name: m.grid.label }).getByRole('row', { name: new RegExp(escapeRegExp(fullName(target))) });
      await expect(row).toHaveCount(1);
      await row.getByRole('button', { name: fill(m.grid.editEmployee, { name: fullName(target) }) }).click();

      const dialog = page.getByRole('dialog', { name: m.editEmployee.title });
      await expect(dialog).toBeVisible();
      const field = dialog.getByLabel(m.phoneField.label);
      await expect(field).toBeFocused();
      await field.fill('212 555 0177');
      await expect(dialog).toContainText(fill(m.phoneField.willBeSavedAs, { number: '+1 212 555 0177' }));
      await expectNothingClipped(page, language.name, 'edit-employee');
      await dialog.getByRole('button', { name: m.editEmployee.saveChanges, exact: true }).click();

      await expect(dialog).toBeHidden();
      await expect(page.getByTestId('snackbar')).toContainText(fill(m.editOutcome.saved, { name: fullName(target), number: '+1 212 555 0177' }));
      await expect(row).toContainText('+1 212 555 0177');
      const stored = await employeeById(app, target.id);
      expect(stored.cellPhone).toBe('+12125550177');

      // The session lives in the host: end it, so the next language starts at the sign-in page.
      await page.getByRole('button', { name: m.topBar.signOut }).click();
      await expect(page.getByRole('heading', { name: m.signIn.titleSignIn })).toBeVisible();
    });
  });
}

test.describe('the Language setting', () => {
  test.use({ locale: 'en-US', viewport: { width: 1024, height: 700 } });

  test('Deutsch chosen on the sign-in page is remembered for the next window; Auto follows the browser again', async ({ page }) => {
    await page.goto(app.web.host.newPageUrl());
    await expect(page.getByRole('heading', { name: en.signIn.titleSignIn })).toBeVisible();
    await appStarted(page);
    await page.getByRole('button', { name: en.language.label }).click();
    await page.getByRole('menuitemradio', { name: 'Deutsch' }).click();
    await expect(page.getByRole('heading', { name: de.signIn.titleSignIn })).toBeVisible();

    await page.goto(app.web.host.newPageUrl());
    await expect(page.getByRole('heading', { name: de.signIn.titleSignIn })).toBeVisible();
    await appStarted(page);
    await page.getByRole('button', { name: de.language.label }).click();
    await page.getByRole('menuitemradio', { name: fill(de.language.auto, { language: 'English' }) }).click();
    await expect(page.getByRole('heading', { name: en.signIn.titleSignIn })).toBeVisible();
  });
});
