import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron'
import type { RpcResult } from '../shared/errors'
import { IPC_CHANNEL } from '../shared/ipc'
import { RpcRequest } from '../shared/rpc'
import { isAppUrl } from './protocol'

export type FrameLike = Pick<WebFrameMain, 'url' | 'parent' | 'processId' | 'routingId'>

export interface WindowLike {
  isDestroyed(): boolean
  webContents: { mainFrame: FrameLike }
}

export interface Dispatcher {
  dispatch(request: RpcRequest): Promise<RpcResult<unknown>>
}

/**
 * Whether an IPC message comes from a page the app trusts: the main frame (not an iframe) of
 * one of our own windows, currently showing a page of app://guichet.
 */
export function isTrustedSender(frame: FrameLike | null | undefined, windows: Iterable<WindowLike>): boolean {
  if (!frame) return false
  try {
    if (frame.parent !== null) return false
    if (!isAppUrl(frame.url)) return false
    for (const window of windows) {
      if (window.isDestroyed()) continue
      const main = window.webContents.mainFrame
      if (main === frame || (main.processId === frame.processId && main.routingId === frame.routingId)) return true
    }
  } catch {
    // A frame disposed while we look at it is not trusted.
    return false
  }
  return false
}

export class UntrustedSenderError extends Error {
  constructor() {
    super('IPC call refused: the sender is not the main frame of a Guichet window')
    this.name = 'UntrustedSenderError'
  }
}

export class MalformedRequestError extends Error {
  constructor() {
    super('IPC call refused: malformed request')
    this.name = 'MalformedRequestError'
  }
}

/** The IPC_CHANNEL handler: sender checked, payload validated, then (only then) the core. */
export function createRpcHandler(
  core: Dispatcher,
  windows: () => Iterable<WindowLike>,
  onResult?: (request: RpcRequest, result: RpcResult<unknown>) => void,
): (event: Pick<IpcMainInvokeEvent, 'senderFrame'>, payload: unknown) => Promise<RpcResult<unknown>> {
  return async (event, payload) => {
    if (!isTrustedSender(event.senderFrame, windows())) throw new UntrustedSenderError()
    const request = RpcRequest.safeParse(payload)
    if (!request.success) throw new MalformedRequestError()
    const result = await core.dispatch(request.data)
    onResult?.(request.data, result)
    return result
  }
}

export function registerRpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  core: Dispatcher,
  windows: () => Iterable<WindowLike>,
  onResult?: (request: RpcRequest, result: RpcResult<unknown>) => void,
): void {
  ipcMain.handle(IPC_CHANNEL, createRpcHandler(core, windows, onResult))
}
