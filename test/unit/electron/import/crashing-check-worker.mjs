// A check worker that dies mid-check: it starts, asks for ten lookups, and exits when the first answer arrives.
import { parentPort } from 'node:worker_threads';

parentPort.postMessage({ type: 'ready' });
parentPort.on('message', (message) => {
  if (message.type === 'check') {
    const bodies = Array.from({ length: 10 }, (_, index) => JSON.stringify({ ids: [], emails: [`person${index}@acme.test`] }));
    parentPort.postMessage({ type: 'lookups', bodies, keyCounts: bodies.map(() => 1) });
  } else {
    process.exit(3);
  }
});
