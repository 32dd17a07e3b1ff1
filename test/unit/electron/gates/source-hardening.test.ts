/**
 * Hardening gate over the source tree, read as syntax (TypeScript's parser), so comments and
 * strings that merely mention a risky thing do not count and real code cannot hide in formatting:
 *
 * - Electron is imported only by the Electron shell. Values: electron/main/index.ts (the composition
 *   root) and electron/preload/index.ts (the sandboxed preload). `import type` also in
 *   electron/main/shell/** and electron/preload/**, which receive Electron objects as parameters.
 *   Nothing else — services, common/, renderer/, server/, scripts — mentions the module at all.
 * - The preload exposes exactly one thing, `window.portal`, and uses ipcRenderer only to invoke and
 *   to (un)subscribe.
 * - The renderer never renders HTML from data: no v-html, no innerHTML/outerHTML/insertAdjacentHTML/
 *   document.write (Vue's {{ }} escapes; portal data is data).
 * - No security switch is turned off anywhere: nodeIntegration*, contextIsolation, sandbox,
 *   webSecurity, allowRunningInsecureContent, webviewTag, experimentalFeatures, TLS verification
 *   (rejectUnauthorized, NODE_TLS_REJECT_UNAUTHORIZED). Where such a key is written, its value
 *   must be the safe literal, so a computed value cannot switch it off either.
 * - The composition root (electron/main/index.ts) turns the sandbox on for every renderer with
 *   `app.enableSandbox()`, unconditionally, at load, before anything waits for 'ready'; takes the
 *   single-instance lock and quits when it is refused, starting the app only when it is held.
 * - Windows are made in one place: the only `new BrowserWindow` is the factory index.ts hands to
 *   createMainWindow, and main-window.ts calls that factory only with createWindowOptions(…). No
 *   BrowserView or WebContentsView is constructed at all.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const SOURCE_ROOTS = ['common', 'electron', 'renderer', 'server', 'scripts', 'bench', 'build'];
const SOURCE_EXTENSIONS = /\.(ts|mts|cts|js|mjs|cjs|vue)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', 'out', 'dist', 'results']);

function listFiles(directory: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(directory)) {
    if (name.startsWith('.') || SKIPPED_FOLDERS.has(name)) continue;
    const path = join(directory, name);
    if (statSync(path).isDirectory()) files.push(...listFiles(path));
    else if (SOURCE_EXTENSIONS.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.d.mts')) files.push(path);
  }
  return files;
}

/** Every source file (repository-relative, forward slashes), plus the root config files. */
function sourceFiles(): string[] {
  const rootConfigs = readdirSync(root).filter((name) => /\.config\.(ts|js|mjs|cjs)$/.test(name)).map((name) => join(root, name));
  return [...SOURCE_ROOTS.flatMap((folder) => listFiles(join(root, folder))), ...rootConfigs].map((file) => relative(root, file).split('\\').join('/'));
}

interface Parsed {
  /** Script parts, parsed. */
  scripts: ts.SourceFile[];
  /** A .vue file's template with HTML comments removed ('' for script files). */
  template: string;
}

function parse(file: string, text = readFileSync(join(root, file), 'utf8')): Parsed {
  if (!file.endsWith('.vue')) return { scripts: [ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)], template: '' };
  const scripts = [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((match, index) =>
    ts.createSourceFile(`${file}#script${index}`, match[1]!, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS),
  );
  const template = text.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '').replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  return { scripts, template };
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

