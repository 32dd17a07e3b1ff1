/**
 * npm run start:web -- [--port N] [--portal-url https://…] [--portal-ca FILE] [--profile DIR] [--open] [--rebuild]
 *
 * Browser mode (DESIGN.md): the main-process services in plain Node, the renderer served on
 * http://127.0.0.1:PORT and the IPC channels over a token-guarded WebSocket. Unless a portal is
 * configured (flag or PORTAL_ADMIN_PORTAL_URL / PORTAL_ADMIN_PORTAL_CA), the demo portal is started
 * as its own Node process first. The keychain is the OS one; PORTAL_ADMIN_KEYCHAIN=memory is for tests.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { PRINTED_TOKEN_TTL_MS } from '../electron/browser-mode/bridge-tokens';
import { isRendererBuildStale, startBrowserMode, writeLaunchPage, type BrowserModeHost, type BrowserModePortal, type LaunchPage } from '../electron/browser-mode';
import { repositoryRoot, startDemoPortalProcess, type DemoPortalProcess } from './demo-portal';

const usage =
  'Usage: npm run start:web -- [--port N] [--portal-url https://HOST[:PORT]] [--portal-ca FILE] [--profile DIR] [--open] [--rebuild]';
const rendererDir = join(repositoryRoot, 'out', 'renderer');

function buildRenderer(): boolean {
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  console.log('Building the renderer (vite build)…');
  return spawnSync(process.execPath, [cli, 'build', '--logLevel', 'warn'], { cwd: repositoryRoot, stdio: 'inherit' }).status === 0;
}

/** The system browser, given the launch page's path: the token never appears in the process list. */
function openInBrowser(file: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [file]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', `"${file}"`]] : ['xdg-open', [file]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: process.platform === 'win32' });
  child.once('error', (error) => console.error(`Could not open the browser (${error.message}); open the address above yourself.`));
  child.unref();
}

function parsePort(text: string | undefined): number | null {
  if (text === undefined) return 0;
  const port = Number(text);
  return /^\d+$/.test(text) && port >= 0 && port <= 65535 ? port : null;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'portal-url': { type: 'string' },
        'portal-ca': { type: 'string' },
        profile: { type: 'string' },
        open: { type: 'boolean', default: false },
        rebuild: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const port = parsePort(values.port);
  if (port === null) {
    console.error(`--port takes a number from 0 to 65535.\n${usage}`);
    return 2;
  }
  const configuredUrl = values['portal-url'] ?? process.env.PORTAL_ADMIN_PORTAL_URL;
  const configuredCa = values['portal-ca'] ?? process.env.PORTAL_ADMIN_PORTAL_CA;
  if (configuredCa && !configuredUrl) {
    console.error(`--portal-ca needs --portal-url.\n${usage}`);
    return 2;
  }
  // A folder of this checkout (git-ignored), not the installed app's profile.
  const profile = resolve(values.profile ?? join(repositoryRoot, '.data', 'profile'));

  if (values.rebuild || isRendererBuildStale({ repositoryRoot, outDir: rendererDir })) {
    if (!buildRenderer()) {
      console.error('The renderer build failed (see above); browser mode was not started.');
      return 1;
    }
  }

  let demo: DemoPortalProcess | null = null;
  let host: BrowserModeHost | null = null;
  let isStopping = false;
  const stop = async (): Promise<void> => {
    isStopping = true;
    await host?.close();
    await demo?.stop();
  };

  try {
    let portal: BrowserModePortal;
    if (configuredUrl) {
      portal = { url: configuredUrl, ...(configuredCa ? { caFile: resolve(configuredCa) } : {}) };
    } else {
      console.log('No portal configured: starting the demo portal…');
      demo = await startDemoPortalProcess({ dataDir: join(repositoryRoot, '.data', 'demo-portal-web') });
      console.log(`Demo portal: ${demo.url} (sign in as admin@acme.test / acme-admin-demo; SMS codes are printed here)`);
      portal = { url: demo.url, caFile: demo.certPath, isDemo: true };
      void demo.exited.then((code) => {
        if (!isStopping) console.error(`The demo portal stopped unexpectedly (exit ${code ?? 'signal'}).`);
      });
    }
    host = await startBrowserMode({ port, rendererDir, userDataDir: profile, portal });
  } catch (error) {
    console.error(`Browser mode could not be started: ${(error as Error).message}`);
    await stop();
    return 1;
  }

  console.log(`Portal Admin (browser mode): ${host.url}`);
  console.log(`Profile: ${profile}. The address works for one page load within 10 minutes; press Enter here for a new one, Ctrl+C to stop.`);
  let launchPage: LaunchPage | null = null;
  if (values.open) {
    // Its own token: the printed one stays usable for a second browser.
    launchPage = writeLaunchPage(host.newPageUrl());
    openInBrowser(launchPage.path);
    const page = launchPage;
    setTimeout(() => page.remove(), PRINTED_TOKEN_TTL_MS).unref();
  }

  const input = process.stdin.isTTY ? createInterface({ input: process.stdin }) : null;
  const started = host;
  input?.on('line', () => console.log(`Portal Admin (browser mode): ${started.newPageUrl()}`));

  return new Promise<number>((resolveExit) => {
    const shutdown = (signal: NodeJS.Signals) => () => {
      if (isStopping) return;
      console.log(`${signal}: stopping browser mode${demo ? ' and the demo portal' : ''}…`);
      input?.close();
      launchPage?.remove();
      stop().then(
        () => resolveExit(0),
        (error: unknown) => {
          console.error(`Stopping failed: ${(error as Error).message}`);
          resolveExit(1);
        },
      );
    };
    process.on('SIGINT', shutdown('SIGINT'));
    process.on('SIGTERM', shutdown('SIGTERM'));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Browser mode could not be started: ${(error as Error).message}`);
    process.exit(1);
  },
);
