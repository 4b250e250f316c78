import { describe, expect, it, vi } from 'vitest'
import { createRpcHandler, isTrustedSender, MalformedRequestError, registerRpc, UntrustedSenderError, type WindowLike } from '../../src/main/ipc'
import { IPC_CHANNEL } from '../../src/shared/ipc'
import { FakeBrowserWindow, fakeFrame, type FakeFrame } from './fake-electron'

function setup() {
  const window = new FakeBrowserWindow({ webPreferences: {} })
  const windows = [window] as unknown as WindowLike[]
  const core = { dispatch: vi.fn(async () => ({ ok: true as const, value: 'pong' })) }
  const handler = createRpcHandler(core, () => windows)
  const call = (senderFrame: FakeFrame | null, payload: unknown) => handler({ senderFrame } as never, payload)
  return { window, windows, core, call, main: window.webContents.mainFrame }
}

const request = { method: 'system.ping', input: { a: 1 }, session: 's-1', locale: 'en-CA' }

describe('IPC sender check', () => {
  it('forwards a valid call from the main frame of our window to the core', async () => {
    const { call, core, main } = setup()
    await expect(call(main, request)).resolves.toEqual({ ok: true, value: 'pong' })
    expect(core.dispatch).toHaveBeenCalledExactlyOnceWith(request)
  })

  it('recognises the main frame by process and routing id too', async () => {
    const { call, core, main } = setup()
    await expect(call({ ...main }, request)).resolves.toEqual({ ok: true, value: 'pong' })
    expect(core.dispatch).toHaveBeenCalledOnce()
  })

  it.each([
    ['no sender frame', () => null],
    ['a frame of no window of ours', () => fakeFrame()],
    ['an iframe inside our window', (main: FakeFrame) => ({ ...main, routingId: main.routingId + 1000, parent: main })],
    ['our main frame showing another origin', (main: FakeFrame) => Object.assign(main, { url: 'https://evil.example/' })],
    ['our main frame on file://', (main: FakeFrame) => Object.assign(main, { url: 'file:///tmp/x.html' })],
    ['our main frame on another app host', (main: FakeFrame) => Object.assign(main, { url: 'app://evil/index.html' })],
  ])('refuses %s without calling the core', async (_name, frameOf) => {
    const { call, core, main } = setup()
    await expect(call(frameOf(main), request)).rejects.toBeInstanceOf(UntrustedSenderError)
    expect(core.dispatch).not.toHaveBeenCalled()
  })

  it('refuses a frame of a window that was destroyed', async () => {
    const { call, core, main, window } = setup()
    window.destroyed = true
    await expect(call(main, request)).rejects.toBeInstanceOf(UntrustedSenderError)
    expect(core.dispatch).not.toHaveBeenCalled()
  })

  it('refuses a frame that was disposed while being checked', () => {
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed')
      },
      parent: null,
      processId: 1,
      routingId: 1,
    }
    expect(isTrustedSender(disposed, [])).toBe(false)
  })

  it.each([
    ['null', null],
    ['a string', 'system.ping'],
    ['an array', [request]],
    ['no method', { input: {} }],
    ['an empty method', { method: '', input: {} }],
    ['a numeric method', { method: 42, input: {} }],
    ['a method too long', { method: 'x'.repeat(101), input: {} }],
    ['a numeric session', { method: 'system.ping', session: 5 }],
    ['a session too long', { method: 'system.ping', session: 's'.repeat(201) }],
    ['a locale too long', { method: 'system.ping', locale: 'fr-CA-xxxxxxxxx' }],
  ])('refuses a malformed payload (%s) from a trusted sender', async (_name, payload) => {
    const { call, core, main } = setup()
    await expect(call(main, payload)).rejects.toBeInstanceOf(MalformedRequestError)
    expect(core.dispatch).not.toHaveBeenCalled()
  })

  it('strips unknown fields before the core sees the request', async () => {
    const { call, core, main } = setup()
    await call(main, { ...request, __proto__: { polluted: true }, extra: 'x' })
    expect(core.dispatch).toHaveBeenCalledExactlyOnceWith(request)
  })

  it('registers its handler on the one channel', () => {
    const ipcMain = { handle: vi.fn() }
    registerRpc(ipcMain, { dispatch: vi.fn() }, () => [])
    expect(ipcMain.handle).toHaveBeenCalledExactlyOnceWith(IPC_CHANNEL, expect.any(Function))
  })
})
