import { existsSync } from 'node:fs'
import type { RpcResult } from '../shared/errors'
import type { RpcRequest } from '../shared/rpc'
import type { CoreState } from './api/types'
import { openDatabase, type Connection } from './db/connection'
import { seedDemoBoard } from './demo/seed'
import { dispatch } from './dispatch'
import { DEFAULT_LOCK_AFTER_SECONDS, LOCK_AFTER_SETTING } from './domain/session-lock'
import { SessionStore } from './services/sessions'
import { runScheduledWork, type ScheduledWorkResult } from './services/scheduled-work'
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
  /** Auto-closing and reminders: what happens as time passes (services/scheduled-work.ts). */
  runScheduledWork(): Promise<ScheduledWorkResult>
  /** Runs the scheduled work now and then every `everyMs`; returns the function that stops it. */
  startScheduler(everyMs?: number): () => void
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
      runScheduledWork: () => runScheduledWork(connection.db, new Date(nowMs()).toISOString()),
      startScheduler(everyMs = 60_000) {
        const tick = () => void runScheduledWork(connection.db, new Date(nowMs()).toISOString()).catch((error: unknown) => options.logError?.(error))
        tick()
        const timer = setInterval(tick, everyMs)
        timer.unref?.()
        return () => clearInterval(timer)
      },
      close: () => connection.close(),
    }
  } catch (error) {
    await connection.close()
    throw error
  }
}
