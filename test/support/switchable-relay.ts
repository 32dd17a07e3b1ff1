import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP relay in front of a portal that a test can cut and restore: while cut, every
 * connection (and every open one) is reset, as when the network is gone. The portal's certificate
 * still matches (it names 127.0.0.1, not a port).
 */
export interface SwitchableRelay {
  url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startSwitchableRelay(targetUrl: string): Promise<SwitchableRelay> {
  const target = new URL(targetUrl);
  const open = new Set<Socket>();
  let isCut = false;
  const server: Server = createServer((incoming) => {
    if (isCut) {
      incoming.destroy();
      return;
    }
    const outgoing = createConnection({ host: target.hostname, port: Number(target.port) });
    for (const socket of [incoming, outgoing]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => {
        incoming.destroy();
        outgoing.destroy();
      });
    }
    incoming.pipe(outgoing);
    outgoing.pipe(incoming);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the relay has no port');
  return {
    url: `https://127.0.0.1:${address.port}`,
    cut() {
      isCut = true;
      for (const socket of open) socket.destroy();
    },
    restore() {
      isCut = false;
    },
    close() {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
