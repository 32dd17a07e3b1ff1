/**
 * The order in which the desktop app starts, apart from Electron's objects (index.ts supplies
 * them), so it can be tested in plain Node.
 */

export interface DesktopStartup<TServices> {
  whenReady(): Promise<void>;
  /** What must exist before the services: the logger, the session's security, the app:// handler. */
  prepare(): void;
  /** The services; `restoreWaitMs` is passed through to `createServices`. */
  createServices(timing: { restoreWaitMs: number }): Promise<TServices>;
  /** The services exist: from here on, quitting must dispose them. */
  onServices(services: TServices): void;
  installMenu(services: TServices): void;
  registerIpc(services: TServices): void;
  openWindow(): void;
}

/**
 * Ready → services → menu and IPC → the window. A remembered sign-in is restored in the
 * background (a portal round trip that may time out, a keychain that may ask to be unlocked): the
 * window opens at once on the sign-in screen and follows `auth:state-changed` when it is done.
 */
export async function startDesktop<TServices>(startup: DesktopStartup<TServices>): Promise<TServices> {
  await startup.whenReady();
  startup.prepare();
  const services = await startup.createServices({ restoreWaitMs: 0 });
  startup.onServices(services);
  startup.installMenu(services);
  startup.registerIpc(services);
  startup.openWindow();
  return services;
}

export interface WindowPresence {
  /** False until the services and IPC are up (a window before then could not talk to main). */
  isStarted(): boolean;
  hasWindow(): boolean;
  openWindow(): void;
  focusWindow(): void;
}

/**
 * A second launch (`second-instance`) or a click on the macOS dock icon (`activate`): bring the
 * window forward, or open one when there is none (macOS keeps the app running with every window
 * closed, and a second launch then must not do nothing).
 */
export function showOrOpenWindow(presence: WindowPresence): void {
  if (!presence.isStarted()) return; // the window opens when the start finishes
  if (presence.hasWindow()) presence.focusWindow();
  else presence.openWindow();
}
