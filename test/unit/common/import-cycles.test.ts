import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The import graph of the app's own code has no cycle. Type-only imports count too: a cycle of
 * types still means two files that cannot be read (or moved) one without the other.
 *
 * KNOWN_CYCLES lists the cycles that exist today, each as its sorted files; the list may only
 * shrink. A new cycle fails this test with its files named; a cycle that was untangled fails it too,
 * until it is taken off the list.
 */
const KNOWN_CYCLES: readonly (readonly string[])[] = [];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FOLDERS = ['common', 'electron', 'renderer', 'server'];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|vue)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative specifiers of static imports, re-exports and dynamic imports. */
function specifiers(text: string): string[] {
  const found = new Set<string>();
  for (const pattern of [/\b(?:import|export)\s[^'";]*?\sfrom\s+['"](\.[^'"]+)['"]/g, /\bimport\s+['"](\.[^'"]+)['"]/g, /\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g]) {
    for (const match of text.matchAll(pattern)) found.add(match[1]!);
  }
  return [...found];
}

function resolveImport(from: string, specifier: string, files: Set<string>): string | null {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.vue`, join(base, 'index.ts')]) if (files.has(candidate)) return candidate;
  return null;
}

/** Tarjan's strongly connected components: every component of more than one file (or a file importing itself) is a cycle. */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('the import graph', () => {
  const files = new Set(FOLDERS.flatMap((folder) => sourceFiles(join(root, folder))));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = specifiers(readFileSync(file, 'utf8'))
      .map((specifier) => resolveImport(file, specifier, files))
      .filter((target): target is string => target !== null);
    graph.set(file, targets);
  }

  it('reads the whole tree (the check is not vacuous)', () => {
    expect(files.size).toBeGreaterThan(150);
    const edges = [...graph.values()].reduce((sum, targets) => sum + targets.length, 0);
    expect(edges).toBeGreaterThan(files.size);
  });

  it('finds a cycle when there is one', () => {
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['c', 'b', 'a']]);
    expect(cycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  /*
   * One level up: electron/main's folders (infra, services, offline, import, ipc, log, shell, and the
   * composition root, the files beside index.ts) import each other one way only. Services and offline
   * both build on infra; offline decorates services; only the composition root wires them together.
   */
  it("has no cycle between electron/main's folders", () => {
    const main = join(root, 'electron', 'main');
    const folderOf = (file: string): string => {
      const parts = relative(main, file).replaceAll('\\', '/').split('/');
      return parts.length === 1 ? '(composition root)' : parts[0]!;
    };
    const folders = new Map<string, Set<string>>();
    for (const [file, targets] of graph) {
      if (!file.startsWith(main + sep)) continue;
      const from = folderOf(file);
      const edges = folders.get(from) ?? new Set<string>();
      for (const target of targets) if (target.startsWith(main + sep) && folderOf(target) !== from) edges.add(folderOf(target));
      folders.set(from, edges);
    }
    expect([...folders.keys()]).toEqual(expect.arrayContaining(['infra', 'services', 'offline', 'ipc', '(composition root)']));
    expect(folders.get('offline')).toContain('infra');
    expect(cycles(new Map([...folders].map(([folder, edges]) => [folder, [...edges]])))).toEqual([]);
  });

  it('has no cycle beyond the known ones', () => {
    const found = cycles(graph)
      .map((component) => component.map((file) => relative(root, file).replaceAll('\\', '/')).sort())
      .sort((a, b) => a[0]!.localeCompare(b[0]!));
    expect(found).toEqual([...KNOWN_CYCLES].map((cycle) => [...cycle].sort()).sort((a, b) => a[0]!.localeCompare(b[0]!)));
  });
});
