import { describe, expect, it, vi } from 'vitest';
import { IMPORT_MAX_FILE_BYTES } from '../../../../common/ipc';
import { createImportFileDialog } from '../../../../electron/main/shell/import-file-dialog';

describe('the native Open dialog for imports', () => {
  it('reads the chosen file in main and hands over its name and bytes', async () => {
    const showOpenDialog = vi.fn(async () => ({ canceled: false, filePaths: ['/home/admin/Staff numbers.csv'] }));
    const dialog = createImportFileDialog({ showOpenDialog, window: () => null, fileSize: async () => 3, readBytes: async () => new Uint8Array([97, 44, 98]) });
    await expect(dialog.openCsv()).resolves.toEqual({ name: 'Staff numbers.csv', bytes: new Uint8Array([97, 44, 98]) });
    expect(showOpenDialog).toHaveBeenCalledWith(null, expect.objectContaining({ title: 'Import phone numbers', properties: ['openFile'] }));
  });

  it('cancelled: nothing', async () => {
    const dialog = createImportFileDialog({ showOpenDialog: async () => ({ canceled: true, filePaths: [] }), window: () => null });
    await expect(dialog.openCsv()).resolves.toBeNull();
  });

  it('a file over the limit is refused before it is read', async () => {
    const readBytes = vi.fn(async () => new Uint8Array());
    const dialog = createImportFileDialog({ showOpenDialog: async () => ({ canceled: false, filePaths: ['/tmp/huge.csv'] }), window: () => null, fileSize: async () => IMPORT_MAX_FILE_BYTES + 1, readBytes });
    await expect(dialog.openCsv()).rejects.toThrow('"huge.csv" is larger than 32 MiB; split it into smaller files.');
    await expect(dialog.openCsv()).rejects.toMatchObject({ code: 'file_too_large', params: { name: 'huge.csv', max: 32 } });
    expect(readBytes).not.toHaveBeenCalled();
  });
});
