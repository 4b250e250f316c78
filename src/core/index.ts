import { existsSync } from 'node:fs'
import type { RpcResult } from '../shared/errors'
import type { RpcRequest } from '../shared/rpc'
import type { CoreState } from './api/types'
import { openDatabase, type Connection } from './db/connection'
import { seedDemoBoard } from './demo/seed'
import { dispatch } from './dispatch'
import { DEFAULT_LOCK_AFTER_SECONDS, LOCK_AFTER_SETTING } from './domain/session-lock'
import { SessionStore } from './services/sessions'
import { getSetting } from './services/settings'

export interface CoreOptions {
  /** The SQLite file. When it does not exist and `demoIfNew` is set, a demo board is generated in it. */
  file: string
  appVersion: string
  /** Electron's build of better-sqlite3; Node's own build when absent (tests, browser mode). */
  nativeBinding?: string
  demoIfNew?: boolean
  /** The instant the demo board is generated around (its 'today'); now by default. */
  demoAnchor?: Date
  /** The clock; tests move it to lock sessions. */
  nowMs?: () => number
  logError?: (error: unknown) => void
}

export interface Core {
  dispatch(request: RpcRequest): Promise<RpcResult<unknown>>
  readonly connection: Connection
  close(): Promise<void>
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const isNew = options.file === ':memory:' || !existsSync(options.file)
  const connection = openDatabase({ file: options.file, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) })
  const nowMs = options.nowMs ?? Date.now
  try {
    if (isNew && options.demoIfNew) seedDemoBoard(connection.raw, { anchor: options.demoAnchor ?? new Date(nowMs()) })
    const lockAfter = Number(await getSetting(connection.db, LOCK_AFTER_SETTING)) || DEFAULT_LOCK_AFTER_SECONDS
    const state: CoreState = { sessions: new SessionStore(nowMs, lockAfter), appVersion: options.appVersion, nowMs }
    const deps = { db: connection.db, state, ...(options.logError ? { logError: options.logError } : {}) }
    return {
      connection,
      dispatch: (request) => dispatch(deps, request),
      close: () => connection.close(),
    }
  } catch (error) {
    await connection.close()
    throw error
  }
}
