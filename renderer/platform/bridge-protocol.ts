/** Page side of the bridge protocol described in common/ipc/bridge-protocol.ts. */
export { BRIDGE_PATH, MAX_FRAME_BYTES, CLOSE_POLICY, type HelloFrame, type CallFrame } from '../../common/ipc/bridge-protocol';

export type HostFrame =
  | { kind: 'welcome'; nextToken: string }
  | { kind: 'result'; id: unknown; result: unknown }
  | { kind: 'event'; event: unknown; payload: unknown };

/** Reads one frame from the host; null for anything unrecognisable (ignored). */
export function parseHostFrame(text: string): HostFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const frame = value as Record<string, unknown>;
  if (frame.type === 'welcome') return typeof frame.nextToken === 'string' ? { kind: 'welcome', nextToken: frame.nextToken } : null;
  if (Object.hasOwn(frame, 'result')) return { kind: 'result', id: frame.id, result: frame.result };
  if (Object.hasOwn(frame, 'event')) return { kind: 'event', event: frame.event, payload: frame.payload };
  return null;
}
