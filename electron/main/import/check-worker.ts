/**
 * The worker thread of "Import phone numbers": runs a file's check (decode, parse, read the
 * portal's lookup answers, validate the numbers with libphonenumber-js, match the rows) so main
 * keeps neither the rows nor the employees and its event loop stays free for IPC. Started by
 * check-runner.ts, one per check; in the built app electron-vite bundles this file on its own
 * (out/main/chunks/check-worker-*.cjs).
 */
import { parentPort } from 'node:worker_threads';
import { serveChecks } from './check-job';

if (!parentPort) throw new Error('check-worker runs as a worker thread only');
serveChecks(parentPort);
parentPort.postMessage({ type: 'ready' });
