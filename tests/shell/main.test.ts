import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { DocumentPrinter } from '../../src/core/adapters/printing/types'
import { IPC_CHANNEL } from '../../src/shared/ipc'
import { createFakeElectron, FakeBrowserWindow, FakeWebContents, fakeEvent, fakeFrame, type FakeElectron } from './fake-electron'

// src/main/index.ts as Electron would run it, with a fake 'electron' and a fake core.
const state = vi.hoisted(() => ({
  electron: null as unknown as { module: Record<string, unknown> },
  stopScheduler: vi.fn(),
  core: { dispatch: vi.fn(), close: vi.fn(async () => undefined), startScheduler: vi.fn() },
  createCore: vi.fn(),
}))
// Getters: the mocked module object outlives vi.resetModules, each test's fake must not.
vi.mock('electron', () => {
  const names = ['app', 'BrowserWindow', 'dialog', 'ipcMain', 'Menu', 'protocol', 'safeStorage', 'session']
  return Object.defineProperties({}, Object.fromEntries(names.map((name) => [name, { enumerable: true, get: () => state.electron.module[name] }])))
})
vi.mock('../../src/core', () => ({ createCore: state.createCore }))

let dir: string
let fake: FakeElectron

function boot(options: { lock?: boolean; locale?: string; nativeBinding?: boolean } = {}) {
  const appPath = join(dir, 'app')
  if (options.nativeBinding) {
    mkdirSync(join(appPath, '.cache/native/electron-45.5.0'), { recursive: true })
    writeFileSync(join(appPath, '.cache/native/electron-45.5.0/better_sqlite3.node'), '')
  }
  fake = createFakeElectron({ appPath, userData: join(dir, 'user'), lock: options.lock ?? true, locale: options.locale ?? 'fr-CA' })
  state.electron = fake
  return import('../../src/main/index')
}

beforeEach(() => {
  vi.resetModules()
  dir = mkdtempSync(join(tmpdir(), 'guichet-main-'))
  Object.defineProperty(process.versions, 'electron', { value: '45.5.0', configurable: true })
  state.core.dispatch.mockReset().mockResolvedValue({ ok: true, value: 'pong' })
  state.createCore.mockReset().mockResolvedValue(state.core)
  state.stopScheduler.mockReset()
  state.core.close.mockClear()
  state.core.startScheduler.mockReset().mockReturnValue(state.stopScheduler)
  vi.spyOn(console, 'error').mockImplementation(() => undefined)
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
  Reflect.deleteProperty(process.versions, 'electron')
  vi.restoreAllMocks()
})

async function started(): Promise<FakeBrowserWindow> {
  fake.ready()
  await vi.waitFor(() => expect(FakeBrowserWindow.instances).toHaveLength(1))
  return FakeBrowserWindow.instances[0]!
}

