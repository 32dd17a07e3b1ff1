import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, IPC_EVENTS, PORTAL_EVENTS, PORTAL_METHODS } from '../../../../common/ipc';
import { PRELOAD_CHANNELS, PRELOAD_EVENTS } from '../../../../electron/preload/portal-bridge';

/** A stand-in for ipcRenderer: a real EventEmitter, so listener bookkeeping is Node's own. */
class FakeIpcRenderer extends EventEmitter {
  readonly invoke = vi.fn(async (channel: string, input: unknown) => ({ ok: true as const, value: { channel, input } }));
}

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  ipcRenderer: null as unknown,
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      if (electron.exposed.has(key)) throw new Error(`${key} exposed twice`);
      electron.exposed.set(key, api);
    },
  },
  get ipcRenderer() {
    return electron.ipcRenderer;
  },
}));

type Api = {
  auth: Record<string, (input?: unknown) => Promise<unknown>>;
  employees: Record<string, (input?: unknown) => Promise<unknown>>;
  settings: Record<string, (input?: unknown) => Promise<unknown>>;
  events: Record<string, (listener: (payload: unknown) => void) => () => void>;
};

describe('preload', () => {
  let ipc: FakeIpcRenderer;
  let portal: Api;

  beforeEach(async () => {
    vi.resetModules();
    electron.exposed.clear();
    ipc = new FakeIpcRenderer();
    electron.ipcRenderer = ipc;
    await import('../../../../electron/preload/index');
    portal = electron.exposed.get('portal') as Api;
  });

  it('exposes exactly one key, `portal`, and no ipcRenderer anywhere in it', () => {
    expect([...electron.exposed.keys()]).toEqual(['portal']);
    const seen = new Set<unknown>();
    const walk = (value: unknown): void => {
      if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
      seen.add(value);
      expect(value).not.toBe(ipc);
      for (const key of Object.getOwnPropertyNames(value)) walk((value as Record<string, unknown>)[key]);
    };
    walk(portal);
    expect(Object.isFrozen(portal)).toBe(true);
  });

  it('has one function per contract channel and nothing generic', () => {
    expect(Object.keys(portal).sort()).toEqual([...Object.keys(PORTAL_METHODS), 'events'].sort());
    for (const [domain, methods] of Object.entries(PORTAL_METHODS)) {
      expect(Object.keys(portal[domain as keyof Api]).sort()).toEqual(Object.keys(methods).sort());
    }
    expect(Object.keys(portal.events).sort()).toEqual(Object.keys(PORTAL_EVENTS).sort());
    const generic = ['send', 'invoke', 'on', 'once', 'off', 'emit', 'ipc', 'ipcRenderer', 'sendSync', 'postMessage'];
    for (const key of [...Object.keys(portal), ...Object.values(portal).flatMap((group) => Object.keys(group as object))]) {
      expect(generic, `window.portal exposes a generic "${key}"`).not.toContain(key);
    }
  });

  it('allows exactly the contract channels and events', () => {
    expect([...PRELOAD_CHANNELS].sort()).toEqual(Object.keys(IPC_CHANNELS).sort());
    expect([...PRELOAD_EVENTS].sort()).toEqual(Object.keys(IPC_EVENTS).sort());
  });

  it('invokes the channel with the input and returns main\'s answer unchanged', async () => {
    const answer = await portal.employees.list!({ q: 'ada' });
    expect(ipc.invoke).toHaveBeenCalledExactlyOnceWith('employees:list', { q: 'ada' });
    expect(answer).toEqual({ ok: true, value: { channel: 'employees:list', input: { q: 'ada' } } });
    await portal.auth.getState!();
    expect(ipc.invoke).toHaveBeenLastCalledWith('auth:get-state', {});
  });

  it('delivers only the payload to a subscriber, never the IPC event', () => {
    const listener = vi.fn();
    portal.events.onAuthStateChanged!(listener);
    ipc.emit('auth:state-changed', { sender: ipc, senderId: 0 }, { signedIn: false });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ signedIn: false });
  });

  it('unsubscribe removes the very listener it added, once', () => {
    const on = vi.spyOn(ipc, 'on');
    const removeListener = vi.spyOn(ipc, 'removeListener');
    const listener = vi.fn();
    const unsubscribe = portal.events.onConnectionChanged!(listener);
    const added = on.mock.calls[0]![1];
    expect(ipc.listenerCount('connection:changed')).toBe(1);

    unsubscribe();
    expect(removeListener).toHaveBeenCalledExactlyOnceWith('connection:changed', added);
    expect(ipc.listenerCount('connection:changed')).toBe(0);
    ipc.emit('connection:changed', {}, { state: 'online', checkedAt: null });
    expect(listener).not.toHaveBeenCalled();

    unsubscribe();
    expect(removeListener).toHaveBeenCalledOnce();
  });

  it('keeps two subscriptions of the same function independent', () => {
    const listener = vi.fn();
    const first = portal.events.onAuthStateChanged!(listener);
    portal.events.onAuthStateChanged!(listener);
    first();
    ipc.emit('auth:state-changed', {}, { signedIn: true });
    expect(listener).toHaveBeenCalledOnce();
  });

  it('refuses a listener that is not a function', () => {
    expect(() => portal.events.onAuthStateChanged!('alert(1)' as unknown as () => void)).toThrow(TypeError);
    expect(ipc.listenerCount('auth:state-changed')).toBe(0);
  });
});
