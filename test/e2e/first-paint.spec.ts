/**
 * The first screen before the app has started: index.html carries the sign-in page prerendered at
 * build time (scripts/prerender-sign-in.ts), served in the language the app will choose (the host picks
 * the page: common/first-paint.ts), and the app takes it over without losing what the administrator did
 * meanwhile. The app's scripts (all but the page's small boot script) are held back (or refused) through
 * Playwright's routing, so "before the app has started" lasts as long as a test needs.
 */
import { expect, test, type Page, type Route } from '@playwright/test';
import de from '../../renderer/i18n/messages/de';
import en, { type Messages } from '../../renderer/i18n/messages/en';
import es from '../../renderer/i18n/messages/es';
import fr from '../../renderer/i18n/messages/fr';
import { ADMIN, openApp, screenshot, signIn, useAdminApp, type AdminApp } from './support/admin-app';

let app: AdminApp;
useAdminApp((started) => {
  app = started;
});

/** The app's own scripts (not the boot script): held until `release()`, or refused. */
async function holdAppScripts(page: Page, refuse = false): Promise<{ release(): void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/(?!boot-)[^/]+\.js$/, async (route: Route) => {
    if (refuse) return route.abort();
    await released;
    return route.continue();
  });
  return { release };
}

const prerendered = (page: Page) => page.locator('#app > [data-prerendered]');
/** The app has mounted: the prerendered page is gone and the form's handlers are live. */
async function expectTakenOver(page: Page): Promise<void> {
  await expect(prerendered(page)).toHaveCount(0, { timeout: 30_000 });
}

/**
 * The form's markup, canonical: attributes sorted, styles as the browser reads them, class lists sorted;
 * left out: ids and the references to them (each render numbers its own), comments, what the
 * administrator's input changes (value, checked) and the `indeterminate` flag the server writes as an
 * attribute where the browser sets a property.
 */
async function formMarkup(page: Page): Promise<string> {
  // Run in the page (a string: this program has no DOM types).
  return page.evaluate(`(() => {
    const ignored = new Set(['id', 'for', 'aria-describedby', 'aria-labelledby', 'aria-controls', 'autofocus', 'value', 'checked', 'indeterminate']);
    const canonical = (node) => {
      if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
      if (node.nodeType !== Node.ELEMENT_NODE) return '';
      const attributes = Array.from(node.attributes)
        .filter((attribute) => !ignored.has(attribute.name))
        .map((attribute) => {
          if (attribute.name === 'class') return 'class="' + [...node.classList].sort().join(' ') + '"';
          if (attribute.name === 'style') return 'style="' + node.style.cssText + '"';
          return attribute.name + '="' + attribute.value + '"';
        })
        .filter((attribute) => attribute !== 'style=""')
        .sort();
      const tag = node.tagName.toLowerCase();
      return '<' + [tag, ...attributes].join(' ') + '>' + Array.from(node.childNodes).map(canonical).join('') + '</' + tag + '>';
    };
    return canonical(document.querySelector('#app form'));
  })()`);
}

/**
 * Records what is still moving in the second frame after the app has taken over (the label of a
 * field that takes the focus floats up over 150 ms unless the takeover puts it at its end).
 */
const WATCH_TAKE_OVER = `(() => {
  const app = document.getElementById('app');
  const observer = new MutationObserver(() => {
    if (app.querySelector(':scope > [data-prerendered]') !== null) return;
    observer.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => {
      window.movingAfterTakeOver = document.getAnimations()
        .filter((animation) => Number.isFinite(animation.effect?.getComputedTiming().endTime))
        .map((animation) => animation.effect?.target?.className ?? '?');
    }));
  });
  observer.observe(app, { childList: true });
})()`;

