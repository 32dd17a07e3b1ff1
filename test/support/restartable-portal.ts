import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPortal, type RunningPortal, type StartOptions } from '../../server/server';
import type { TestPortal } from './portal';

/**
 * A reference portal that can be stopped and started again on the same port, database and
 * certificate: "the portal goes away, and comes back" as a laptop on a train sees it.
 */
export interface RestartablePortal {
  /** The running portal (throws while stopped). */
  current(): TestPortal;
  url: string;
  cert: string;
  certPath: string;
  isRunning(): boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startRestartablePortal(options: Partial<StartOptions> = {}): Promise<RestartablePortal> {
  const directory = mkdtempSync(join(tmpdir(), 'portal-restartable-'));
  const printed: string[] = [];
  const base: StartOptions = { port: 0, dbFile: join(directory, 'portal.sqlite'), seed: 'demo', sms: { kind: 'demo' }, print: (line) => printed.push(line), ...options };
  let running: RunningPortal | null = await startPortal(base);
  const port = running.port;
  const asTest = (portal: RunningPortal): TestPortal => ({ ...portal, directory, printed });
  const handle: RestartablePortal = {
    url: running.url,
    cert: running.tls.cert,
    certPath: running.tls.certPath,
    current() {
      if (!running) throw new Error('the portal is stopped');
      return asTest(running);
    },
    isRunning: () => running !== null,
    async stop() {
      if (!running) return;
      const stopping = running;
      running = null;
      await stopping.close();
    },
    async start() {
      if (running) return;
      running = await startPortal({ ...base, port });
    },
    async close() {
      await handle.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
  return handle;
}
