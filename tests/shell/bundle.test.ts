import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { IPC_CHANNEL } from '../../src/shared/ipc'
import { createFakeElectron, FakeBrowserWindow, fakeFrame } from './fake-electron'

// The built main process (out/main/index.js, CommonJS) run by plain Node with a fake 'electron':
// the bundle loads, starts the real core on a new demo database (Node's better-sqlite3), opens
// its window and answers IPC. Needs `npm run build` first (`npm run test:shell` does it).
const MAIN = resolve('out/main/index.js')
const PRELOAD = resolve('out/preload/index.js')
const built = existsSync(MAIN) && existsSync(PRELOAD)

describe('built bundles (out/)', () => {
  it('exist: run `npm run build` first (npm test does)', () => {
    expect(built).toBe(true)
  })

  const dir = mkdtempSync(join(tmpdir(), 'guichet-bundle-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('the preload requires nothing but electron and exposes one function', () => {
    const code = readFileSync(PRELOAD, 'utf8')
    expect([...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron'])
    const exposed: Array<[string, Record<string, unknown>]> = []
    const electron = { contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => exposed.push([name, api]) }, ipcRenderer: { invoke: vi.fn() } }
    new Function('require', code)((id: string) => (id === 'electron' ? electron : undefined))
    expect(exposed.map(([name, api]) => [name, Object.keys(api)])).toEqual([['guichet', ['call']]])
  })

  it('the main process starts the core and serves its window', async () => {
    const fake = createFakeElectron({ appPath: dir, userData: join(dir, 'user') })
    Object.defineProperty(process.versions, 'electron', { value: '45.5.0', configurable: true })
    const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load
    ;(Module as unknown as { _load: typeof load })._load = (request, ...rest) => (request === 'electron' ? fake.module : load(request, ...rest))
    try {
      createRequire(MAIN)(MAIN)
      fake.ready()
      await vi.waitFor(() => expect(FakeBrowserWindow.instances).toHaveLength(1), { timeout: 20_000 })
      const window = FakeBrowserWindow.instances[0]!
      expect(window.loadURL).toHaveBeenCalledWith('app://guichet/index.html')
      expect(existsSync(join(dir, 'user', 'guichet.sqlite'))).toBe(true)

      const [channel, handler] = fake.module.ipcMain.handle.mock.calls[0] as [string, (event: unknown, payload: unknown) => Promise<unknown>]
      expect(channel).toBe(IPC_CHANNEL)
      await expect(handler({ senderFrame: fakeFrame() }, { method: 'system.info', input: {} })).rejects.toThrow()
      await expect(handler({ senderFrame: window.webContents.mainFrame }, { method: 'system.info', input: {} })).resolves.toMatchObject({ ok: true })

      // Quit closes the database.
      const quit = { preventDefault: vi.fn() }
      fake.module.app.emit('will-quit', quit)
      expect(quit.preventDefault).toHaveBeenCalled()
      await vi.waitFor(() => expect(fake.module.app.quit).toHaveBeenCalled())
    } finally {
      ;(Module as unknown as { _load: typeof load })._load = load
      Reflect.deleteProperty(process.versions, 'electron')
    }
  })
})