test.describe('the prerendered sign-in page', () => {
  test.use({ locale: 'en-US', viewport: { width: 1024, height: 700 } });

  test('is painted with the app\'s scripts refused, focused on Email, without a token, and cannot be posted', async ({ page }) => {
    await holdAppScripts(page, true);
    const url = app.web.host.newPageUrl();
    const token = new URL(url).hash.slice(1);
    const response = await page.goto(url, { waitUntil: 'commit' });
    const html = (await response?.text()) ?? '';
    expect(html).toContain('data-prerendered="en"');
    // Nothing but HTML and CSS before the first frame: one script, a module, and no module preloaded.
    expect(html.match(/<script[ >]/g)).toEqual(['<script ']);
    expect(html).toMatch(/<script type="module" src="\.\/assets\/boot-[^"]+\.js" data-app=/);
    expect(html).not.toContain('modulepreload');
    expect(token.length).toBeGreaterThan(8);
    expect(html).not.toContain(token);
    await expect(page.getByRole('heading', { name: en.signIn.titleSignIn })).toBeVisible();
    const email = page.getByLabel(en.credentials.email);
    await expect(email).toBeVisible();
    await expect(email).toBeFocused();
    await expect(page.getByRole('button', { name: en.credentials.signIn })).toBeVisible();
    await screenshot(page, 'first-paint-prerendered');
    // A sign-in sent now is held (by the boot script): the browser posts nothing anywhere.
    await email.fill(ADMIN.email);
    await page.getByLabel(en.password.label, { exact: true }).fill(ADMIN.password);
    await page.keyboard.press('Enter');
    await expect(page.locator('form[data-submit-queued]')).toHaveCount(1);
    expect(new URL(page.url()).search).toBe('');
    await expect(prerendered(page)).toHaveCount(1);
  });

  test('is the form the app mounts: same markup, same look', async ({ page }) => {
    const scripts = await holdAppScripts(page);
    await page.goto(app.web.host.newPageUrl(), { waitUntil: 'commit' });
    await expect(prerendered(page)).toHaveCount(1);
    const before = await formMarkup(page);
    await screenshot(page, 'first-paint-before-app');
    await page.evaluate(WATCH_TAKE_OVER);
    scripts.release();
    await expectTakenOver(page);
    await expect.poll(() => page.evaluate('window.movingAfterTakeOver')).toEqual([]);
    await expect(page.getByLabel(en.credentials.email)).toBeFocused();
    await screenshot(page, 'first-paint-after-app'); // once transitions have ended
    const after = await formMarkup(page);
    expect(after).toBe(before);
  });

  // The boot script holds the click (renderer/prerender/boot.ts); the app repeats it on its own button.
  for (const { name, button, opens } of [
    { name: 'the Language menu opens', button: (page: Page) => page.getByTestId('language-menu'), opens: (page: Page) => page.getByRole('menu', { name: en.language.label }) },
    { name: 'the portal settings show', button: (page: Page) => page.getByRole('button', { name: en.credentials.portalSettings }), opens: (page: Page) => page.getByLabel(en.portalSettings.address) },
  ]) {
    test(`a click before the app took over is not lost: ${name}`, async ({ page }) => {
      const scripts = await holdAppScripts(page);
      await page.goto(app.web.host.newPageUrl(), { waitUntil: 'commit' });
      await expect(prerendered(page)).toHaveCount(1);
      await button(page).click();
      await expect(page.locator('[data-prerendered] button[data-click-queued]')).toHaveCount(1);
      scripts.release();
      await expectTakenOver(page);
      await expect(opens(page)).toBeVisible({ timeout: 30_000 });
    });
  }

  test('keeps what was typed before the app took over, and the focus', async ({ page }) => {
    const scripts = await holdAppScripts(page);
    await page.goto(app.web.host.newPageUrl(), { waitUntil: 'commit' });
    await expect(prerendered(page)).toHaveCount(1);
    await page.keyboard.type(ADMIN.email); // Email has the focus from the first paint
    const password = page.getByLabel(en.password.label, { exact: true });
    await password.click();
    await page.keyboard.type('half-typed');
    await page.getByLabel(en.credentials.rememberMe).check();
    await password.focus();
    scripts.release();
    await expectTakenOver(page);
    await expect(page.getByLabel(en.credentials.email)).toHaveValue(ADMIN.email);
    await expect(password).toHaveValue('half-typed');
    await expect(password).toBeFocused();
    await expect(page.getByLabel(en.credentials.rememberMe)).toBeChecked();
    // The app's own form: its handlers answer (the field's value is the component's model).
    await page.keyboard.type('!');
    await expect(password).toHaveValue('half-typed!');
    await page.getByLabel(en.credentials.email).fill('not-an-address');
    await page.getByRole('button', { name: en.credentials.signIn }).click();
    await expect(page.getByText(en.credentials.emailInvalid.replace("{'@'}", '@'))).toBeVisible();
  });
});

