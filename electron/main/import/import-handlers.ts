import type { IMPORT_CHANNELS } from '../../../common/ipc';
import type { SomeChannelHandlers } from '../ipc/handlers';
import type { ImportService } from './import-service';

type ImportChannel = keyof typeof IMPORT_CHANNELS;

/** The `import:*` channels, answered by the import service (the composition root spreads them into the gate's table). */
export function importHandlers(imports: ImportService): SomeChannelHandlers<ImportChannel> {
  return {
    'import:get-state': async () => imports.getState(),
    'import:pick-file': () => imports.pickFile(),
    'import:upload-chunk': async (input) => imports.uploadChunk(input),
    'import:check': async () => imports.check(),
    'import:get-report': async () => imports.getReport(),
    'import:apply': async () => imports.apply(),
    'import:cancel': async () => imports.cancel(),
    'import:continue-apply': async () => imports.continueApply(),
    'import:result-file': async () => imports.resultFile(),
    'import:reset': async () => imports.reset(),
  };
}