describe('main process', () => {
  it('registers the app scheme and the sandbox before ready, and takes the single-instance lock', async () => {
    await boot()
    const { app, protocol } = fake.module
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ])
    expect(app.enableSandbox).toHaveBeenCalled()
    expect(app.requestSingleInstanceLock).toHaveBeenCalled()
    expect(state.createCore).not.toHaveBeenCalled()
    expect(FakeBrowserWindow.instances).toHaveLength(0)
  })

  it('quits at once when another instance holds the lock', async () => {
    await boot({ lock: false })
    expect(fake.module.app.quit).toHaveBeenCalled()
    expect(fake.module.app.whenReady).not.toHaveBeenCalled()
    expect(fake.module.app.listenerCount('web-contents-created')).toBe(0)
  })

  it('starts the core on userData/guichet.sqlite, then opens the window on app://guichet', async () => {
    await boot({ nativeBinding: true })
    const window = await started()
    expect(state.createCore).toHaveBeenCalledExactlyOnceWith(
      expect.objectContaining({
        file: join(dir, 'user', 'guichet.sqlite'),
        appVersion: '0.1.0-test',
        demoIfNew: false,
        nativeBinding: join(dir, 'app', '.cache/native/electron-45.5.0/better_sqlite3.node'),
      }),
    )
    expect(window.options.webPreferences).toMatchObject({
      preload: join(dir, 'app', 'out', 'preload', 'index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      devTools: true,
    })
    expect(window.loadURL).toHaveBeenCalledExactlyOnceWith('app://guichet/index.html')
    expect(state.core.startScheduler).toHaveBeenCalledOnce()
    const { protocol, session, Menu } = fake.module
    expect(protocol.handle).toHaveBeenCalledExactlyOnceWith('app', expect.any(Function))
    expect(session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled()
    expect(session.defaultSession.setPermissionCheckHandler).toHaveBeenCalled()
    if (process.platform !== 'darwin') expect(Menu.setApplicationMenu).toHaveBeenCalledWith(null)
  })

  it('gives the core the desktop printer, which refuses any dialog and any download while the window is a kiosk', async () => {
    await boot()
    const window = await started()
    const { printer } = state.createCore.mock.calls[0]![0] as { printer: DocumentPrinter }
    const { session, ipcMain } = fake.module
    expect(session.fromPartition).toHaveBeenCalledWith('guichet-print')
    expect(session.printSession.setPermissionRequestHandler).toHaveBeenCalled()
    expect(session.printSession.webRequest.onBeforeRequest).toHaveBeenCalled()
    const rpc = ipcMain.handle.mock.calls[0]![1] as (event: unknown, payload: unknown) => Promise<unknown>
    const sheet = { pdf: Buffer.from('%PDF-1.3'), title: 'liste', dialog: true, printer: null, paper: 'letter' as const }
    const download = () => {
      const event = fakeEvent()
      session.defaultSession.emit('will-download', event)
      return event.defaultPrevented()
    }
    expect(download()).toBe(false)

    state.core.dispatch.mockResolvedValue({ ok: true, value: {} })
    await rpc({ senderFrame: window.webContents.mainFrame }, { method: 'kiosk.start', input: {} })
    expect(window.setKiosk).toHaveBeenLastCalledWith(true)
    await expect(printer.print(sheet)).resolves.toMatchObject({ status: 'failed' })
    expect(FakeBrowserWindow.instances).toHaveLength(1)
    expect(download()).toBe(true)

    await rpc({ senderFrame: window.webContents.mainFrame }, { method: 'kiosk.end', input: { pin: '1234' } })
    await expect(printer.print(sheet)).resolves.toEqual({ status: 'printed' })
    expect(FakeBrowserWindow.instances[1]!.webContents.print.mock.calls[0]![0]).toMatchObject({ silent: false })
    expect(download()).toBe(false)
  })

  it('never seeds a demo by itself: the first start opens the install’s own, empty database', async () => {
    await boot()
    await started()
    const options = state.createCore.mock.calls[0]![0] as { file: string; demoIfNew: boolean; workspace: { kind: string } }
    expect(options).toMatchObject({ file: join(dir, 'user', 'guichet.sqlite'), demoIfNew: false, workspace: { kind: 'board' } })
  })

  it('opens the demo’s own file when the demo was chosen, and switches between the two on the first screen’s word', async () => {
    mkdirSync(join(dir, 'user'), { recursive: true })
    writeFileSync(join(dir, 'user', 'guichet.workspace'), 'demo\n')
    writeFileSync(join(dir, 'user', 'guichet-demo.sqlite'), '')
    await boot()
    const window = await started()
    type Opened = { file: string; demoIfNew: boolean; workspace: { kind: string; switchTo(kind: 'board' | 'demo'): void } }
    const opened = () => state.createCore.mock.calls.map((c) => c[0] as Opened)
    expect(opened()[0]).toMatchObject({ file: join(dir, 'user', 'guichet-demo.sqlite'), demoIfNew: true, workspace: { kind: 'demo' } })

    // Leaving the demo: the demo's core closes, its file goes, the install's own opens.
    let release: () => void = () => undefined
    state.core.close.mockImplementationOnce(() => new Promise<undefined>((resolve) => (release = () => resolve(undefined))))
    opened()[0]!.workspace.switchTo('board')
    // A call that comes meanwhile waits for the new core rather than reaching the closing one.
    const handler = fake.module.ipcMain.handle.mock.calls[0]![1] as (event: unknown, payload: unknown) => Promise<unknown>
    const answer = handler({ senderFrame: window.webContents.mainFrame }, { method: 'system.info', input: {} })
    await vi.waitFor(() => expect(state.core.close).toHaveBeenCalledOnce())
    expect(state.core.dispatch).not.toHaveBeenCalled()
    release()
    await expect(answer).resolves.toEqual({ ok: true, value: 'pong' })
    expect(opened()[1]).toMatchObject({ file: join(dir, 'user', 'guichet.sqlite'), demoIfNew: false, workspace: { kind: 'board' } })
    expect(existsSync(join(dir, 'user', 'guichet.workspace'))).toBe(false)
    expect(existsSync(join(dir, 'user', 'guichet-demo.sqlite'))).toBe(false)
    // The scheduler follows the open core.
    expect(state.core.startScheduler).toHaveBeenCalledTimes(2)

    opened()[1]!.workspace.switchTo('demo')
    await vi.waitFor(() => expect(opened()).toHaveLength(3))
    expect(opened()[2]).toMatchObject({ file: join(dir, 'user', 'guichet-demo.sqlite'), demoIfNew: true, workspace: { kind: 'demo' } })
    await vi.waitFor(() => expect(readFileSync(join(dir, 'user', 'guichet.workspace'), 'utf8')).toBe('demo\n'))
  })

  it('lets better-sqlite3 find its own build when there is no Electron build in .cache', async () => {
    await boot({ nativeBinding: false })
    await started()
    expect(state.createCore.mock.calls[0]![0]).not.toHaveProperty('nativeBinding')
  })

  it('hardens every web contents the app creates', async () => {
    await boot()
    const contents = new FakeWebContents()
    fake.module.app.emit('web-contents-created', {}, contents)
    expect(contents.setWindowOpenHandler).toHaveBeenCalled()
    const event = fakeEvent('https://example.com')
    contents.emit('will-navigate', event, event.url)
    expect(event.defaultPrevented()).toBe(true)
  })

  it('answers IPC from its window and refuses anyone else, before reaching the core', async () => {
    await boot()
    const window = await started()
    const { ipcMain } = fake.module
    expect(ipcMain.handle).toHaveBeenCalledExactlyOnceWith(IPC_CHANNEL, expect.any(Function))
    const handler = ipcMain.handle.mock.calls[0]![1] as (event: unknown, payload: unknown) => Promise<unknown>
    const request = { method: 'system.ping', input: {} }

    await expect(handler({ senderFrame: fakeFrame() }, request)).rejects.toThrow(/not the main frame/)
    await expect(handler({ senderFrame: null }, request)).rejects.toThrow()
    expect(state.core.dispatch).not.toHaveBeenCalled()

    await expect(handler({ senderFrame: window.webContents.mainFrame }, request)).resolves.toEqual({ ok: true, value: 'pong' })
    expect(state.core.dispatch).toHaveBeenCalledExactlyOnceWith(request)

    // A closed window's frame is no longer trusted.
    window.emit('closed')
    await expect(handler({ senderFrame: window.webContents.mainFrame }, request)).rejects.toThrow()
    expect(state.core.dispatch).toHaveBeenCalledOnce()
  })

  it('closes the core before quitting', async () => {
    await boot()
    await started()
    const event = fakeEvent()
    fake.module.app.emit('will-quit', event)
    expect(event.defaultPrevented()).toBe(true)
    await vi.waitFor(() => expect(fake.module.app.quit).toHaveBeenCalled())
    expect(state.core.close).toHaveBeenCalledOnce()
    expect(state.stopScheduler).toHaveBeenCalledOnce()
    const again = fakeEvent()
    fake.module.app.emit('will-quit', again)
    expect(again.defaultPrevented()).toBe(false)
  })

  it('explains, in the catalogue language, why it cannot start, and exits', async () => {
    // Imported after vi.resetModules, like src/main will: the same class, so instanceof holds.
    const { GuichetError } = await import('../../src/shared/errors')
    state.createCore.mockRejectedValue(new GuichetError('DB_TOO_NEW', { found: 9, known: 5 }))
    await boot({ locale: 'en-US' })
    fake.ready()
    await vi.waitFor(() => expect(fake.module.app.exit).toHaveBeenCalledWith(1))
    expect(fake.module.dialog.showErrorBox).toHaveBeenCalledExactlyOnceWith('Guichet', expect.stringContaining('newer version of Guichet (schema 9'))
    expect(FakeBrowserWindow.instances).toHaveLength(0)
  })

  it('says so in French by default', async () => {
    state.createCore.mockRejectedValue(new Error('disk full'))
    await boot({ locale: 'fr-CA' })
    fake.ready()
    await vi.waitFor(() => expect(fake.module.dialog.showErrorBox).toHaveBeenCalled())
    expect(fake.module.dialog.showErrorBox).toHaveBeenCalledWith('Guichet', 'Une erreur inattendue est survenue. Rien n’a été modifié.')
  })
})
