import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { BrowserWindow, OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import { IMPORT_MAX_FILE_BYTES } from '../../../common/ipc/import-channels';
import type { ImportFileDialog } from '../import/import-service';
import { ImportFileProblem } from '../import/read-csv';
import { shellStrings, type ShellStrings } from './shell-strings';

export interface ImportFileDialogOptions {
  showOpenDialog: (window: BrowserWindow | null, options: OpenDialogOptions) => Promise<OpenDialogReturnValue>;
  window: () => BrowserWindow | null;
  /** The dialog's words in the language the window shows (English when not given). */
  strings?: () => ShellStrings;
  /** Test seams. */
  fileSize?: (path: string) => Promise<number>;
  readBytes?: (path: string) => Promise<Uint8Array>;
}

/**
 * The native Open dialog for "Import phone numbers" (Electron): the file is read here, in main, so
 * its bytes never cross IPC; the renderer only learns its name and size.
 */
export function createImportFileDialog(options: ImportFileDialogOptions): ImportFileDialog {
  const fileSize = options.fileSize ?? (async (path: string) => (await stat(path)).size);
  const readBytes = options.readBytes ?? (async (path: string) => new Uint8Array(await readFile(path)));
  return {
    async openCsv() {
      const words = options.strings?.() ?? shellStrings('en');
      const answer = await options.showOpenDialog(options.window(), {
        title: words.importDialogTitle,
        buttonLabel: words.importDialogButton,
        properties: ['openFile'],
        filters: [
          { name: words.csvFilter, extensions: ['csv', 'txt'] },
          { name: words.allFiles, extensions: ['*'] },
        ],
      });
      const path = answer.canceled ? undefined : answer.filePaths[0];
      if (!path) return null;
      const size = await fileSize(path);
      if (size > IMPORT_MAX_FILE_BYTES) {
        const max = IMPORT_MAX_FILE_BYTES / (1024 * 1024);
        throw new ImportFileProblem('file_too_large', `"${basename(path)}" is larger than ${max} MiB; split it into smaller files.`, { name: basename(path), max });
      }
      if (size === 0) throw new ImportFileProblem('file_empty', `"${basename(path)}" is empty.`, { name: basename(path) });
      return { name: basename(path), bytes: await readBytes(path) };
    },
  };
}
