// Runs check-worker.ts from source in a worker thread (tsx, Vitest); the built app runs the bundle.
import { tsImport } from 'tsx/esm/api';

await tsImport('./check-worker.ts', import.meta.url);
