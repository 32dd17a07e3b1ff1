import type { ChannelOutput, ChannelParsedInput, IMPORT_CHANNELS } from '../../../common/ipc';
import type { Services } from '../services/create-services';

type ImportChannel = keyof typeof IMPORT_CHANNELS;
type ImportHandlers = { [C in ImportChannel]: (services: Services, input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>> };

/** The `import:*` channels' service calls (the gate spreads them into its table). */
export const IMPORT_HANDLERS: ImportHandlers = {
  'import:get-state': async (services) => services.imports.getState(),
  'import:pick-file': (services) => services.imports.pickFile(),
  'import:upload-chunk': async (services, input) => services.imports.uploadChunk(input),
  'import:check': async (services) => services.imports.check(),
  'import:get-report': async (services) => services.imports.getReport(),
  'import:apply': async (services) => services.imports.apply(),
  'import:cancel': async (services) => services.imports.cancel(),
  'import:continue-apply': async (services) => services.imports.continueApply(),
  'import:result-file': async (services) => services.imports.resultFile(),
  'import:reset': async (services) => services.imports.reset(),
};
