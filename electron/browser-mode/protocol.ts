import { fail, type IpcResult } from '../../common/ipc';

/** Host side of the bridge protocol described in common/ipc/bridge-protocol.ts. */
export { BRIDGE_PATH, MAX_FRAME_BYTES, CLOSE_POLICY } from '../../common/ipc/bridge-protocol';

export const MAX_ID_LENGTH = 64;

export const CLOSE_GOING_AWAY = 1001;

/** Close reasons (a close reason is at most 123 bytes). */
export const CLOSE_REASONS = {
  tokenMissing: 'access token missing',
  tokenRefused: 'access token wrong or already used',
  helloExpected: 'first frame must be the hello with the access token',
  helloTimeout: 'no hello with the access token in time',
  shuttingDown: 'browser mode is shutting down',
} as const;

export type CallId = number | string;

export type ParsedFrame =
  | { kind: 'hello'; token: unknown }
  | { kind: 'call'; id: CallId; channel: unknown; payload: unknown }
  | { kind: 'malformed'; id: CallId | null; result: IpcResult<never> };

function isCallId(value: unknown): value is CallId {
  return (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) || (typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH);
}

/** Parses one text frame. Never throws: anything unusable becomes a `malformed` answer. */
export function parseFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'malformed', id: null, result: fail('invalid_input', 'The message is not valid JSON.') };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'malformed', id: null, result: fail('invalid_input', 'A message must be a JSON object.') };
  }
  const frame = value as Record<string, unknown>;
  if (frame.type === 'hello') return { kind: 'hello', token: frame.token };
  if (!isCallId(frame.id)) {
    return { kind: 'malformed', id: null, result: fail('invalid_input', 'A call needs an id: a non-negative integer or a short string.') };
  }
  if (!Object.hasOwn(frame, 'channel')) {
    return { kind: 'malformed', id: frame.id, result: fail('invalid_input', 'A call needs a channel.') };
  }
  // Channel and payload are checked by the gate, exactly as for Electron IPC.
  return { kind: 'call', id: frame.id, channel: frame.channel, payload: frame.payload };
}
