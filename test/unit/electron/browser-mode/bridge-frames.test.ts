import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeClient, startHost, tokenOf } from './harness';

/** An authenticated socket: frames in, results out, and a bad frame never breaks the connection. */
describe('browser mode: bridge frames', () => {
  let started: Awaited<ReturnType<typeof startHost>>;
  beforeAll(async () => {
    started = await startHost();
  });
  afterAll(async () => started.close());

  const connect = async () => (await BridgeClient.authenticated(started.host, tokenOf(started.host.newPageUrl()))).client;

  it('answers malformed frames with an error and keeps the connection usable', async () => {
    const client = await connect();
    const bad: Array<[unknown, unknown]> = [
      ['{"id":1,', null],
      ['[1,2]', null],
      ['"text"', null],
      [{ channel: 'auth:get-state' }, null],
      [{ id: -1, channel: 'auth:get-state' }, null],
      [{ id: 'x'.repeat(65), channel: 'auth:get-state' }, null],
      [{ id: 7 }, 7],
      [{ type: 'hello', token: 'again' }, null],
    ];
    for (const [frame, id] of bad) {
      client.send(frame);
      const answer = await client.nextMessage();
      expect(answer, JSON.stringify(frame)).toMatchObject({ id, result: { ok: false, error: { code: 'invalid_input' } } });
    }
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.nextMessage()).toMatchObject({ id: null, result: { ok: false, error: { code: 'invalid_input' } } });

    client.send({ id: 'after', channel: 'settings:get', payload: {} });
    expect(await client.nextMessage()).toEqual({ id: 'after', result: { ok: true, value: { channel: 'settings:get', echo: {} } } });
    client.socket.close();
  });

  it('passes unknown channels and odd payloads to the gate, which decides', async () => {
    const client = await connect();
    client.send({ id: 1, channel: 'shell:open-external', payload: { url: 'file:///etc/passwd' } });
    expect(await client.nextMessage()).toEqual({ id: 1, result: { ok: false, error: { code: 'invalid_input', message: 'unknown channel' } } });
    client.send('{"id":2,"channel":"auth:start-login","payload":{"__proto__":{"polluted":true}}}');
    expect(await client.nextMessage()).toMatchObject({ id: 2, result: { ok: true } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(started.fake.calls.at(-1)?.channel).toBe('auth:start-login');
    client.socket.close();
  });

  it('answers concurrent calls by id', async () => {
    const client = await connect();
    for (let id = 1; id <= 20; id++) client.send({ id, channel: 'employees:get', payload: { id: `e${id}` } });
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.nextMessage()));
    expect(answers.map((answer) => answer.id).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    client.socket.close();
  });

  it('closes with 1009 on a frame over 1 MiB, and other connections stay up', async () => {
    const bystander = await connect();
    const client = await connect();
    client.send({ id: 1, channel: 'auth:start-login', payload: { email: 'a@b.test', password: 'x'.repeat(1024 * 1024) } });
    expect((await client.nextClose()).code).toBe(1009);
    bystander.send({ id: 1, channel: 'auth:get-state', payload: {} });
    expect(await bystander.nextMessage()).toMatchObject({ id: 1, result: { ok: true } });
    bystander.socket.close();
  });

  it('pushes gate events to authenticated sockets only', async () => {
    const client = await connect();
    const unauthenticated = await BridgeClient.connect(started.host);
    if (!('client' in unauthenticated)) throw new Error('upgrade refused');
    started.fake.emit('connection:changed', { state: 'online', checkedAt: null });
    expect(await client.nextMessage()).toEqual({ event: 'connection:changed', payload: { state: 'online', checkedAt: null } });
    unauthenticated.client.send({ type: 'hello', token: 'A'.repeat(43) });
    expect((await unauthenticated.client.next()).kind).toBe('close');
    client.socket.close();
  });

  it('drops connections on request and unsubscribes from the gate on close', async () => {
    const client = await connect();
    expect(started.host.dropConnections()).toBeGreaterThanOrEqual(1);
    expect((await client.nextClose()).code).toBe(1001);
  });
});

describe('browser mode: closing', () => {
  it('closes open sockets with 1001, stops listening and leaves the gate', async () => {
    const started = await startHost();
    const { client } = await BridgeClient.authenticated(started.host, started.token);
    expect(started.fake.listenerCount).toBe(1);
    await started.close();
    expect(await client.nextClose()).toEqual({ code: 1001, reason: 'browser mode is shutting down' });
    expect(started.fake.listenerCount).toBe(0);
    await expect(BridgeClient.connect(started.host)).rejects.toThrow(/ECONNREFUSED/);
  });
});
