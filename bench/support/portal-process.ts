import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface PortalProcess {
  child: ChildProcess;
  url: string;
  /** The portal's certificate (PEM), to trust it and nothing else. */
  cert: string;
}

/**
 * The reference portal as its own Node process (`server/cli.ts`, log level warn), so that it and the
 * benchmark's load do not share an event loop. `extraArguments` e.g. `['--seed', 'demo:1100']`.
 */
export function startPortalProcess(dbFile: string, extraArguments: readonly string[] = []): Promise<PortalProcess> {
  return new Promise((resolvePromise, reject) => {
    // BENCH_PORTAL_CPU_PROF=<folder>: the portal writes a V8 CPU profile there when it stops (node --cpu-prof).
    const profile = process.env.BENCH_PORTAL_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PORTAL_CPU_PROF}`] : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', join(root, 'server/cli.ts'), '--port', '0', '--db', dbFile, '--sms', 'demo', ...extraArguments], {
      cwd: root,
      env: { ...process.env, PORTAL_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let isListening = false;
    const timer = setTimeout(() => reject(new Error(`the portal did not start within 60 s:\n${output}`)), 60_000);
    // Once it listens, what the portal prints is dropped (but read, so it never blocks on a full pipe):
    // gathering it and searching it again on every chunk cost this process seconds in a long run.
    child.stdout!.on('data', (chunk: Buffer) => {
      if (isListening) return;
      output += chunk.toString('utf8');
      const url = /Portal API listening on (https:\/\/\S+)/.exec(output)?.[1];
      const certPath = /Certificate: (.+)/.exec(output)?.[1];
      if (url && certPath) {
        clearTimeout(timer);
        isListening = true;
        output = '';
        resolvePromise({ child, url, cert: readFileSync(certPath.trim(), 'utf8') });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (!isListening) output += chunk.toString('utf8');
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the portal exited (${code}) before listening:\n${output}`));
    });
  });
}

/** SIGTERM, and SIGKILL after 10 s. */
export function stopPortalProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null) return resolvePromise();
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}
