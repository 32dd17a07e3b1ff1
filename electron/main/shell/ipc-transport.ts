import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { fail, IPC_CHANNELS, isIpcEvent, type IpcChannel, type IpcResult } from '../../../common/ipc';
import type { Gate, Sender } from '../ipc/gate';
import type { Logger } from '../log';
import { isAllowedNavigation } from './navigation-policy';

/**
 * The Electron transport of the one handler gate: one `ipcMain.handle` per contract channel, each
 * passing the raw payload and a description of the sending frame to `gate.invoke`, which checks
 * the sender, validates and answers with an envelope. Service events go to our window only.
 */

/** The parts of an invoke event the sender description is made from. */
export type InvokeEventLike = Pick<IpcMainInvokeEvent, 'senderFrame'> & {
  sender: Pick<WebContents, 'id' | 'mainFrame'>;
};

export type ElectronSender = Extract<Sender, { transport: 'electron' }>;

/** Who sent this call: the frame's URL, whether it is the top frame, which WebContents. */
export function senderFromInvokeEvent(event: InvokeEventLike): ElectronSender {
  const frame = event.senderFrame;
  let isMainFrame = false;
  if (frame) {
    const main = event.sender.mainFrame;
    // The wrapper objects are cached per frame, but compare the frame's identity too rather
    // than rely on that; `parent === null` alone would also be true of a fenced frame's root.
    isMainFrame =
      frame.parent === null &&
      (frame === main ||
        (frame.frameTreeNodeId === main.frameTreeNodeId && frame.processId === main.processId && frame.routingId === main.routingId));
  }
  return { transport: 'electron', frameUrl: frame?.url ?? '', isMainFrame, webContentsId: event.sender.id };
}

export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;
export type EventTarget = Pick<WebContents, 'isDestroyed' | 'send' | 'getURL'>;

export interface IpcTransportOptions {
  ipcMain: IpcMainLike;
  gate: Pick<Gate, 'invoke' | 'onEvent'>;
  /** Where service events go: our main window's WebContents (none while it is closed). */
  getEventTargets: () => readonly EventTarget[];
  log?: Pick<Logger, 'error'>;
}

export const ELECTRON_CHANNELS = Object.freeze(Object.keys(IPC_CHANNELS) as IpcChannel[]);

/** Registers every channel; returns a function that removes them all again. */
export function registerIpcTransport(options: IpcTransportOptions): () => void {
  const { ipcMain, gate, log } = options;
  for (const channel of ELECTRON_CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, payload: unknown): Promise<IpcResult<unknown>> => {
      try {
        return await gate.invoke(channel, payload, senderFromInvokeEvent(event));
      } catch (error) {
        // The gate answers every call with an envelope; this only guards against a bug in it,
        // so the renderer gets a contract error rather than Electron's serialised exception.
        log?.error('The IPC gate threw', { channel, error });
        return fail('server', 'Something went wrong in Portal Admin. Please try again.');
      }
    });
  }
  const unsubscribe = gate.onEvent((event, payload) => {
    if (!isIpcEvent(event)) return;
    for (const target of options.getEventTargets()) {
      if (target.isDestroyed() || !isAllowedNavigation(target.getURL())) continue;
      target.send(event, payload);
    }
  });
  return () => {
    unsubscribe();
    for (const channel of ELECTRON_CHANNELS) ipcMain.removeHandler(channel);
  };
}