test.describe('with the OS in dark mode', () => {
  test.use({ locale: 'en-US', colorScheme: 'dark', viewport: { width: 1024, height: 700 } });

  test('the prerendered page is painted in the dark theme the app shows', async ({ page }) => {
    const scripts = await holdAppScripts(page);
    await page.goto(app.web.host.newPageUrl(), { waitUntil: 'commit' });
    await expect(prerendered(page)).toHaveCount(1);
    const colours = () =>
      page.evaluate(`(() => {
        const style = (selector) => getComputedStyle(document.querySelector(selector));
        return { page: style('#app .v-application').backgroundColor, card: style('#app .v-card').backgroundColor, text: style('#app h1').color, button: style('#app button[type="submit"]').backgroundColor };
      })()`);
    const before = await colours();
    await screenshot(page, 'first-paint-before-app-dark');
    scripts.release();
    await expectTakenOver(page);
    await screenshot(page, 'first-paint-after-app-dark');
    expect(before).toEqual(await colours());
    expect(before).toMatchObject({ page: 'rgb(18, 20, 23)', card: 'rgb(28, 31, 36)' }); // the dark theme's background and surface
  });
});

const LANGUAGES: { tag: string; name: string; messages: Messages }[] = [
  { tag: 'de-DE', name: 'de', messages: de },
  { tag: 'fr-FR', name: 'fr', messages: fr },
  { tag: 'es-ES', name: 'es', messages: es },
];

for (const language of LANGUAGES) {
  test.describe(`with the browser in ${language.tag}`, () => {
    test.use({ locale: language.tag, viewport: { width: 1024, height: 700 } });

    test('the first paint is in the language the app chooses, and never in English', async ({ page }) => {
      const m = language.messages;
      const scripts = await holdAppScripts(page);
      const response = await page.goto(app.web.host.newPageUrl(), { waitUntil: 'commit' });
      // The host served this language's page (the browser's Accept-Language), and no other.
      const html = (await response?.text()) ?? '';
      expect(html.match(/data-prerendered="[a-z]+"/g)).toEqual([`data-prerendered="${language.name}"`]);
      await expect(prerendered(page)).toHaveCount(1);
      expect(await page.locator('html').getAttribute('lang')).toBe(language.name);
      await expect(page.getByRole('heading', { name: m.signIn.titleSignIn })).toBeVisible();
      await expect(page.getByLabel(m.credentials.email)).toBeFocused();
      await expect(page.getByText(en.credentials.rememberMe)).toHaveCount(0);
      await screenshot(page, `first-paint-prerendered-${language.name}`);
      scripts.release();
      await expectTakenOver(page);
      expect(await page.locator('html').getAttribute('lang')).toBe(language.name);
      await expect(page.getByRole('heading', { name: m.signIn.titleSignIn })).toBeVisible();
    });
  });
}

test.describe('with a Language setting other than the browser\'s', () => {
  test.use({ locale: 'en-US', viewport: { width: 1024, height: 700 } });

  test('the next first paint is in the chosen language', async ({ page, browser }) => {
    await openApp(page, app);
    await page.getByTestId('language-menu').click();
    await page.getByRole('menuitemradio', { name: 'Français' }).click();
    await expect(page.getByRole('heading', { name: fr.signIn.titleSignIn })).toBeVisible();
    try {
      await page.goto('about:blank');
      const scripts = await holdAppScripts(page);
      await page.goto(app.web.host.newPageUrl(), { waitUntil: 'commit' });
      await expect(prerendered(page)).toHaveCount(1);
      await expect(page.getByRole('heading', { name: fr.signIn.titleSignIn })).toBeVisible();
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      scripts.release();
      await expectTakenOver(page);
      await expect(page.getByRole('heading', { name: fr.signIn.titleSignIn })).toBeVisible();
      // A browser profile that never showed this origin (browser mode on another port than last time):
      // the host's page address names the chosen language.
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 700 } });
      try {
        const fresh = await context.newPage();
        const freshScripts = await holdAppScripts(fresh);
        const url = app.web.host.newPageUrl();
        await fresh.goto(url, { waitUntil: 'commit' });
        await expect(prerendered(fresh)).toHaveCount(1);
        await expect(fresh.getByRole('heading', { name: fr.signIn.titleSignIn })).toBeVisible();
        await expect(fresh.getByText(en.credentials.rememberMe)).toHaveCount(0);
        expect(await fresh.locator('html').getAttribute('lang')).toBe('fr');
        expect(new URL(url).searchParams.get('locale')).toBe('fr');
        freshScripts.release();
        await expectTakenOver(fresh);
        await expect(fresh.getByRole('heading', { name: fr.signIn.titleSignIn })).toBeVisible();
      } finally {
        await context.close();
      }
    } finally {
      await page.unrouteAll();
      await page.goto('about:blank');
      await page.goto(app.web.host.newPageUrl());
      await expectTakenOver(page);
      await page.getByTestId('language-menu').click();
      await page.getByRole('menuitemradio', { name: /^Auto/ }).click();
      await expect(page.getByRole('heading', { name: en.signIn.titleSignIn })).toBeVisible();
    }
  });
});

