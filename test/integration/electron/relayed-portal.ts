import { afterAll, beforeAll } from 'vitest';
import { startTestPortal, type TestPortal } from '../../support/portal';
import { startSwitchableRelay, type SwitchableRelay } from '../../support/switchable-relay';
import { servicesFor, type ServicesHandle } from './support';

export interface RelayedPortal {
  portal: TestPortal;
  relay: SwitchableRelay;
  handle: ServicesHandle;
}

/** For the file's tests: a test portal, a relay in front of it that can cut it off, services pointed at the relay. */
export function useRelayedPortal(): () => RelayedPortal {
  let setup: Partial<RelayedPortal> = {};
  beforeAll(async () => {
    const portal = await startTestPortal();
    const relay = await startSwitchableRelay(portal.url);
    const handle = await servicesFor(portal, { portal: { url: relay.url, caPem: portal.tls.cert, isDemo: true } });
    setup = { portal, relay, handle };
  }, 60_000);
  afterAll(async () => {
    await setup.handle?.close();
    await setup.relay?.close();
    await setup.portal?.close();
  });
  return () => {
    const { portal, relay, handle } = setup;
    if (!portal || !relay || !handle) throw new Error('the relayed portal has not started');
    return { portal, relay, handle };
  };
}
