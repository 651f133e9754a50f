// Hand-written stand-in for the `electron` module (vitest aliases `electron` to this file): the real package
// would try to download the Electron binary. Only the surface our code and electron-store touch.
// Test-only controls live on `electronStub`; `resetElectronStub()` restores a clean state.
import { EventEmitter } from 'node:events';

type Listener = (...args: unknown[]) => unknown;

const state = {
  paths: new Map<string, string>(),
  singleInstanceLock: true,
  loginItem: { openAtLogin: false, args: [] as string[] },
  encryptionAvailable: true,
  /** The fake key version; raising it makes older blobs ask for re-encryption. */
  keyVersion: 1,
  protocolRegistrationAllowed: true,
};

// ---------------------------------------------------------------- app
class FakeApp extends EventEmitter {
  isPackaged = false;
  quitCalls = 0;
  exitCodes: number[] = [];
  appUserModelId: string | null = null;
  getName = (): string => 'Dialler Bridge';
  getVersion = (): string => '0.1.0';
  getAppPath = (): string => process.cwd();
  getPath = (name: string): string => {
    const value = state.paths.get(name);
    // Throwing catches code that would write into a real user folder.
    if (value === undefined) throw new Error(`electron stub: app.getPath("${name}") was not set by the test`);
    return value;
  };
  whenReady = (): Promise<void> => Promise.resolve();
  requestSingleInstanceLock = (): boolean => state.singleInstanceLock;
  quit = (): void => {
    this.quitCalls++;
  };
  exit = (code = 0): void => {
    this.exitCodes.push(code);
  };
  setAppUserModelId = (id: string): void => {
    this.appUserModelId = id;
  };
  setLoginItemSettings = (settings: { openAtLogin?: boolean; args?: string[] }): void => {
    state.loginItem = { openAtLogin: settings.openAtLogin ?? false, args: settings.args ?? [] };
  };
  getLoginItemSettings = (): { openAtLogin: boolean; args: string[] } => ({ ...state.loginItem });
  /** Schemes registered for this user (HKCU\\Software\\Classes on Windows). */
  readonly protocolClients = new Set<string>();
  setAsDefaultProtocolClient = (protocol: string): boolean => {
    if (!state.protocolRegistrationAllowed) return false;
    this.protocolClients.add(protocol);
    return true;
  };
  removeAsDefaultProtocolClient = (protocol: string): boolean => this.protocolClients.delete(protocol);
  isDefaultProtocolClient = (protocol: string): boolean => this.protocolClients.has(protocol);
}

// ---------------------------------------------------------------- global shortcuts
export const globalShortcut = {
  /** Accelerators another app holds: register() returns false for them, as Electron does. */
  takenByOtherApps: new Set<string>(),
  registered: new Map<string, () => void>(),
  register(accelerator: string, callback: () => void): boolean {
    if (!/^[A-Za-z]+(\+[A-Za-z0-9]+)+$/.test(accelerator)) {
      throw new TypeError(`Error processing argument at index 0, conversion failure from ${accelerator}`);
    }
    if (globalShortcut.takenByOtherApps.has(accelerator) || globalShortcut.registered.has(accelerator))
      return false;
    globalShortcut.registered.set(accelerator, callback);
    return true;
  },
  unregister(accelerator: string): void {
    globalShortcut.registered.delete(accelerator);
  },
  unregisterAll(): void {
    globalShortcut.registered.clear();
  },
  /** The user pressing the keys. */
  press(accelerator: string): void {
    const callback = globalShortcut.registered.get(accelerator);
    if (!callback) throw new Error(`electron stub: ${accelerator} is not registered`);
    callback();
  },
};

// ---------------------------------------------------------------- IPC
// `any` event: handlers type it as Electron's IpcMainInvokeEvent (or a narrower shape of their own).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type InvokeHandler = (event: any, ...args: unknown[]) => unknown;

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, InvokeHandler>();
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What `ipcRenderer.invoke` would do in the real app: run the handler with this event. */
  async invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

class FakeIpcRenderer extends EventEmitter {
  readonly invocations: { channel: string; args: unknown[] }[] = [];
  respond: (channel: string, args: unknown[]) => unknown = () => undefined;
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args });
    return Promise.resolve(this.respond(channel, args));
  }
}

const exposed = new Map<string, unknown>();
export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    exposed.set(key, api);
  },
};

// ---------------------------------------------------------------- windows
let nextWebContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  url = '';
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  readonly session = session.defaultSession;
  private destroyed = false;
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly all: BrowserWindow[] = [];
  static fromWebContents(contents: unknown): BrowserWindow | null {
    return BrowserWindow.all.find((win) => win.webContents === contents) ?? null;
  }
  static getAllWindows(): BrowserWindow[] {
    return [...BrowserWindow.all];
  }
  readonly webContents = new FakeWebContents();
  loadedFile: string | null = null;
  private visible = false;
  private focused = false;
  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    BrowserWindow.all.push(this);
  }
  loadFile(file: string): Promise<void> {
    this.loadedFile = file;
    this.webContents.url = new URL(`file://${file.startsWith('/') ? '' : '/'}${file}`).href;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
    this.focused = true;
  }
  hide(): void {
    this.visible = false;
    this.focused = false;
  }
  focus(): void {
    this.focused = true;
  }
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isFocused(): boolean {
    return this.focused;
  }
  isDestroyed(): boolean {
    return this.webContents.isDestroyed();
  }
  /** Like a user closing the window: listeners may preventDefault. */
  close(): void {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.webContents.destroy();
  }
}

