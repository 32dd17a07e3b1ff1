/**
 * Starts the reference Portal API as its OWN Node process with demo data, for the launchers
 * (`npm start` for Electron, `npm run start:web` for browser mode).
 *
 * Why a separate process: the server's SQLite driver is a native module built for Node, so it
 * never runs inside Electron (DESIGN.md, "Processes and the trust boundary").
 *
 * The child runs `node --import tsx server/cli.ts …` rather than `npx tsx …`: that is one process,
 * so a signal reaches the server itself (killing `npx` or the tsx CLI can orphan its node child).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface DemoPortalOptions {
  /** Folder for the demo database, its data key and its self-signed certificate. */
  dataDir: string;
  /** TCP port; 0 (the default) lets the OS pick a free one. */
  port?: number;
  /** `demo` (default) or `demo:N`. */
  seed?: string;
  /**
   * Every line the server prints (demo SMS codes among them). Defaults to the parent's stdout with
   * a `[demo portal]` prefix, so a person using the demo sees the codes it "sent".
   */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** How long to wait for the "listening" line. */
  startTimeoutMs?: number;
  /** Extra environment for the server process. */
  env?: NodeJS.ProcessEnv;
}

export interface DemoPortalProcess {
  /** `https://127.0.0.1:PORT`, as the server printed it. */
  url: string;
  /** PEM file of the server's self-signed certificate: the CA the app must trust for it. */
  certPath: string;
  /** SHA-256 fingerprint as printed (colon-separated hex), when printed. */
  fingerprint256: string | null;
  pid: number;
  /** Resolves with the exit code (or null when killed by a signal) once the process has ended. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

const listeningLine = /^Portal API listening on (https:\/\/\S+)\s*$/;
const certificateLine = /^Certificate: (.+?)\s*$/;
const fingerprintLine = /^SHA-256 fingerprint: ([0-9A-F:]+)\s*$/i;

function defaultOutput(line: string, stream: 'stdout' | 'stderr'): void {
  (stream === 'stdout' ? process.stdout : process.stderr).write(`[demo portal] ${line}\n`);
}

export async function startDemoPortalProcess(options: DemoPortalOptions): Promise<DemoPortalProcess> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const onOutput = options.onOutput ?? defaultOutput;
  const args = [
    '--import', 'tsx',
    join(repositoryRoot, 'server', 'cli.ts'),
    '--port', String(options.port ?? 0),
    '--db', join(dataDir, 'demo-portal.sqlite'),
    '--seed', options.seed ?? 'demo',
    // The demo prints its codes for the person trying it; the carrier is chosen explicitly.
    '--sms', 'demo',
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: repositoryRoot,
    // Request logs would drown the lines a person needs (the demo SMS codes); warnings still show.
    env: { ...process.env, PORTAL_LOG_LEVEL: process.env.PORTAL_LOG_LEVEL ?? 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });

  const exited = new Promise<number | null>((resolveExit) => {
    child.once('exit', (code) => resolveExit(code));
    // A spawn failure ('error' without 'exit') must still settle `exited`.
    child.once('error', () => resolveExit(child.exitCode ?? 1));
  });

  // If the launcher ends for any reason, the demo portal must not outlive it.
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));

  let stopping: Promise<void> | null = null;
  const stop = (graceMs = 5000): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolveTimeout) => {
        timer = setTimeout(() => resolveTimeout('timeout'), graceMs);
      });
      const outcome = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    })();
    return stopping;
  };

  const recentErrors: string[] = [];
  const ready = new Promise<{ url: string; certPath: string; fingerprint256: string | null }>((resolveReady, rejectReady) => {
    let url: string | null = null;
    let certPath: string | null = null;
    let fingerprint256: string | null = null;
    let settled = false;
    const settle = (): void => {
      if (settled || url === null || certPath === null) return;
      settled = true;
      resolveReady({ url, certPath, fingerprint256 });
    };
    const stdout = createInterface({ input: child.stdout! });
    stdout.on('line', (line) => {
      onOutput(line, 'stdout');
      if (settled) return;
      const listening = listeningLine.exec(line);
      if (listening) url = listening[1]!;
      const certificate = certificateLine.exec(line);
      if (certificate) certPath = resolve(repositoryRoot, certificate[1]!);
      const fingerprint = fingerprintLine.exec(line);
      if (fingerprint) fingerprint256 = fingerprint[1]!;
      if (url === null || certPath === null) return;
      // The fingerprint line follows the certificate line; wait for it briefly, never forever.
      if (fingerprint256 !== null) settle();
      else setTimeout(settle, 250).unref();
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      onOutput(line, 'stderr');
      recentErrors.push(line);
      if (recentErrors.length > 20) recentErrors.shift();
    });
    child.once('error', (error) => {
      if (!settled) {
        settled = true;
        rejectReady(new Error(`The demo portal could not be started: ${error.message}`));
      }
    });
    void exited.then((code) => {
      if (!settled) {
        settled = true;
        const detail = recentErrors.length > 0 ? `\n${recentErrors.join('\n')}` : '';
        rejectReady(new Error(`The demo portal exited (code ${code ?? 'signal'}) before it was ready.${detail}`));
      }
    });
  });

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, rejectTimeout) => {
    const limit = options.startTimeoutMs ?? 60_000;
    timer = setTimeout(() => rejectTimeout(new Error(`The demo portal did not report its address within ${limit / 1000} s.`)), limit);
  });
  try {
    const started = await Promise.race([ready, timeout]);
    return { ...started, pid: child.pid ?? -1, exited, stop };
  } catch (error) {
    await stop(1000);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
