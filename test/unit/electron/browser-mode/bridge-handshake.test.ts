import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BridgeClient, startHost, tokenOf } from './harness';

/** The doors into the bridge: Origin and Host checked at the upgrade, then a single-use token. */
describe('browser mode: bridge handshake', () => {
  let started: Awaited<ReturnType<typeof startHost>>;
  beforeAll(async () => {
    started = await startHost({ helloTimeoutMs: 300 });
  });
  afterAll(async () => started.close());

  it('accepts the printed token once, answers with the next token, and lets calls through the gate', async () => {
    const token = tokenOf(started.host.newPageUrl());
    const { client, nextToken } = await BridgeClient.authenticated(started.host, token);
    expect(nextToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(nextToken).not.toBe(token);
    client.send({ id: 1, channel: 'auth:get-state', payload: {} });
    expect(await client.nextMessage()).toEqual({ id: 1, result: { ok: true, value: { channel: 'auth:get-state', echo: {} } } });
    const call = started.fake.calls.at(-1);
    expect(call?.sender).toEqual({ transport: 'websocket', origin: started.host.origin, authenticated: true });
    client.socket.close();

    // The spent token is dead; the next one works (a reload), exactly once.
    const reused = await BridgeClient.connect(started.host);
    if (!('client' in reused)) throw new Error('upgrade refused');
    reused.client.send({ type: 'hello', token });
    expect(await reused.client.nextClose()).toEqual({ code: 1008, reason: 'access token wrong or already used' });
    const reload = await BridgeClient.authenticated(started.host, nextToken);
    reload.client.socket.close();
  });

  it('the URL printed at start works once', async () => {
    const { client } = await BridgeClient.authenticated(started.host, started.token);
    client.socket.close();
    await expect(BridgeClient.authenticated(started.host, started.token)).rejects.toThrow(/1008 access token wrong or already used/);
  });

  it.each([
    ['no token', { type: 'hello' }, 'access token missing'],
    ['an empty token', { type: 'hello', token: '' }, 'access token missing'],
    ['a wrong token', { type: 'hello', token: 'A'.repeat(43) }, 'access token wrong or already used'],
    ['a token of the wrong type', { type: 'hello', token: ['x'] }, 'access token missing'],
    ['a call before the hello', { id: 1, channel: 'auth:get-state', payload: {} }, 'first frame must be the hello with the access token'],
    ['malformed JSON before the hello', '{"type":"hello",', 'first frame must be the hello with the access token'],
  ])('closes with 1008 for %s, and never reaches the gate', async (_name, frame, reason) => {
    const callsBefore = started.fake.calls.length;
    const connected = await BridgeClient.connect(started.host);
    if (!('client' in connected)) throw new Error('upgrade refused');
    connected.client.send(frame);
    expect(await connected.client.nextClose()).toEqual({ code: 1008, reason });
    expect(started.fake.calls.length).toBe(callsBefore);
  });

  it('closes a socket that never says hello', async () => {
    const connected = await BridgeClient.connect(started.host);
    if (!('client' in connected)) throw new Error('upgrade refused');
    expect(await connected.client.nextClose()).toEqual({ code: 1008, reason: 'no hello with the access token in time' });
  });

  it.each([
    ['a foreign site', 'http://evil.test'],
    ['localhost instead of 127.0.0.1', 'http://localhost:PORT'],
    ['an opaque origin', 'null'],
    ['https on the same host and port', 'https://127.0.0.1:PORT'],
    ['another port', 'http://127.0.0.1:1'],
    ['a trailing slash', 'http://127.0.0.1:PORT/'],
    ['no Origin header', null],
  ])('refuses the upgrade from %s before the socket opens', async (_name, origin) => {
    const token = tokenOf(started.host.newPageUrl());
    const result = await BridgeClient.connect(started.host, { origin: origin?.replace('PORT', String(started.host.port)) ?? null });
    expect(result).toEqual({ refused: 403 });
    // The token was never offered, so it is still good for the real page.
    (await BridgeClient.authenticated(started.host, token)).client.socket.close();
  });

  it.each([
    ['DNS rebinding', 'evil.test:PORT'],
    ['localhost', 'localhost:PORT'],
    ['no port', '127.0.0.1'],
  ])('refuses a foreign Host header (%s) even with the right Origin', async (_name, hostHeader) => {
    const result = await BridgeClient.connect(started.host, { host: hostHeader.replace('PORT', String(started.host.port)) });
    expect(result).toEqual({ refused: 403 });
  });

  it('refuses other paths, and a token in the query string', async () => {
    expect(await BridgeClient.connect(started.host, { path: '/other' })).toEqual({ refused: 404 });
    expect(await BridgeClient.connect(started.host, { path: `/bridge?token=${tokenOf(started.host.newPageUrl())}` })).toEqual({ refused: 404 });
  });
});

describe('browser mode: connection cap', () => {
  it('refuses pages beyond the cap until one closes (sockets still waiting for their hello do not count)', async () => {
    const started = await startHost({ maxConnections: 2 });
    try {
      const first = await BridgeClient.authenticated(started.host, tokenOf(started.host.newPageUrl()));
      const second = await BridgeClient.authenticated(started.host, tokenOf(started.host.newPageUrl()));
      expect(await BridgeClient.connect(started.host)).toEqual({ refused: 503 });
      first.client.socket.close();
      await first.client.nextClose();
      // The host forgets the socket when its side of the close completes: retry briefly.
      await vi.waitFor(async () => {
        const third = await BridgeClient.connect(started.host);
        if (!('client' in third)) throw new Error(`still refused: ${third.refused}`);
        third.client.socket.close();
      });
      second.client.socket.close();
    } finally {
      await started.close();
    }
  });
});

describe('browser mode: a page’s next token', () => {
  it('an open page gets a fresh next token regularly, and the one it replaces dies', async () => {
    const started = await startHost({ nextTokenRefreshMs: 400 });
    try {
      const { client, nextToken: first } = await BridgeClient.authenticated(started.host, tokenOf(started.host.newPageUrl()));
      const refreshed = await client.nextMessage();
      expect(refreshed).toMatchObject({ type: 'welcome', nextToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
      const second = refreshed.nextToken as string;
      expect(second).not.toBe(first);
      client.socket.close();
      await expect(BridgeClient.authenticated(started.host, first)).rejects.toThrow(/1008 access token wrong or already used/);
      const reload = await BridgeClient.authenticated(started.host, second);
      reload.client.socket.close();
    } finally {
      await started.close();
    }
  });
});
