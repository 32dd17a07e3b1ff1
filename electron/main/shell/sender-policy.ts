import type { Sender } from '../ipc/gate';
import { isAllowedNavigation } from './navigation-policy';

/**
 * An IPC call is trusted only when it comes from the top frame of OUR window showing OUR app
 * (app://portal-admin). Subframes (there should be none: the CSP allows no frames), other windows
 * and anything that navigated elsewhere are refused, as VS Code's main process does.
 */
export function isTrustedElectronSender(sender: Sender, mainWindowWebContentsId: number | null): boolean {
  if (sender.transport !== 'electron') return false;
  if (mainWindowWebContentsId === null || sender.webContentsId !== mainWindowWebContentsId) return false;
  if (sender.isMainFrame !== true) return false;
  return isAllowedNavigation(sender.frameUrl);
}
