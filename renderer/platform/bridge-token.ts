/**
 * Where the page keeps its bridge token. The host prints `http://127.0.0.1:PORT/#token=…`; the page
 * moves the token out of the address bar at once (history.replaceState, so it is neither in the
 * history nor on a screen share) into sessionStorage, which survives a reload of this tab only.
 * Every successful handshake spends the token and brings the next one, which replaces it.
 */
const storageKey = 'portal-admin:bridge-token';

export interface TokenPlace {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
}

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: a reload will need a new address, everything else works
  }
}

export function browserTokenPlace(): TokenPlace {
  return { location: window.location, history: window.history, storage: sessionStorageOrNull() };
}

function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && token.length <= 256 ? token : null;
}

/** The token this page load should spend: the address fragment first, then the tab's storage. */
export function takeBridgeToken(place: TokenPlace): string | null {
  const fromHash = tokenFromHash(place.location.hash);
  if (fromHash !== null) {
    place.history.replaceState(place.history.state, '', `${place.location.pathname}${place.location.search}`);
    keepBridgeToken(place, fromHash);
    return fromHash;
  }
  try {
    return place.storage?.getItem(storageKey) ?? null;
  } catch {
    return null;
  }
}

export function keepBridgeToken(place: TokenPlace, token: string): void {
  try {
    place.storage?.setItem(storageKey, token);
  } catch {
    // storage full or disabled: the token still lives in memory for reconnects
  }
}
