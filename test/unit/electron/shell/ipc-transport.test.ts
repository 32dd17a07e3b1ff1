import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, type IpcEvent, type IpcResult } from '../../../../common/ipc';
import type { Gate, Sender } from '../../../../electron/main/ipc/gate';
import { registerIpcTransport, senderFromInvokeEvent, type InvokeEventLike, type IpcMainLike, type EventTarget } from '../../../../electron/main/shell/ipc-transport';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  asElectron(): IpcMainLike {
    return this as unknown as IpcMainLike;
  }
}

function fakeGate() {
  let eventListener: ((event: IpcEvent, payload: unknown) => void) | null = null;
  const unsubscribe = vi.fn();
  const gate = {
    invoke: vi.fn<Gate['invoke']>(async (): Promise<IpcResult<unknown>> => ({ ok: true, value: 'answer' })),
    onEvent: vi.fn((listener: (event: IpcEvent, payload: unknown) => void) => {
      eventListener = listener;
      return unsubscribe;
    }),
  };
  return { gate, unsubscribe, emit: (event: IpcEvent, payload: unknown) => eventListener?.(event, payload) };
}

interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  frameTreeNodeId: number;
  processId: number;
  routingId: number;
}
const mainFrame: FakeFrame = { url: 'app://portal-admin/index.html', parent: null, frameTreeNodeId: 1, processId: 4, routingId: 1 };
const subFrame: FakeFrame = { url: 'app://portal-admin/index.html', parent: mainFrame, frameTreeNodeId: 2, processId: 4, routingId: 2 };

function invokeEvent(senderFrame: FakeFrame | null, id = 7, main: FakeFrame = mainFrame): InvokeEventLike {
  return { sender: { id, mainFrame: main }, senderFrame } as unknown as InvokeEventLike;
}

describe('Electron IPC transport', () => {
  it('registers exactly the contract channels, once each', () => {
    const ipcMain = new FakeIpcMain();
    registerIpcTransport({ ipcMain: ipcMain.asElectron(), gate: fakeGate().gate, getEventTargets: () => [] });
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.keys(IPC_CHANNELS).sort());
  });

  it('passes the channel, the raw payload and the sender description to the gate', async () => {
    const ipcMain = new FakeIpcMain();
    const { gate } = fakeGate();
    registerIpcTransport({ ipcMain: ipcMain.asElectron(), gate, getEventTargets: () => [] });
    for (const channel of Object.keys(IPC_CHANNELS)) {
      const payload = { probe: channel };
      const answer = await ipcMain.handlers.get(channel)!(invokeEvent(mainFrame), payload, 'extra argument ignored');
      expect(answer).toEqual({ ok: true, value: 'answer' });
      expect(gate.invoke).toHaveBeenLastCalledWith(channel, payload, {
        transport: 'electron',
        frameUrl: 'app://portal-admin/index.html',
        isMainFrame: true,
        webContentsId: 7,
      } satisfies Sender);
    }
    expect(gate.invoke).toHaveBeenCalledTimes(Object.keys(IPC_CHANNELS).length);
  });

  it('describes subframes, lost frames and look-alike top frames as not the main frame', () => {
    expect(senderFromInvokeEvent(invokeEvent(subFrame))).toEqual({ transport: 'electron', frameUrl: 'app://portal-admin/index.html', isMainFrame: false, webContentsId: 7 });
    expect(senderFromInvokeEvent(invokeEvent(null))).toEqual({ transport: 'electron', frameUrl: '', isMainFrame: false, webContentsId: 7 });
    // A parentless frame that is not this WebContents' main frame (e.g. a fenced frame root).
    const detachedTop: FakeFrame = { ...mainFrame, frameTreeNodeId: 9, routingId: 9 };
    expect(senderFromInvokeEvent(invokeEvent(detachedTop)).isMainFrame).toBe(false);
    // Another wrapper object for the same main frame still counts.
    expect(senderFromInvokeEvent(invokeEvent({ ...mainFrame })).isMainFrame).toBe(true);
    expect(senderFromInvokeEvent(invokeEvent(mainFrame, 12)).webContentsId).toBe(12);
  });

  it('turns a throwing gate into a contract error, never an exception across IPC', async () => {
    const ipcMain = new FakeIpcMain();
    const { gate } = fakeGate();
    gate.invoke.mockRejectedValueOnce(new Error('boom with secret token abc'));
    const error = vi.fn();
    registerIpcTransport({ ipcMain: ipcMain.asElectron(), gate, getEventTargets: () => [], log: { error } });
    const answer = (await ipcMain.handlers.get('auth:get-state')!(invokeEvent(mainFrame), {})) as IpcResult<unknown>;
    expect(answer.ok).toBe(false);
    expect(JSON.stringify(answer)).not.toContain('secret token');
    expect(error).toHaveBeenCalledOnce();
  });

  it('forwards gate events to live windows on our app only', () => {
    const ipcMain = new FakeIpcMain();
    const { gate, emit } = fakeGate();
    const window = { isDestroyed: () => false, getURL: () => 'app://portal-admin/index.html', send: vi.fn() };
    const destroyed = { isDestroyed: () => true, getURL: () => 'app://portal-admin/index.html', send: vi.fn() };
    const elsewhere = { isDestroyed: () => false, getURL: () => 'https://evil.com/', send: vi.fn() };
    registerIpcTransport({ ipcMain: ipcMain.asElectron(), gate, getEventTargets: () => [window, destroyed, elsewhere] as unknown as EventTarget[] });
    emit('auth:state-changed', { signedIn: false });
    emit('not:an-event' as IpcEvent, { leak: true });
    expect(window.send.mock.calls).toEqual([['auth:state-changed', { signedIn: false }]]);
    expect(destroyed.send).not.toHaveBeenCalled();
    expect(elsewhere.send).not.toHaveBeenCalled();
  });

  it('removes every handler and the event subscription when disposed', () => {
    const ipcMain = new FakeIpcMain();
    const { gate, unsubscribe } = fakeGate();
    const dispose = registerIpcTransport({ ipcMain: ipcMain.asElectron(), gate, getEventTargets: () => [] });
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
    expect(unsubscribe).toHaveBeenCalledOnce();
  });
});

