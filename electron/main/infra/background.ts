import { backgroundRunner, type BackgroundRunner } from '../../../common/background';
import type { Logger } from '../log';

export type { BackgroundRunner } from '../../../common/background';

/**
 * Main's background runner: a failure is logged as a warning with what was being done, never an
 * unhandled rejection (which would end the main process).
 */
export function loggingBackgroundRunner(log: Logger): BackgroundRunner {
  return backgroundRunner((what, error) => log.warn(`${what} failed`, { error }));
}

export function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds).unref());
}
