import { z } from 'zod'
import type { RpcResult } from './errors'

/**
 * One call across a transport (Electron IPC or the loopback HTTP bridge). The transport only
 * carries it: validation, roles and sessions are the core's job (core/dispatch.ts).
 */
export const RpcRequest = z.object({
  method: z.string().min(1).max(100),
  /** Absent for a method that takes nothing (dispatch reads it as `{}`). */
  input: z.unknown().optional(),
  session: z.string().max(200).optional(),
  locale: z.string().max(10).optional(),
})
export type RpcRequest = z.infer<typeof RpcRequest>

/** What the preload exposes as `window.guichet`, and what the browser-mode client imitates. */
export interface GuichetBridge {
  call(request: RpcRequest): Promise<RpcResult<unknown>>
}

