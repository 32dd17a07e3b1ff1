/**
 * npm start [-- --portal-url https://… [--portal-ca FILE]] [--profile DIR] [--rebuild]
 *
 * The launcher of DESIGN.md: unless a portal is configured (flag or PORTAL_ADMIN_PORTAL_URL), it
 * starts the reference server with demo data as its own Node process, builds the app if the
 * build is missing or older than the sources, and opens Portal Admin in Electron pointed at that
 * portal with the portal's certificate trusted. Closing the app stops the demo portal.
 *
 * The app runs on its own profile, .data/profile in the repository (or --profile DIR), never on the
 * installed Portal Admin's: separate settings, keychain pointer and single-instance lock.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repositoryRoot, startDemoPortalProcess, type DemoPortalProcess } from './demo-portal';
import { ELECTRON_UNAVAILABLE_SENTENCE, installElectronBinary } from './electron-available';
import { buildElectron, isElectronBuildStale } from './electron-build';
import { launcherProfileDir, linuxSandboxProblem, rootProblem, sandboxFactsOf } from './launch-checks';

const usage = 'Usage: npm start -- [--portal-url https://HOST[:PORT]] [--portal-ca FILE] [--profile DIR] [--rebuild]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'portal-url': { type: 'string' },
        'portal-ca': { type: 'string' },
        profile: { type: 'string' },
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

  // Check first: without the binary there is no point starting a portal or building anything.
  const asRoot = rootProblem({ platform: process.platform, uid: process.getuid?.() });
  if (asRoot) {
    console.error(asRoot);
    return 1;
  }
  const electron = installElectronBinary();
  if (!electron.isAvailable) {
    console.error(ELECTRON_UNAVAILABLE_SENTENCE);
    return 1;
  }
  // Said before launching, not instead of it: an AppArmor profile may allow this Electron anyway.
  const sandbox = linuxSandboxProblem(sandboxFactsOf(electron.path));
  if (sandbox) console.error(sandbox);

  const configuredUrl = values['portal-url'] ?? process.env.PORTAL_ADMIN_PORTAL_URL;
  const configuredCa = values['portal-ca'] ?? process.env.PORTAL_ADMIN_PORTAL_CA;
  let demo: DemoPortalProcess | null = null;
  let stopping = false;
  const stopDemo = async (): Promise<void> => {
    if (demo) await demo.stop();
  };

  try {
    if (values.rebuild || isElectronBuildStale(repositoryRoot)) {
      console.log('Building Portal Admin (electron-vite build)…');
      if (!buildElectron(repositoryRoot)) {
        console.error('The build failed (see above); Portal Admin was not started.');
        return 1;
      }
    }

    const appArgs: string[] = [repositoryRoot];
    if (configuredUrl) {
      appArgs.push(`--portal-url=${configuredUrl}`);
      if (configuredCa) appArgs.push(`--portal-ca=${resolve(configuredCa)}`);
    } else {
      console.log('No portal configured: starting the demo portal…');
      demo = await startDemoPortalProcess({ dataDir: join(repositoryRoot, '.data', 'demo-portal') });
      console.log(`Demo portal: ${demo.url} (sign in as admin@acme.test / acme-admin-demo; SMS codes are printed here)`);
      appArgs.push(`--portal-url=${demo.url}`, `--portal-ca=${demo.certPath}`, '--demo-portal');
      void demo.exited.then((code) => {
        if (!stopping) console.error(`The demo portal stopped unexpectedly (exit ${code ?? 'signal'}).`);
      });
    }
    const profile = launcherProfileDir({ profile: values.profile, env: process.env, repositoryRoot });
    appArgs.push(`--profile=${profile}`);
    console.log(`Profile: ${profile}${values.profile ? '' : ' (the repository\'s own; an installed Portal Admin keeps its own elsewhere)'}`);

    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE; // set, Electron would start as plain Node
    const app = spawn(electron.path, appArgs, { cwd: repositoryRoot, stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals) => () => {
      stopping = true;
      if (app.exitCode === null && app.signalCode === null) app.kill(signal);
    };
    process.on('SIGINT', forward('SIGINT'));
    process.on('SIGTERM', forward('SIGTERM'));
    const code = await new Promise<number>((resolveExit) => {
      app.once('error', (error) => {
        console.error(`${ELECTRON_UNAVAILABLE_SENTENCE} (${error.message})`);
        resolveExit(1);
      });
      app.once('exit', (exitCode, signal) => resolveExit(exitCode ?? (signal ? 1 : 0)));
    });
    stopping = true;
    if (code !== 0 && sandbox) console.error(sandbox);
    return code;
  } finally {
    stopping = true;
    await stopDemo();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Portal Admin could not be started: ${(error as Error).message}`);
    process.exit(1);
  },
);