test.describe('a page that resumes a session', () => {
  test.use({ locale: 'en-US', viewport: { width: 1024, height: 700 } });

  test('shows no sign-in form before the app shows the session (a reload; a new tab opened while signed in)', async ({ page, browser }) => {
    await signIn(page, app);
    // index.html links the sign-in page's stylesheets; the app's loader and the signed-in screens' chunks,
    // which depend on some of them, did not add or fetch them again (a second copy would change the cascade).
    const stylesheets = (await page.evaluate(`(() => ({
      linked: [...document.querySelectorAll('link[rel="stylesheet"]')].map((link) => link.href.replace(/^.*\\//, '')),
      fetched: performance.getEntriesByType('resource').map((entry) => entry.name.replace(/^.*\\//, '')).filter((name) => name.endsWith('.css')),
    }))()`)) as { linked: string[]; fetched: string[] };
    expect(stylesheets.linked.length).toBeGreaterThan(3); // the sign-in page's and the signed-in screens' own
    expect(new Set(stylesheets.linked).size).toBe(stylesheets.linked.length);
    expect(new Set(stylesheets.fetched).size).toBe(stylesheets.fetched.length);
    // A reload of the tab: the app's scripts held, the page shows the app's background, no form.
    let scripts = await holdAppScripts(page);
    await page.reload({ waitUntil: 'commit' });
    await expect(prerendered(page)).toHaveCount(1);
    await expect(page.getByRole('heading', { name: en.signIn.titleSignIn })).toBeHidden();
    await expect(page.getByLabel(en.credentials.email)).toBeHidden();
    await expect(page.getByRole('button', { name: en.credentials.signIn })).toBeHidden();
    await expect(page.locator('html')).toHaveAttribute('data-resuming', '');
    await screenshot(page, 'first-paint-resuming');
    scripts.release();
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('html')).not.toHaveAttribute('data-resuming', '');
    // A new tab on the session, in a fresh profile, from the host's page address: the host knows the session.
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 700 } });
    try {
      const fresh = await context.newPage();
      scripts = await holdAppScripts(fresh);
      const url = app.web.host.newPageUrl();
      expect(new URL(url).searchParams.has('resume')).toBe(false);
      await fresh.goto(url, { waitUntil: 'commit' });
      await expect(prerendered(fresh)).toHaveCount(1);
      await expect(fresh.getByRole('heading', { name: en.signIn.titleSignIn })).toBeHidden();
      await expect(fresh.getByLabel(en.credentials.email)).toBeHidden();
      scripts.release();
      await expect(fresh.getByRole('button', { name: 'Sign out' })).toBeVisible({ timeout: 30_000 });
    } finally {
      await context.close();
    }
    // Signed out, a reload paints the sign-in form at once again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: en.signIn.titleSignIn })).toBeVisible({ timeout: 30_000 });
    scripts = await holdAppScripts(page);
    await page.reload({ waitUntil: 'commit' });
    await expect(prerendered(page)).toHaveCount(1);
    await expect(page.getByRole('heading', { name: en.signIn.titleSignIn })).toBeVisible();
    scripts.release();
    await expectTakenOver(page);
  });
});

// Last: it leaves a second-factor challenge open in the host, which a new page shows again.
test.describe('a sign-in sent from the prerendered page', () => {
  test.use({ locale: 'en-US', viewport: { width: 1024, height: 700 } });

  test('sends a sign-in sent before the app was ready once it is', async ({ page }) => {
    await openApp(page, app); // no session left by another test
    await page.goto('about:blank'); // a new document (the next address differs only in its #token)
    const scripts = await holdAppScripts(page);
    const url = app.web.host.newPageUrl();
    await page.goto(url, { waitUntil: 'commit' });
    await expect(prerendered(page)).toHaveCount(1);
    await page.getByLabel(en.credentials.email).fill(ADMIN.email);
    await page.getByLabel(en.password.label, { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: en.credentials.signIn }).click();
    scripts.release();
    await expect(page.getByRole('heading', { name: en.signIn.titleSecondFactor })).toBeVisible({ timeout: 30_000 });
    expect(new URL(page.url()).search).toBe('');
  });
});
