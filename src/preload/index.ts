import { contextBridge, ipcRenderer } from 'electron'
import { IPC_CHANNEL } from '../shared/ipc'
import type { GuichetBridge, RpcRequest } from '../shared/rpc'

/*
 * The whole bridge between the page and the app: one function. The main process checks who
 * calls (ipc.ts) and what (RpcRequest); the core checks the session and the role.
 * Built as CommonJS (a sandboxed preload cannot load ES modules or node_modules).
 */
const bridge: GuichetBridge = {
  call: (request: RpcRequest) => ipcRenderer.invoke(IPC_CHANNEL, request),
}

contextBridge.exposeInMainWorld('guichet', bridge)
