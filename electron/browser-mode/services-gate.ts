import { createGate, type Gate, type Sender } from '../main/ipc/gate';
import type { Logger } from '../main/log';
import { createServices, type ServicesPortalOption } from '../main/create-services';

/** Only a page that spent a valid token on its socket may reach the services. */
export function isTrustedBrowserSender(sender: Sender): boolean {
  return sender.transport === 'websocket' && sender.authenticated;
}

/** The real services behind the real IPC gate, as the Electron shell builds them. */
export async function createServicesGate(options: {
  userDataDir: string;
  portal?: ServicesPortalOption;
  /** Undefined: the OS keychain, unless PORTAL_ADMIN_KEYCHAIN=memory (tests). */
  keychain?: 'os' | 'memory';
  /** Undefined: the services' own log file under `<userDataDir>/logs`. */
  log?: Logger;
}): Promise<{ gate: Gate; log: Logger; pageLocale(): string | null; isResuming(): Promise<boolean>; dispose(): Promise<void> }> {
  const services = await createServices({ userDataDir: options.userDataDir, portal: options.portal, keychain: options.keychain, log: options.log });
  const gate = createGate({ services, isTrustedSender: isTrustedBrowserSender, log: services.log });
  // A chosen language (not "Auto", which follows the browser's languages here) names the page's first paint.
  const pageLocale = (): string | null => (services.language.get().setting === 'auto' ? null : services.language.locale());
  // Signed in, or a sign-in waiting for its code: a page opened now shows that, not the sign-in form.
  const isResuming = async (): Promise<boolean> => {
    const state = await services.auth.getState();
    return state.signedIn || state.pending !== null;
  };
  return { gate, log: services.log, pageLocale, isResuming, dispose: () => services.dispose() };
}
