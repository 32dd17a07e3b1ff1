export { startBrowserMode, type BrowserModeHost, type BrowserModeOptions, type BrowserModePortal } from './start-browser-mode';
export { isRendererBuildStale, RENDERER_SOURCES } from './renderer-freshness';
export type { BridgeGate, WebSocketSender } from './bridge-gate';
export * from './launch-page';
