export { connectPortal, bridgeStatus, onBridgeStatusChanged } from './connect-portal';
export type { BridgeState, BridgeStatus } from './websocket-transport';
