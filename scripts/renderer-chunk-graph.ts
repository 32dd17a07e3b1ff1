/**
 * The renderer's chunk graph from a real production build (vite.config.ts, nothing written to disk):
 * every chunk with the source modules inside it, and which chunks the sign-in page loads before it
 * can paint — the entry and every chunk it imports statically (what index.html modulepreloads),
 * never the chunks behind a dynamic import(). Used by `npm run bench:startup` to say what the first
 * screen is made of, and by a test that keeps what loads on demand out of that first screen.
 */
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';

const root = resolve(import.meta.dirname, '..');

export interface GraphModule {
  /** The module's path relative to the repository ("node_modules/vuetify/lib/components/VBtn/VBtn.js"). */
  id: string;
  /** Its bytes in the minified chunk. */
  bytes: number;
}

export interface GraphChunk {
  file: string;
  bytes: number;
  gzipBytes: number;
  isEntry: boolean;
  /** Loaded before the sign-in page can paint. */
  isInitial: boolean;
  imports: string[];
  dynamicImports: string[];
  css: string[];
  modules: GraphModule[];
}

export interface RendererGraph {
  chunks: GraphChunk[];
  /** The initial chunks' source modules, largest first. */
  initialModules: GraphModule[];
  /** The stylesheets the initial chunks bring. */
  initialCss: { file: string; bytes: number; gzipBytes: number }[];
}

function relativeId(id: string): string {
  const clean = id.replace(/\?.*$/, '').replace(/^\0/, '');
  return clean.startsWith(root) ? clean.slice(root.length + 1) : clean;
}

export async function buildRendererGraph(): Promise<RendererGraph> {
  const output = await build({
    configFile: resolve(root, 'vite.config.ts'),
    logLevel: 'warn',
    build: { write: false },
  });
  const outputs = (Array.isArray(output) ? output : [output]) as Rolldown.RolldownOutput[];
  const items = outputs.flatMap((result) => result.output);
  const assets = new Map(items.filter((item): item is Rolldown.OutputAsset => item.type === 'asset').map((asset) => [asset.fileName, asset]));
  const rawChunks = items.filter((item): item is Rolldown.OutputChunk => item.type === 'chunk');

  const initial = new Set<string>();
  const visit = (file: string): void => {
    if (initial.has(file)) return;
    initial.add(file);
    for (const imported of rawChunks.find((chunk) => chunk.fileName === file)?.imports ?? []) visit(imported);
  };
  for (const chunk of rawChunks) if (chunk.isEntry) visit(chunk.fileName);

  const chunks = rawChunks.map((chunk): GraphChunk => {
    const meta = (chunk as { viteMetadata?: { importedCss?: Set<string> } }).viteMetadata;
    return {
      file: chunk.fileName,
      bytes: Buffer.byteLength(chunk.code),
      gzipBytes: gzipSync(chunk.code, { level: 9 }).length,
      isEntry: chunk.isEntry,
      isInitial: initial.has(chunk.fileName),
      imports: chunk.imports,
      dynamicImports: chunk.dynamicImports,
      css: [...(meta?.importedCss ?? [])],
      modules: Object.entries(chunk.modules)
        .map(([id, module]) => ({ id: relativeId(id), bytes: module.renderedLength }))
        .filter((module) => module.bytes > 0)
        .sort((a, b) => b.bytes - a.bytes),
    };
  });
  const initialCssFiles = new Set(chunks.filter((chunk) => chunk.isInitial).flatMap((chunk) => chunk.css));
  const initialCss = [...initialCssFiles].map((file) => {
    const source = assets.get(file)?.source ?? '';
    return { file, bytes: Buffer.byteLength(source), gzipBytes: gzipSync(source, { level: 9 }).length };
  });
  const initialModules = chunks
    .filter((chunk) => chunk.isInitial)
    .flatMap((chunk) => chunk.modules)
    .sort((a, b) => b.bytes - a.bytes);
  return { chunks, initialModules, initialCss };
}

/** A package's or folder's share: "vuetify/lib/components/VSelect", "renderer/components/sign-in". */
export function moduleGroup(id: string): string {
  const packaged = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?:lib|dist)\/(components|composables|styles|directives)\/([^/]+)/.exec(id);
  if (packaged) return `${packaged[1]} ${packaged[2]}/${packaged[3]}`;
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id);
  if (inPackage) return inPackage[1] ?? id;
  return id.replace(/\/[^/]+$/, '');
}