const where = (node: ts.Node): string => {
  const source = node.getSourceFile();
  return `${source.fileName}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
};

type ElectronImport = { kind: 'value' | 'type'; at: string };

const isElectronModule = (name: string): boolean => name === 'electron' || name.startsWith('electron/');

/** Imports, re-exports, require() and import() of 'electron' (or 'electron/main' …). */
function electronImports(parsed: Parsed): ElectronImport[] {
  const found: ElectronImport[] = [];
  for (const source of parsed.scripts) {
    walk(source, (node) => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && isElectronModule(node.moduleSpecifier.text)) {
        const isTypeOnly = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly === true : node.isTypeOnly;
        found.push({ kind: isTypeOnly ? 'type' : 'value', at: where(node) });
      } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
        const expression = node.moduleReference.expression;
        if (ts.isStringLiteral(expression) && isElectronModule(expression.text)) found.push({ kind: node.isTypeOnly ? 'type' : 'value', at: where(node) });
      } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0]!) && isElectronModule((node.arguments[0] as ts.StringLiteral).text)) {
        const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
        if (isRequire || node.expression.kind === ts.SyntaxKind.ImportKeyword) found.push({ kind: 'value', at: where(node) });
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal) && isElectronModule(node.argument.literal.text)) {
        found.push({ kind: 'type', at: where(node) });
      }
    });
  }
  return found;
}

/** The only value each security switch may be written with. */
const SAFE_VALUES: Record<string, boolean> = {
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  contextIsolation: true,
  sandbox: true,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  enableRemoteModule: false,
  rejectUnauthorized: true,
};

const propertyName = (name: ts.PropertyName | ts.MemberName): string | null =>
  ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name) ? name.text : null;

/** Security switches written with anything but their safe literal, and TLS verification turned off by environment. */
function riskySwitches(parsed: Parsed): string[] {
  const found: string[] = [];
  const check = (name: string | null, value: ts.Expression, node: ts.Node): void => {
    if (name === null || !(name in SAFE_VALUES)) return;
    const safe = SAFE_VALUES[name] ? ts.SyntaxKind.TrueKeyword : ts.SyntaxKind.FalseKeyword;
    if (value.kind !== safe) found.push(`${where(node)} ${name}: ${value.getText()}`);
  };
  for (const source of parsed.scripts) {
    walk(source, (node) => {
      if (ts.isPropertyAssignment(node)) check(propertyName(node.name), node.initializer, node);
      else if (ts.isShorthandPropertyAssignment(node)) check(node.name.text, node.name, node);
      else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const target = node.left;
        if (ts.isPropertyAccessExpression(target)) check(target.name.text, node.right, node);
        else if (ts.isElementAccessExpression(target) && ts.isStringLiteral(target.argumentExpression)) check(target.argumentExpression.text, node.right, node);
      } else if ((ts.isStringLiteral(node) || ts.isIdentifier(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text === 'NODE_TLS_REJECT_UNAUTHORIZED') {
        found.push(`${where(node)} NODE_TLS_REJECT_UNAUTHORIZED`);
      }
    });
  }
  return found;
}

const HTML_SINKS = new Set(['innerHTML', 'outerHTML', 'insertAdjacentHTML']);

/** Ways a component could render a string as HTML. */
function htmlSinks(parsed: Parsed): string[] {
  const found: string[] = [];
  for (const attribute of parsed.template.matchAll(/\s(v-html|(?:v-bind)?:(?:innerHTML|inner-html|outerHTML|outer-html))\s*=/g)) found.push(`${attribute[1]} in the template`);
  for (const source of parsed.scripts) {
    walk(source, (node) => {
      if ((ts.isIdentifier(node) || ts.isStringLiteral(node)) && HTML_SINKS.has(node.text)) found.push(`${where(node)} ${node.text}`);
      if (ts.isPropertyAccessExpression(node) && ['write', 'writeln'].includes(node.name.text) && node.expression.getText() === 'document') found.push(`${where(node)} document.${node.name.text}`);
    });
  }
  return found;
}

const isFunctionNode = (node: ts.Node): boolean => ts.isFunctionLike(node) || ts.isClassLike(node);

/** Nodes under `node` that match, not looking inside nested functions (code that runs only when called). */
function findRunningNow(node: ts.Node, matches: (node: ts.Node) => boolean): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (current: ts.Node): void => {
    if (matches(current)) found.push(current);
    if (current !== node && isFunctionNode(current)) return;
    current.forEachChild(visit);
  };
  visit(node);
  return found;
}

function findAll(node: ts.Node, matches: (node: ts.Node) => boolean): ts.Node[] {
  const found: ts.Node[] = [];
  walk(node, (current) => {
    if (matches(current)) found.push(current);
  });
  return found;
}

/** `object.method(…)`, e.g. isMethodCall(node, 'app', 'quit'). */
const isMethodCall = (node: ts.Node, object: string, method: string): node is ts.CallExpression =>
  ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === method && node.expression.expression.getText() === object;

const isInside = (node: ts.Node, ancestor: ts.Node): boolean => {
  for (let current: ts.Node | undefined = node; current; current = current.parent) if (current === ancestor) return true;
  return false;
};

/**
 * Where the app waits for Electron's 'ready': app.whenReady(), app.on/once('ready', …), and calls of
 * top-level functions that do either (start()), in code that runs at load.
 */
function readyTriggers(source: ts.SourceFile): ts.Node[] {
  const waitsForReady = (node: ts.Node): boolean =>
    isMethodCall(node, 'app', 'whenReady') ||
    ((isMethodCall(node, 'app', 'on') || isMethodCall(node, 'app', 'once')) && ts.isStringLiteral(node.arguments[0] ?? node) && (node.arguments[0] as ts.StringLiteral).text === 'ready');
  const readyFunctions = new Set(
    source.statements.filter((statement): statement is ts.FunctionDeclaration => ts.isFunctionDeclaration(statement) && !!statement.name && findAll(statement, waitsForReady).length > 0).map((statement) => statement.name!.text),
  );
  return findRunningNow(source, (node) => waitsForReady(node) || (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && readyFunctions.has(node.expression.text)));
}

/** app.enableSandbox() and app.requestSingleInstanceLock() in the composition root, as described above. */
function lifecycleProblems(source: ts.SourceFile): string[] {
  const problems: string[] = [];
  const triggers = readyTriggers(source);
  if (triggers.length === 0) problems.push('nothing waits for app readiness at load (no app.whenReady() / start())');
  const topLevelIndex = (node: ts.Node): number => source.statements.findIndex((statement) => isInside(node, statement));
  const firstReady = Math.min(...triggers.map(topLevelIndex));

  const sandboxCalls = findAll(source, (node) => isMethodCall(node, 'app', 'enableSandbox'));
  if (sandboxCalls.length !== 1) problems.push(`app.enableSandbox() is called ${sandboxCalls.length} times, not once`);
  for (const call of sandboxCalls) {
    const statement = call.parent;
    if (!ts.isExpressionStatement(statement) || statement.parent !== source) problems.push(`${where(call)} app.enableSandbox() is not an unconditional top-level statement`);
    else if (!(topLevelIndex(call) < firstReady)) problems.push(`${where(call)} app.enableSandbox() comes after the app waits for 'ready'`);
  }

  const lockCalls = findAll(source, (node) => isMethodCall(node, 'app', 'requestSingleInstanceLock'));
  if (lockCalls.length !== 1) problems.push(`app.requestSingleInstanceLock() is called ${lockCalls.length} times, not once`);
  for (const call of lockCalls) {
    if (findRunningNow(source, (node) => node === call).length === 0) {
      problems.push(`${where(call)} app.requestSingleInstanceLock() runs only inside a function`);
      continue;
    }
    // `if (!app.requestSingleInstanceLock())`, or `const x = app.requestSingleInstanceLock(); if (!x)`.
    const holder = ts.isVariableDeclaration(call.parent) && ts.isIdentifier(call.parent.name) ? call.parent.name.text : null;
    const isRefusal = (condition: ts.Expression): boolean =>
      ts.isPrefixUnaryExpression(condition) &&
      condition.operator === ts.SyntaxKind.ExclamationToken &&
      (condition.operand === call || (holder !== null && ts.isIdentifier(condition.operand) && condition.operand.text === holder));
    const guard = findRunningNow(source, (node) => ts.isIfStatement(node) && isRefusal(node.expression))[0] as ts.IfStatement | undefined;
    if (!guard) {
      problems.push(`${where(call)} the app does not test for a refused single-instance lock`);
      continue;
    }
    const quits = findRunningNow(guard.thenStatement, (node) => isMethodCall(node, 'app', 'quit') || isMethodCall(node, 'app', 'exit'));
    if (quits.length === 0) problems.push(`${where(guard)} a refused single-instance lock does not quit`);
    for (const trigger of triggers) {
      if (!guard.elseStatement || !isInside(trigger, guard.elseStatement)) problems.push(`${where(trigger)} the app starts whether or not it holds the single-instance lock`);
    }
  }
  return problems;
}

/** The one way a window is made: index.ts's factory, called by main-window.ts with createWindowOptions(…). */
function windowCreationProblems(parsed: ReadonlyMap<string, Parsed>): string[] {
  const problems: string[] = [];
  const constructed = (name: string) => (node: ts.Node): boolean => ts.isNewExpression(node) && node.expression.getText() === name;
  for (const [file, { scripts }] of parsed) {
    for (const source of scripts) {
      for (const view of [...findAll(source, constructed('BrowserView')), ...findAll(source, constructed('WebContentsView'))]) problems.push(`${where(view)} constructs a view`);
      for (const node of findAll(source, constructed('BrowserWindow'))) {
        const creation = node as ts.NewExpression;
        const arrow = creation.parent;
        const property = arrow.parent;
        const call = property?.parent?.parent;
        const passesItsParameter =
          ts.isArrowFunction(arrow) && arrow.body === creation && arrow.parameters.length === 1 && creation.arguments?.length === 1 && creation.arguments[0]!.getText() === arrow.parameters[0]!.name.getText();
        const isTheFactory =
          file === 'electron/main/index.ts' &&
          passesItsParameter &&
          ts.isPropertyAssignment(property) &&
          propertyName(property.name) === 'createBrowserWindow' &&
          call !== undefined &&
          ts.isCallExpression(call) &&
          call.expression.getText() === 'createMainWindow' &&
          call.arguments[0] === property.parent;
        if (!isTheFactory) problems.push(`${where(creation)} new BrowserWindow outside the createMainWindow factory`);
      }
    }
  }
  const factoryCalls = [...parsed]
    .filter(([file]) => file === 'electron/main/shell/main-window.ts')
    .flatMap(([, { scripts }]) => scripts.flatMap((source) => findAll(source, (node) => ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'createBrowserWindow'))) as ts.CallExpression[];
  if (factoryCalls.length === 0) problems.push('electron/main/shell/main-window.ts never calls createBrowserWindow');
  for (const call of factoryCalls) {
    const [options] = call.arguments;
    if (call.arguments.length !== 1 || !options || !ts.isCallExpression(options) || options.expression.getText() !== 'createWindowOptions') problems.push(`${where(call)} createBrowserWindow is not given createWindowOptions(…)`);
  }
  return problems;
}

const files = sourceFiles();
const parsedFiles = new Map(files.map((file) => [file, parse(file)] as const));

describe('source hardening gate', () => {
  it('scans the whole source tree', () => {
    for (const folder of ['common/', 'electron/main/', 'electron/preload/', 'renderer/', 'server/', 'scripts/']) {
      expect(files.some((file) => file.startsWith(folder)), folder).toBe(true);
    }
    expect(files.filter((file) => file.endsWith('.vue')).length).toBeGreaterThan(0);
  });

  it('only the Electron shell imports electron: values in the two entry files, types in the shell', () => {
    const valueAllowed = new Set(['electron/main/index.ts', 'electron/preload/index.ts']);
    const typeAllowed = (file: string): boolean => valueAllowed.has(file) || file.startsWith('electron/main/shell/') || file.startsWith('electron/preload/');
    const problems: string[] = [];
    for (const [file, parsed] of parsedFiles) {
      for (const found of electronImports(parsed)) {
        if (found.kind === 'value' && !valueAllowed.has(file)) problems.push(`${found.at}: imports electron at run time`);
        if (found.kind === 'type' && !typeAllowed(file)) problems.push(`${found.at}: imports electron types outside the shell`);
      }
    }
    expect(problems).toEqual([]);
    expect(electronImports(parsedFiles.get('electron/main/index.ts')!).map((found) => found.kind)).toContain('value');
  });

  it('the preload exposes exactly one object, window.portal, and uses ipcRenderer only to invoke and (un)subscribe', () => {
    const exposures: string[] = [];
    const ipcUses = new Set<string>();
    for (const parsed of parsedFiles.values()) {
      for (const source of parsed.scripts) {
        walk(source, (node) => {
          if (ts.isPropertyAccessExpression(node) && ['exposeInMainWorld', 'exposeInIsolatedWorld'].includes(node.name.text)) {
            const call = node.parent;
            const key = ts.isCallExpression(call) && call.arguments[0] && ts.isStringLiteral(call.arguments[0]) ? call.arguments[0].text : '(not a string)';
            exposures.push(`${where(node)} ${node.name.text}('${key}')`);
          }
          if (source.fileName.startsWith('electron/preload/') && ts.isPropertyAccessExpression(node) && node.expression.getText() === 'ipcRenderer') ipcUses.add(node.name.text);
        });
      }
    }
    expect(exposures).toEqual([expect.stringMatching(/^electron\/preload\/index\.ts:\d+ exposeInMainWorld\('portal'\)$/)]);
    expect([...ipcUses].sort()).toEqual(['invoke', 'on', 'removeListener']);
  });

  it('no v-html or other HTML sink in the renderer', () => {
    const problems = [...parsedFiles].filter(([file]) => file.startsWith('renderer/')).flatMap(([file, parsed]) => htmlSinks(parsed).map((problem) => `${file}: ${problem}`));
    expect(problems).toEqual([]);
  });

  it('no security switch turned off, and TLS verification never disabled, anywhere in the source tree', () => {
    const problems = [...parsedFiles.values()].flatMap((parsed) => riskySwitches(parsed));
    expect(problems).toEqual([]);
  });

  it('the checks have teeth: they see code, and ignore comments and prose', () => {
    const sample = (text: string, file = 'sample.ts'): Parsed => parse(file, text);
    expect(riskySwitches(sample('new BrowserWindow({ webPreferences: { nodeIntegration: true, sandbox: !isDev } })'))).toEqual([
      'sample.ts:1 nodeIntegration: true',
      'sample.ts:1 sandbox: !isDev',
    ]);
    expect(riskySwitches(sample("const agent = new https.Agent({ 'rejectUnauthorized': false });\noptions.webSecurity = false;\nprocess.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';"))).toHaveLength(3);
    expect(riskySwitches(sample('// rejectUnauthorized: false appears nowhere\n/* webSecurity: false */ const ok = { webSecurity: true };'))).toEqual([]);
    expect(electronImports(sample("import { app } from 'electron';\nimport type { App } from 'electron';\nconst { shell } = require('electron/main');"))).toEqual([
      { kind: 'value', at: 'sample.ts:1' },
      { kind: 'type', at: 'sample.ts:2' },
      { kind: 'value', at: 'sample.ts:3' },
    ]);
    expect(electronImports(sample("// import { app } from 'electron'\nconst text = \"require('electron')\";"))).toEqual([]);
    expect(htmlSinks(sample('<template><div v-html="employee.note" /></template>', 'sample.vue'))).toEqual(['v-html in the template']);
    expect(htmlSinks(sample('<template><!-- never v-html="x" --><p>{{ x }}</p></template><script setup lang="ts">el.innerHTML = x;</script>', 'sample.vue'))).toHaveLength(1);
  });
  it('index.ts sandboxes every renderer before the app is ready, and quits when another instance holds the lock', () => {
    const index = parsedFiles.get('electron/main/index.ts')!.scripts[0]!;
    expect(lifecycleProblems(index)).toEqual([]);
  });

  it('every window is made by index.ts\'s factory from createWindowOptions(), and no view is constructed', () => {
    expect(windowCreationProblems(parsedFiles)).toEqual([]);
  });

  it('the lifecycle and window checks have teeth', () => {
    const source = (text: string): ts.SourceFile => sample(text).scripts[0]!;
    const sample = (text: string, file = 'electron/main/index.ts'): Parsed => parse(file, text);
    const start = 'async function start() { await app.whenReady(); }\n';
    const good = `app.enableSandbox();\n${start}if (!app.requestSingleInstanceLock()) { app.quit(); } else { start().catch(() => app.exit(1)); }`;
    expect(lifecycleProblems(source(good))).toEqual([]);
    expect(lifecycleProblems(source(`app.enableSandbox();\n${start}const held = app.requestSingleInstanceLock();\nif (!held) app.quit();\nelse void start();`))).toEqual([]);
    // The sandbox only once ready, or only sometimes, or not at all.
    expect(lifecycleProblems(source(`async function start() { await app.whenReady(); app.enableSandbox(); }\nif (!app.requestSingleInstanceLock()) { app.quit(); } else { void start(); }`))).toEqual([expect.stringContaining('is not an unconditional top-level statement')]);
    expect(lifecycleProblems(source(`${start}if (!app.requestSingleInstanceLock()) { app.quit(); } else { void start(); }\napp.enableSandbox();`))).toEqual([expect.stringContaining("comes after the app waits for 'ready'")]);
    expect(lifecycleProblems(source(`if (process.env.SANDBOX) app.enableSandbox();\n${start}if (!app.requestSingleInstanceLock()) { app.quit(); } else { void start(); }`))).toEqual([expect.stringContaining('is not an unconditional top-level statement')]);
    expect(lifecycleProblems(source(`${start}if (!app.requestSingleInstanceLock()) { app.quit(); } else { void start(); }`))).toEqual([expect.stringContaining('app.enableSandbox() is called 0 times')]);
    // No lock, a lock that is ignored, a refusal that does not quit, a start that does not wait for the lock.
    expect(lifecycleProblems(source(`app.enableSandbox();\n${start}void start();`))).toEqual([expect.stringContaining('app.requestSingleInstanceLock() is called 0 times')]);
    expect(lifecycleProblems(source(`app.enableSandbox();\n${start}app.requestSingleInstanceLock();\nvoid start();`))).toEqual([expect.stringContaining('does not test for a refused single-instance lock')]);
    expect(lifecycleProblems(source(`app.enableSandbox();\n${start}if (!app.requestSingleInstanceLock()) { console.log('again'); } else { void start(); }`))).toEqual([expect.stringContaining('a refused single-instance lock does not quit')]);
    expect(lifecycleProblems(source(`app.enableSandbox();\n${start}if (!app.requestSingleInstanceLock()) { app.quit(); }\nvoid start();`))).toEqual([expect.stringContaining('starts whether or not it holds the single-instance lock')]);

    const shell = (index: string, mainWindow: string): Map<string, Parsed> =>
      new Map([
        ['electron/main/index.ts', sample(index)],
        ['electron/main/shell/main-window.ts', sample(mainWindow, 'electron/main/shell/main-window.ts')],
      ]);
    const factory = 'createMainWindow({ createBrowserWindow: (options) => new BrowserWindow(options), preloadPath });';
    const throughOptions = 'export function createMainWindow(d) { return d.createBrowserWindow(createWindowOptions({ preloadPath: d.preloadPath })); }';
    expect(windowCreationProblems(shell(factory, throughOptions))).toEqual([]);
    expect(windowCreationProblems(shell(factory, 'export function createMainWindow(d) { return d.createBrowserWindow({ webPreferences: {} }); }'))).toEqual([expect.stringContaining('createBrowserWindow is not given createWindowOptions')]);
    expect(windowCreationProblems(shell(`${factory}\nconst popup = new BrowserWindow({ show: true });`, throughOptions))).toEqual([expect.stringContaining('new BrowserWindow outside the createMainWindow factory')]);
    expect(windowCreationProblems(shell('createMainWindow({ createBrowserWindow: (options) => new BrowserWindow({ ...options, webPreferences: {} }) });', throughOptions))).toEqual([expect.stringContaining('new BrowserWindow outside the createMainWindow factory')]);
    expect(windowCreationProblems(shell(`${factory}\nconst view = new WebContentsView();`, throughOptions))).toEqual([expect.stringContaining('constructs a view')]);
  });
});