// ---------------------------------------------------------------- tray, menus, images, notifications
export class Tray extends EventEmitter {
  static readonly all: Tray[] = [];
  tooltip = '';
  contextMenu: unknown = null;
  destroyed = false;
  constructor(public image: unknown) {
    super();
    Tray.all.push(this);
  }
  setImage(image: unknown): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: unknown): void {
    this.contextMenu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export const Menu = {
  buildFromTemplate: (template: unknown[]): { template: unknown[] } => ({ template }),
};

export const nativeImage = {
  createFromPath: (file: string): { file: string; isEmpty(): boolean } => ({ file, isEmpty: () => false }),
};

export class Notification extends EventEmitter {
  static readonly shown: Notification[] = [];
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: { title: string; body: string; silent?: boolean }) {
    super();
  }
  show(): void {
    Notification.shown.push(this);
  }
}

export const shell = {
  openedPaths: [] as string[],
  openedExternal: [] as string[],
  openPath(target: string): Promise<string> {
    shell.openedPaths.push(target);
    return Promise.resolve('');
  },
  openExternal(url: string): Promise<void> {
    shell.openedExternal.push(url);
    return Promise.resolve();
  },
};

export const clipboard = {
  text: '',
  writeText(text: string): void {
    clipboard.text = text;
  },
  /** Async since Electron 45 (the W3C clipboard shape). */
  readText(): Promise<string> {
    return Promise.resolve(clipboard.text);
  },
};

export const session = {
  defaultSession: {
    permissionRequestHandler: null as Listener | null,
    permissionCheckHandler: null as Listener | null,
    setPermissionRequestHandler(handler: Listener | null): void {
      session.defaultSession.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: Listener | null): void {
      session.defaultSession.permissionCheckHandler = handler;
    },
  },
};

export const dialog = {
  errors: [] as { title: string; content: string }[],
  showErrorBox(title: string, content: string): void {
    dialog.errors.push({ title, content });
  },
};

// ---------------------------------------------------------------- safeStorage
// Reversible but not the identity: a magic prefix, the key version, then the text XOR-ed byte by byte, so a
// test can prove that neither the text nor its base64 reaches the disk.
const MAGIC = Buffer.from('FAKEv');
const xor = (bytes: Buffer): Buffer => Buffer.from(bytes.map((b) => b ^ 0xa5));

export const safeStorage = {
  isAsyncEncryptionAvailable: (): Promise<boolean> => Promise.resolve(state.encryptionAvailable),
  encryptStringAsync(plainText: string): Promise<Buffer> {
    if (!state.encryptionAvailable) return Promise.reject(new Error('Encryption is not available.'));
    return Promise.resolve(
      Buffer.concat([MAGIC, Buffer.from([state.keyVersion]), xor(Buffer.from(plainText, 'utf8'))]),
    );
  },
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    if (!state.encryptionAvailable) return Promise.reject(new Error('Decryption is not available.'));
    if (!encrypted.subarray(0, MAGIC.length).equals(MAGIC)) {
      return Promise.reject(new Error('Error while decrypting the ciphertext provided to safeStorage.'));
    }
    const version = encrypted[MAGIC.length];
    return Promise.resolve({
      result: xor(encrypted.subarray(MAGIC.length + 1)).toString('utf8'),
      shouldReEncrypt: version !== state.keyVersion,
    });
  },
};

// ---------------------------------------------------------------- exports
export const app = new FakeApp();
export const ipcMain = new FakeIpcMain();
export const ipcRenderer = new FakeIpcRenderer();

/** Test controls. */
export const electronStub = {
  setPath(name: string, value: string): void {
    state.paths.set(name, value);
  },
  set singleInstanceLock(value: boolean) {
    state.singleInstanceLock = value;
  },
  set protocolRegistrationAllowed(value: boolean) {
    state.protocolRegistrationAllowed = value;
  },
  set encryptionAvailable(value: boolean) {
    state.encryptionAvailable = value;
  },
  /** Simulates the OS rotating the encryption key. */
  rotateKey(): void {
    state.keyVersion++;
  },
  exposed,
};

export function resetElectronStub(): void {
  state.paths.clear();
  state.singleInstanceLock = true;
  state.loginItem = { openAtLogin: false, args: [] };
  state.encryptionAvailable = true;
  state.keyVersion = 1;
  state.protocolRegistrationAllowed = true;
  app.removeAllListeners();
  app.isPackaged = false;
  app.protocolClients.clear();
  globalShortcut.takenByOtherApps.clear();
  globalShortcut.registered.clear();
  app.quitCalls = 0;
  app.exitCodes.length = 0;
  app.appUserModelId = null;
  ipcMain.removeAllListeners();
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invocations.length = 0;
  ipcRenderer.respond = () => undefined;
  exposed.clear();
  BrowserWindow.all.length = 0;
  Tray.all.length = 0;
  Notification.shown.length = 0;
  shell.openedPaths.length = 0;
  shell.openedExternal.length = 0;
  clipboard.text = '';
  dialog.errors.length = 0;
  session.defaultSession.permissionRequestHandler = null;
  session.defaultSession.permissionCheckHandler = null;
}

const electron = {
  app,
  ipcMain,
  ipcRenderer,
  contextBridge,
  BrowserWindow,
  Tray,
  Menu,
  nativeImage,
  Notification,
  shell,
  clipboard,
  globalShortcut,
  session,
  dialog,
  safeStorage,
};
export default electron;
