import { describe, expect, it, vi } from 'vitest'
import { IPC_CHANNEL } from '../../src/shared/ipc'

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(async () => ({ ok: true, value: 42 })), send: vi.fn(), on: vi.fn() },
}))
vi.mock('electron', () => electron)

describe('preload', () => {
  it('exposes exactly one function, window.guichet.call, forwarding to the one channel', async () => {
    await import('../../src/preload/index')
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce()
    const [name, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as unknown as [string, Record<string, unknown>]
    expect(name).toBe('guichet')
    expect(Object.keys(api)).toEqual(['call'])
    expect(typeof api.call).toBe('function')

    const request = { method: 'system.ping', input: {} }
    await expect((api.call as (r: unknown) => Promise<unknown>)(request)).resolves.toEqual({ ok: true, value: 42 })
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(IPC_CHANNEL, request)
    // Nothing else of ipcRenderer is reachable or used.
    expect(electron.ipcRenderer.send).not.toHaveBeenCalled()
    expect(electron.ipcRenderer.on).not.toHaveBeenCalled()
  })
})
