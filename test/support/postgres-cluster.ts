import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL cluster for tests: initdb in a temporary folder, postgres on a free loopback
 * port (and a socket folder of its own), fsync off; stopped and deleted afterwards, also when the
 * process exits early. initdb and postgres refuse to run as root, so as root they run as the
 * `postgres` system user (Debian's postgresql package creates it) on a folder chowned to it.
 */
export interface PostgresCluster {
  /** postgres://portal@127.0.0.1:PORT/postgres */
  url: string;
  /** A URL to another database of the cluster. */
  urlOf(database: string): string;
  stop(): Promise<void>;
}

export const POSTGRES_BIN = process.env.PORTAL_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

/** Why no cluster can be started here, or null when it can. */
export function postgresUnavailableReason(): string | null {
  for (const tool of ['initdb', 'postgres']) {
    if (!existsSync(join(POSTGRES_BIN, tool))) return `${join(POSTGRES_BIN, tool)} is missing (install the Debian package postgresql)`;
  }
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root and there is no postgres user to run the cluster as';
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function asClusterUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const reason = postgresUnavailableReason();
  if (reason) throw new Error(`Cannot start PostgreSQL: ${reason}.`);
  const directory = mkdtempSync(join(tmpdir(), 'portal-pg-'));
  const data = join(directory, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(directory, uid, gid);
  }
  chmodSync(directory, 0o700);
  let child: ChildProcess | null = null;
  // The postmaster's own pid (runuser stands between it and us): SIGQUIT is its immediate shutdown.
  const postmasterPid = (): number | null => {
    try {
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return Number.isInteger(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    }
  };
  const removeNow = () => {
    const pid = postmasterPid();
    if (pid !== null) {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // already gone
      }
    }
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
  };
  process.once('exit', removeNow);
  try {
    const [initCommand, initArgs] = asClusterUser(join(POSTGRES_BIN, 'initdb'), [
      '-D', data, '-U', 'portal', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync',
    ]);
    const init = spawnSync(initCommand, initArgs, { encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
    const port = await freePort();
    const [command, args] = asClusterUser(join(POSTGRES_BIN, 'postgres'), [
      '-D', data, '-p', String(port), '-k', directory, '-c', 'listen_addresses=127.0.0.1',
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300',
      '-c', 'shared_buffers=64MB',
    ]);
    const started = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    let log = '';
    started.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString('utf8')).slice(-4000)));
    const urlOf = (database: string) => `postgres://portal@127.0.0.1:${port}/${database}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const client = new pg.Client({ connectionString: urlOf('postgres') });
      try {
        await client.connect();
        await client.end();
        break;
      } catch (error) {
        await client.end().catch(() => {});
        if (started.exitCode !== null || Date.now() > deadline) throw new Error(`postgres did not start: ${(error as Error).message}\n${log}`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return {
      url: urlOf('postgres'),
      urlOf,
      async stop() {
        process.removeListener('exit', removeNow);
        if (started.exitCode === null) {
          const exited = new Promise((resolve) => started.once('exit', resolve));
          const pid = postmasterPid();
          if (pid !== null) process.kill(pid, 'SIGINT'); // fast shutdown
          await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        }
        removeNow();
      },
    };
  } catch (error) {
    process.removeListener('exit', removeNow);
    removeNow();
    throw error;
  }
}
