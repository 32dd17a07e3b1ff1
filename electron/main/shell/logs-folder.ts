import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log';
import { fill, shellStrings, type ShellStrings } from './shell-strings';

/** Where the main process writes its log files: `<userData>/logs` (see electron/main/log). */
export function logDirectoryOf(userDataDir: string): string {
  return join(userDataDir, 'logs');
}

export interface OpenLogsFolderDependencies {
  directory: string;
  /** shell.openPath: resolves to '' when the folder was opened, else to an error message. */
  openPath: (path: string) => Promise<string>;
  /** dialog.showErrorBox */
  showError: (title: string, content: string) => void;
  log: Pick<Logger, 'warn'>;
  /** The error box's words in the language the window shows (English when not given). */
  strings?: ShellStrings;
}

/**
 * Help → Open Logs Folder: the OS file manager on the folder, so a user can attach the logs to a
 * support ticket (they hold no secrets: electron/main/log redacts every line). The folder is
 * created first, with the logger's permissions, because opening a missing path fails.
 * Resolves to whether the folder was opened.
 */
export async function openLogsFolder(dependencies: OpenLogsFolderDependencies): Promise<boolean> {
  let problem: string;
  try {
    mkdirSync(dependencies.directory, { recursive: true, mode: 0o700 });
    problem = await dependencies.openPath(dependencies.directory);
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  if (problem === '') return true;
  dependencies.log.warn('menu: the logs folder could not be opened', { reason: problem });
  const words = dependencies.strings ?? shellStrings('en');
  dependencies.showError(words.logsFolderFailed, `${problem}\n\n${fill(words.logsFolderWhere, { directory: dependencies.directory })}`);
  return false;
}
