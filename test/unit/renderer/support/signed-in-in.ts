import { afterEach, beforeEach } from 'vitest';
import { setLocale, type UiLocale } from '../../../../renderer/i18n';
import { useAuthStore } from '../../../../renderer/stores/auth';
import { createFakePortal, signedIn } from './fake-portal';
import { setUpPortal, type Harness } from './mount';

/**
 * Each test of the file starts on an empty page, signed in (a fake portal) and in `locale`; English
 * again afterwards. `use` receives each test's harness.
 */
export function signedInIn(locale: UiLocale, use: (harness: Harness) => void): void {
  beforeEach(async () => {
    document.body.innerHTML = '';
    use(setUpPortal(createFakePortal()));
    useAuthStore().applyState(signedIn());
    await setLocale(locale);
  });
  afterEach(async () => {
    await setLocale('en');
  });
}
