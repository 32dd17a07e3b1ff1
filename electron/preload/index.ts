/**
 * The sandboxed preload: exposes `window.portal` and nothing else. Bundled into one CommonJS file
 * (out/preload/index.cjs) because a sandboxed preload cannot load other modules.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createPortalBridge } from './portal-bridge';

contextBridge.exposeInMainWorld('portal', createPortalBridge(ipcRenderer));
