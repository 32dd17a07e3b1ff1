/**
 * The worker thread of "Import phone numbers": validates slices of numbers with the phone rules
 * (libphonenumber-js, the costliest part of a check) so main's event loop stays free for IPC.
 * Started by phone-validator.ts; in the built app electron-vite bundles this file on its own
 * (out/main/phone-worker-*.cjs).
 */
import { parentPort } from 'node:worker_threads';
import { validatePhone } from '../../../common/phone';
import { compactPhoneResult, type PhoneSliceRequest, type PhoneSliceResponse } from './phone-slices';

if (!parentPort) throw new Error('phone-worker runs as a worker thread only');
const port = parentPort;

port.on('message', (request: PhoneSliceRequest) => {
  const results = request.numbers.map(([raw, region]) => compactPhoneResult(validatePhone(raw, region)));
  port.postMessage({ id: request.id, results } satisfies PhoneSliceResponse);
});
