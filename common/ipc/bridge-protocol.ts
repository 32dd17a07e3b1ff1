/**
 * The browser-mode bridge protocol, version 1 (JSON text frames over a WebSocket on 127.0.0.1).
 * Shared by the host (electron/browser-mode) and the page (renderer/platform).
 *
 *   page → host   {type:'hello', token}           first frame: the single-use access token
 *   host → page   {type:'welcome', nextToken}     the token for the next page load / reconnect (1 minute;
 *                                                 sent again every 30 s on an open page, the older one dying)
 *   page → host   {id, channel, payload}          one call, answered through the IPC gate
 *   host → page   {id, result}                    result envelope `{ok,value} | {ok:false,error}`
 *   host → page   {event, payload}                a main-process event
 *
 * A refused handshake closes with 1008 (policy violation) and a reason; oversized frames with 1009.
 */
export const BRIDGE_PATH = '/bridge';
/** The host refuses larger frames by closing the socket (1009), so the page never sends one. */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** The host refused the handshake: the token is missing, wrong or spent. The page does not retry. */
export const CLOSE_POLICY = 1008;

export interface HelloFrame {
  type: 'hello';
  token: string;
}
export interface CallFrame {
  id: number;
  channel: string;
  payload: unknown;
}