describe('Electron IPC transport with the real gate and sender policy', () => {
  async function setUp() {
    const { createGate } = await import('../../../../electron/main/ipc/gate');
    const { isTrustedElectronSender } = await import('../../../../electron/main/shell/sender-policy');
    const { silentLogger } = await import('../../../../electron/main/log');
    const getState = vi.fn(async () => ({ signedIn: false, user: null, expiresAt: null, pending: null, portalUrl: 'https://portal.acme.test' }));
    const services = { handlers: { 'auth:get-state': getState }, emitter: { onEvent: () => () => undefined }, log: silentLogger };
    const gate = createGate({
      services: services as unknown as Parameters<typeof createGate>[0]['services'],
      isTrustedSender: (sender) => isTrustedElectronSender(sender, 7),
      log: silentLogger,
    });
    const ipcMain = new FakeIpcMain();
    registerIpcTransport({ ipcMain: ipcMain.asElectron(), gate, getEventTargets: () => [] });
    return { ipcMain, getState };
  }

  it('answers the top frame of our window', async () => {
    const { ipcMain, getState } = await setUp();
    const answer = (await ipcMain.handlers.get('auth:get-state')!(invokeEvent(mainFrame), {})) as IpcResult<unknown>;
    expect(answer.ok).toBe(true);
    expect(getState).toHaveBeenCalledOnce();
  });

  it('refuses forged senders on every channel before any service runs', async () => {
    const { ipcMain, getState } = await setUp();
    const forged = [
      invokeEvent(subFrame),
      invokeEvent(null),
      invokeEvent(mainFrame, 8),
      invokeEvent({ ...mainFrame, url: 'https://evil.com/' }),
      invokeEvent({ ...mainFrame, url: 'app://portal-admin.evil/index.html' }),
    ];
    for (const channel of Object.keys(IPC_CHANNELS)) {
      for (const event of forged) {
        const answer = (await ipcMain.handlers.get(channel)!(event, {})) as IpcResult<unknown>;
        expect(answer.ok ? null : answer.error.code, channel).toBe('forbidden_sender');
      }
    }
    expect(getState).not.toHaveBeenCalled();
  });
});
