import { createHash, X509Certificate } from 'node:crypto';
import { createServer, type Server, type ServerOptions } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { generate } from 'selfsigned';

export interface TestCertificate {
  cert: string;
  key: string;
  /** SHA-256 of the DER, lower-case hex (the pin format). */
  pin: string;
}

/** A self-signed server certificate for the given names (DNS names or IPs). */
export async function makeCertificate(options: { names: string[]; notBefore?: Date; notAfter?: Date; keySize?: number }): Promise<TestCertificate> {
  const altNames = options.names.map((name) => (/^[\d.]+$|:/.test(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name }));
  const generated = await generate([{ name: 'commonName', value: options.names[0] ?? 'test' }], {
    keySize: options.keySize ?? 2048,
    algorithm: 'sha256',
    ...(options.notBefore ? { notBeforeDate: options.notBefore } : {}),
    notAfterDate: options.notAfter ?? new Date(Date.now() + 7 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert: generated.cert, key: generated.private, pin: createHash('sha256').update(new X509Certificate(generated.cert).raw).digest('hex') };
}

export interface TestHttpsServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** An HTTPS server on 127.0.0.1, port 0. Open sockets are destroyed on close. */
export async function startHttpsServer(
  certificate: TestCertificate,
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  options: ServerOptions = {},
): Promise<TestHttpsServer> {
  const server = createServer({ key: certificate.key, cert: certificate.cert, ...options }, handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
