import { readFileSync } from 'node:fs'
import { vi } from 'vitest'

/**
 * A stand-in for the 'electron' module, enough for src/main and src/preload: Electron itself
 * never starts on the test machines. Every function is a vi.fn() so tests can look at calls.
 */

type Listener = (...args: unknown[]) => unknown

export class FakeEmitter {
  private listeners = new Map<string, Listener[]>()
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
    return this
  }
  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.off(event, wrapped)
      return listener(...args)
    }
    return this.on(event, wrapped)
  }
  off(event: string, listener: Listener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener))
    return this
  }
  emit(event: string, ...args: unknown[]): boolean {
    const listeners = this.listeners.get(event) ?? []
    for (const listener of listeners) listener(...args)
    return listeners.length > 0
  }
  listenerCount(event: string): number {
    return (this.listeners.get(event) ?? []).length
  }
}

export interface FakeFrame {
  url: string
  parent: FakeFrame | null
  processId: number
  routingId: number
}

let nextRoutingId = 1

export function fakeFrame(overrides: Partial<FakeFrame> = {}): FakeFrame {
  return { url: 'app://guichet/index.html', parent: null, processId: 7, routingId: nextRoutingId++, ...overrides }
}

/** A navigation-like event, as Electron passes to will-navigate and friends. */
export function fakeEvent(url = ''): { url: string; preventDefault: ReturnType<typeof vi.fn>; defaultPrevented: () => boolean } {
  const preventDefault = vi.fn()
  return { url, preventDefault, defaultPrevented: () => preventDefault.mock.calls.length > 0 }
}

export class FakeWebContents extends FakeEmitter {
  mainFrame: FakeFrame = fakeFrame()
  setWindowOpenHandler = vi.fn()
  closeDevTools = vi.fn()
  /** What the system's printers are, and how the next print ends (Electron's callback arguments). */
  static printers: Array<{ name: string; displayName: string; description: string; options: Record<string, string> }> = []
  static printAnswer: [boolean, string] = [true, '']
  getPrintersAsync = vi.fn(async () => FakeWebContents.printers)
  print = vi.fn((_options: Record<string, unknown>, callback?: (success: boolean, failureReason: string) => void) => {
    callback?.(...FakeWebContents.printAnswer)
  })
}

export class FakeBrowserWindow extends FakeEmitter {
  static instances: FakeBrowserWindow[] = []
  webContents = new FakeWebContents()
  destroyed = false
  loadURL = vi.fn(async (_url: string) => undefined)
  /** What each loadFile found in the file, read at once (a print window's PDF is removed afterwards). */
  loaded: Buffer[] = []
  loadFile = vi.fn(async (path: string) => {
    this.loaded.push(readFileSync(path))
  })
  destroy = vi.fn(() => {
    this.destroyed = true
  })
  show = vi.fn()
  focus = vi.fn()
  restore = vi.fn()
  isMinimized = vi.fn(() => false)
  isDestroyed = vi.fn(() => this.destroyed)
  setKiosk = vi.fn()
  setMenuBarVisibility = vi.fn()
  setClosable = vi.fn()
  constructor(public options: Record<string, unknown> & { webPreferences: Record<string, unknown> }) {
    super()
    FakeBrowserWindow.instances.push(this)
  }
}

export function fakeSession() {
  return Object.assign(new FakeEmitter(), {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
    webRequest: { onBeforeRequest: vi.fn(), onHeadersReceived: vi.fn() },
  })
}

export interface FakeElectronOptions {
  appPath: string
  userData: string
  lock?: boolean
  packaged?: boolean
  locale?: string
}

/** A fresh fake module; `ready()` resolves app.whenReady(). */
export function createFakeElectron(options: FakeElectronOptions) {
  let ready!: () => void
  const whenReady = new Promise<void>((resolve) => (ready = resolve))
  const app = Object.assign(new FakeEmitter(), {
    isPackaged: options.packaged ?? false,
    whenReady: vi.fn(() => whenReady),
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => options.lock ?? true),
    quit: vi.fn(),
    exit: vi.fn(),
    getAppPath: vi.fn(() => options.appPath),
    getPath: vi.fn((name: string) => (name === 'userData' ? options.userData : `/fake/${name}`)),
    getVersion: vi.fn(() => '0.1.0-test'),
    getLocale: vi.fn(() => options.locale ?? 'fr-CA'),
  })
  FakeBrowserWindow.instances = []
  FakeWebContents.printers = []
  FakeWebContents.printAnswer = [true, '']
  const defaultSession = fakeSession()
  const printSession = fakeSession()
  return {
    ready: () => ready(),
    module: {
      app,
      BrowserWindow: FakeBrowserWindow,
      dialog: { showErrorBox: vi.fn() },
      ipcMain: { handle: vi.fn() },
      Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn((template: unknown) => ({ template })) },
      protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
      session: { defaultSession, printSession, fromPartition: vi.fn((_partition: string) => printSession) },
      safeStorage: { isEncryptionAvailable: vi.fn(() => true), encryptString: vi.fn((s: string) => Buffer.from(`sealed:${s}`)), decryptString: vi.fn((b: Buffer) => b.toString().slice(7)) },
    },
  }
}

export type FakeElectron = ReturnType<typeof createFakeElectron>
