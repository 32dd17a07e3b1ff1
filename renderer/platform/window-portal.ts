import type { PortalApi } from '../../common/ipc';

declare global {
  interface Window {
    /** Set by the Electron preload, or by connectPortal() in browser mode. Prefer connectPortal()'s result. */
    readonly portal?: PortalApi;
  }
}

export {};
