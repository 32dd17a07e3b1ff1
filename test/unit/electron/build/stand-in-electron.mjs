/**
 * A stand-in for the `electron` module, so the built main bundle (out/main/index.cjs) can be run
 * in plain Node where the Electron binary cannot be installed:
 *
 *   node --import ./stand-in-electron.mjs out/main/index.cjs
 *
 * It reports what the bundle does to Electron as JSON lines on stdout (`STAND-IN {...}`) and takes
 * commands as JSON lines on stdin (emit an app or powerMonitor event, close the windows, end the session, quit,
 * answer the keychain, invoke an IPC channel from the window). Environment:
 *
 *   STAND_IN_USER_DATA   app.getPath('userData') until the bundle sets it
 *   STAND_IN_PACKAGED=1  app.isPackaged
 *   STAND_IN_KEYRING     'missing' (the native binary is absent), 'waiting' (every read waits for
 *                        an answer-keychain command), or unset (the real @napi-rs/keyring)
 *   STAND_IN_PLATFORM    process.platform as the bundle sees it (darwin: the app outlives its windows)
 *
 * It models only what the composition root uses; anything else is a no-op that reports itself.
 */
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import Module from 'node:module';

function report(event, details = {}) {
  process.stdout.write(`STAND-IN ${JSON.stringify({ event, ...details })}\n`);
}

/** Anything not modelled: callable, constructible, every property another one; never a thenable. */
function inert(path) {
  const target = function () {};
  return new Proxy(target, {
    get: (_target, property) => (property === 'then' || typeof property === 'symbol' ? undefined : inert(`${path}.${String(property)}`)),
    apply: () => inert(`${path}()`),
    construct: () => inert(`new ${path}`),
  });
}

let userData = process.env.STAND_IN_USER_DATA ?? '';
const windows = [];
const ipcHandlers = new Map();
let nextId = 1;

class StandInApp extends EventEmitter {
  isPackaged = process.env.STAND_IN_PACKAGED === '1';
  name = 'Portal Admin';
  enableSandbox() {
    report('app.enableSandbox');
  }
  setPath(name, path) {
    if (name === 'userData') userData = path;
    report('app.setPath', { name, path });
  }
  getPath(name) {
    if (name !== 'userData') throw new Error(`stand-in: getPath(${name}) is not modelled`);
    return userData;
  }
  getVersion() {
    return '0.0.0-stand-in';
  }
  getPreferredSystemLanguages() {
    return ['en-US'];
  }
  whenReady() {
    return new Promise((resolve) => setImmediate(resolve));
  }
  requestSingleInstanceLock() {
    report('app.requestSingleInstanceLock');
    return true;
  }
  quit() {
    report('app.quit');
    let isPrevented = false;
    this.emit('before-quit', { preventDefault: () => (isPrevented = true) });
    if (isPrevented) {
      report('app.quit-held');
      return;
    }
    report('app.ended', { code: 0 });
    process.exit(0);
  }
  exit(code) {
    report('app.ended', { code });
    process.exit(code);
  }
}
const app = new StandInApp();

class WebContents extends EventEmitter {
  id = nextId++;
  url = 'about:blank';
  constructor() {
    super();
    const frameUrl = () => this.url;
    this.mainFrame = {
      parent: null,
      frameTreeNodeId: 1,
      processId: 1,
      routingId: 1,
      get url() {
        return frameUrl();
      },
    };
  }
  setWindowOpenHandler() {}
  isDestroyed() {
    return false;
  }
  getURL() {
    return this.url;
  }
  send(channel, payload) {
    report('webContents.send', { channel, payload });
  }
}

class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.isVisible = options.show !== false;
    this.isDestroyedFlag = false;
    this.maximized = false;
    this.isPageReady = false;
    this.webContents = new WebContents();
    windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
    report('window.create', { show: options.show ?? true, sandbox: options.webPreferences?.sandbox ?? null });
  }
  async loadURL(url) {
    this.webContents.url = url;
    report('window.loadURL', { url });
    setImmediate(() => {
      this.isPageReady = true;
      this.emit('ready-to-show');
    });
  }
  show() {
    this.isVisible = true;
    report('window.show');
  }
  maximize() {
    // As in Electron: maximising a hidden window shows it.
    report('window.maximize', { wasVisible: this.isVisible, isPageReady: this.isPageReady });
    this.isVisible = true;
    this.maximized = true;
  }
  focus() {
    report('window.focus');
  }
  setContentProtection(enabled) {
    report('window.setContentProtection', { enabled, wasVisible: this.isVisible });
  }
  restore() {}
  isMinimized() {
    return false;
  }
  isMaximized() {
    return this.maximized;
  }
  isFullScreen() {
    return false;
  }
  isDestroyed() {
    return this.isDestroyedFlag;
  }
  getNormalBounds() {
    return { x: 10, y: 10, width: 1200, height: 800 };
  }
  close() {
    this.emit('close', { preventDefault() {} });
    this.isDestroyedFlag = true;
    this.emit('closed');
    report('window.closed');
  }
}

