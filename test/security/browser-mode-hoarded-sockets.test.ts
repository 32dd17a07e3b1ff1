import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { BridgeClient, startHost, tokenOf } from '../unit/electron/browser-mode/harness';

/**
 * Attack: a local process opens WebSockets to the bridge and never authenticates, to fill the
 * connection cap so that the real page cannot connect (denial of service), and to keep them open
 * as long as it likes.
 */
let started: Awaited<ReturnType<typeof startHost>>;
beforeAll(async () => {
  // The defaults: 5 s to authenticate, 64 pages.
  started = await startHost();
});
afterAll(async () => started.close());

function idleSocket(origin: string): Promise<WebSocket | null> {
  return new Promise((done) => {
    const socket = new WebSocket(`${origin.replace('http:', 'ws:')}/bridge`, { origin });
    socket.on('open', () => done(socket));
    socket.on('unexpected-response', () => done(null));
    socket.on('error', () => done(null));
  });
}

describe('attack: hoarded sockets', () => {
  it('200 idle sockets from a local process neither keep the real page out nor stay open', async () => {
    const hoarded = (await Promise.all(Array.from({ length: 200 }, () => idleSocket(started.host.origin)))).filter((socket) => socket !== null);
    expect(hoarded.length).toBeGreaterThan(0);

    // The real page connects and works while the attacker's sockets are open.
    const { client } = await BridgeClient.authenticated(started.host, tokenOf(started.host.newPageUrl()));
    client.send({ id: 1, channel: 'auth:get-state', payload: {} });
    expect(await client.nextMessage()).toMatchObject({ id: 1, result: { ok: true } });

    // And the attacker's sockets are closed: none may wait for a hello for long.
    const closed = await Promise.all(
      hoarded.map(
        (socket) =>
          new Promise<boolean>((done) => {
            if (socket.readyState === WebSocket.CLOSED) return done(true);
            const timer = setTimeout(() => done(false), 15_000);
            socket.on('close', () => {
              clearTimeout(timer);
              done(true);
            });
          }),
      ),
    );
    expect(closed.every(Boolean)).toBe(true);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.socket.close();
  }, 60_000);
});
