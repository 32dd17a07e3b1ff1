import type { Logger } from '../log';
import { loggingBackgroundRunner } from '../infra/background';

/** The part of Electron's `powerMonitor` used here. */
export interface PowerEvents {
  on(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
  off(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
}

/**
 * After sleep (or a locked screen) the network has often changed: probe the portal at once rather
 * than when the backoff next allows. The window does the same on the browser's `online` event.
 */
export function probeOnWake(power: PowerEvents, connection: { probe(): Promise<unknown> }, log: Logger): () => void {
  const runInBackground = loggingBackgroundRunner(log);
  const onWake = (): void => runInBackground('probing the portal after a wake-up', () => connection.probe());
  power.on('resume', onWake);
  power.on('unlock-screen', onWake);
  return () => {
    power.off('resume', onWake);
    power.off('unlock-screen', onWake);
  };
}
