import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { BrowserWindow, OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import { IMPORT_MAX_FILE_BYTES } from '../../../common/ipc/import-channels';
import type { ImportFileDialog } from '../import/import-service';
import { ImportFileProblem } from '../import/read-csv';

export interface ImportFileDialogOptions {
  showOpenDialog: (window: BrowserWindow | null, options: OpenDialogOptions) => Promise<OpenDialogReturnValue>;
  window: () => BrowserWindow | null;
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
      const answer = await options.showOpenDialog(options.window(), {
        title: 'Import phone numbers',
        buttonLabel: 'Choose',
        properties: ['openFile'],
        filters: [
          { name: 'CSV files', extensions: ['csv', 'txt'] },
          { name: 'All files', extensions: ['*'] },
        ],
      });
      const path = answer.canceled ? undefined : answer.filePaths[0];
      if (!path) return null;
      const size = await fileSize(path);
      if (size > IMPORT_MAX_FILE_BYTES) {
        throw new ImportFileProblem(`"${basename(path)}" is larger than ${IMPORT_MAX_FILE_BYTES / (1024 * 1024)} MiB; split it into smaller files.`);
      }
      if (size === 0) throw new ImportFileProblem(`"${basename(path)}" is empty.`);
      return { name: basename(path), bytes: await readBytes(path) };
    },
  };
}