const ipcMain = {
  handle(channel, handler) {
    ipcHandlers.set(channel, handler);
  },
  removeHandler(channel) {
    ipcHandlers.delete(channel);
  },
  on() {},
};

const protocol = {
  registerSchemesAsPrivileged(schemes) {
    report('protocol.registerSchemesAsPrivileged', { schemes });
  },
  handle(scheme) {
    report('protocol.handle', { scheme });
  },
};

const dialog = {
  showErrorBox(title, content) {
    report('dialog.showErrorBox', { title, content });
  },
  showMessageBox: async () => ({ response: 0, checkboxChecked: false }),
};

/** Screen lock and sleep; fired with the `emit-power` command. */
const powerMonitor = new EventEmitter();

const electron = {
  app,
  powerMonitor,
  BrowserWindow,
  ipcMain,
  protocol,
  dialog,
  Menu: {
    buildFromTemplate: (template) => template,
    setApplicationMenu: (menu) => report('Menu.setApplicationMenu', { labels: menu.map((item) => item.label ?? item.role ?? null) }),
  },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }] },
  session: { defaultSession: inert('session.defaultSession') },
  shell: inert('shell'),
  clipboard: inert('clipboard'),
};

if (process.env.STAND_IN_PLATFORM) Object.defineProperty(process, 'platform', { value: process.env.STAND_IN_PLATFORM });

const keyringMode = process.env.STAND_IN_KEYRING;
const waitingReads = [];
const waitingKeyring = {
  AsyncEntry: class {
    getPassword() {
      report('keyring.getPassword');
      return new Promise((resolve) => waitingReads.push(resolve));
    }
    async setPassword() {}
    async deletePassword() {
      return true;
    }
  },
};

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === 'electron') return electron;
  if (request === '@napi-rs/keyring' && keyringMode === 'missing') {
    report('keyring.load-failed');
    throw new Error('Cannot find native binding. npm has a bug related to optional dependencies (https://github.com/npm/cli/issues/4828).');
  }
  if (request === '@napi-rs/keyring' && keyringMode === 'waiting') return waitingKeyring;
  return originalLoad.call(this, request, parent, isMain);
};

process.on('exit', (code) => report('process.exit', { code }));

const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const command = JSON.parse(line);
  const live = windows.filter((window) => !window.isDestroyed());
  switch (command.do) {
    case 'emit-app':
      app.emit(command.event, {}, [], process.cwd());
      break;
    case 'emit-power':
      powerMonitor.emit(command.event, {});
      break;
    case 'close-windows':
      for (const window of live) window.close();
      if (windows.every((window) => window.isDestroyed())) app.emit('window-all-closed');
      break;
    case 'session-end':
      for (const window of live) window.emit('session-end', { reasons: ['logoff'] });
      break;
    case 'quit':
      app.quit();
      break;
    case 'answer-keychain':
      for (const resolve of waitingReads.splice(0)) resolve(command.value ?? null);
      break;
    case 'invoke': {
      const window = live[0];
      const handler = ipcHandlers.get(command.channel);
      if (!window || !handler) {
        report('ipc.result', { channel: command.channel, missing: true });
        break;
      }
      const frame = window.webContents.mainFrame;
      void Promise.resolve(handler({ sender: window.webContents, senderFrame: frame }, command.payload)).then((result) =>
        report('ipc.result', { channel: command.channel, result }),
      );
      break;
    }
    case 'state':
      report('state', { windows: live.length, visible: live.filter((window) => window.isVisible).length, ipcChannels: ipcHandlers.size, waitingKeychainReads: waitingReads.length });
      break;
    default:
      report('unknown-command', { command });
  }
});
