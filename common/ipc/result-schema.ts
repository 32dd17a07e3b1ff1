import { z } from 'zod';
import { IPC_ERROR_CODES, type IpcError } from './result';

export const ipcErrorCodeSchema = z.enum(IPC_ERROR_CODES);

export const ipcErrorSchema = z.object({
  code: ipcErrorCodeSchema,
  message: z.string(),
  fields: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).optional(),
  retryAfterSeconds: z.number().int().nonnegative().optional(),
  attemptsLeft: z.number().int().nonnegative().optional(),
  current: z.unknown().optional(),
}) satisfies z.ZodType<IpcError>;

// The schema and the interface in result.ts describe one shape: each must accept the other's values.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesInterface: Same<z.output<typeof ipcErrorSchema>, IpcError> = true;
void schemaMatchesInterface;
