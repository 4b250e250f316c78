import { existsSync } from 'node:fs'
import { systemClock, type Clock } from './clock'
import { createProcessorState, loadStripeKey } from './services/processor-state'
import { keyHint, type SecretBox } from './services/secrets'
import type { CardProcessor } from './adapters/processors'
import type { RpcResult } from '../shared/errors'
import type { RpcRequest } from '../shared/rpc'
import type { CoreState } from './api/types'
import { openDatabase, type Connection } from './db/connection'
import { seedDemoBoard } from './demo/seed'
import { dispatch } from './dispatch'
import { DEFAULT_LOCK_AFTER_SECONDS, LOCK_AFTER_SETTING } from './domain/session-lock'
import { createProcessorProvider, RefundRunner, type RefundRunnerOptions } from './services/refunds'
import { SessionStore } from './services/sessions'
import { runScheduledWork, type ScheduledWorkResult } from './services/scheduled-work'
import { getSetting } from './services/settings'
import { SyncEngine, type SyncEngineOptions } from './services/sync'

export interface CoreOptions {
  /** The SQLite file. When it does not exist and `demoIfNew` is set, a demo board is generated in it. */
  file: string
  appVersion: string
  /** Electron's build of better-sqlite3; Node's own build when absent (tests, browser mode). */
  nativeBinding?: string
  demoIfNew?: boolean
  /** The instant the demo board is generated around (its 'today'); now by default. */
  demoAnchor?: Date
  /** The one clock (clock.ts): the real time by default; tests and browser mode's `--now` set it. */
  nowMs?: Clock
  logError?: (error: unknown) => void
  /**
   * Stripe, when a key is configured (read on each refund: the key may come while running). The
   * demo processor otherwise; see services/refunds/processors.ts for which payment goes where.
   */
  stripe?: () => CardProcessor | null
  /**
   * Where secrets are sealed (Electron's safeStorage, or browser mode's local key file); asked
   * once at start. Without one, no processor key can be stored and the demo processor is used.
   */
  secretBox?: () => SecretBox | undefined
  /** Another demo processor than the one kept in the database (tests). */
  demoProcessor?: CardProcessor
  /** The refund runner's retries and waits (tests make them short). */
  refundRunner?: Partial<Omit<RefundRunnerOptions, 'db' | 'processors' | 'nowMs'>>
  /** The sync client's transport, retries and page size (tests make them short). */
  sync?: Partial<Omit<SyncEngineOptions, 'db' | 'raw' | 'box' | 'nowMs'>>
}

export interface Core {
  dispatch(request: RpcRequest): Promise<RpcResult<unknown>>
  /** Auto-closing and reminders: what happens as time passes (services/scheduled-work.ts). */
  runScheduledWork(): Promise<ScheduledWorkResult>
  /** Runs the scheduled work now and then every `everyMs`; returns the function that stops it. */
  startScheduler(everyMs?: number): () => void
  /** The refunds asked of the processors after commit (services/refunds/runner.ts). */
  readonly refunds: RefundRunner
  /** Sync with the board's central API (services/sync): pull, push, enrolment. */
  readonly sync: SyncEngine
  readonly connection: Connection
  close(): Promise<void>
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const isNew = options.file === ':memory:' || !existsSync(options.file)
  const connection = openDatabase({ file: options.file, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) })
  const nowMs = options.nowMs ?? systemClock
  try {
    if (isNew && options.demoIfNew) seedDemoBoard(connection.raw, { anchor: options.demoAnchor ?? new Date(nowMs()) })
    const lockAfter = Number(await getSetting(connection.db, LOCK_AFTER_SETTING)) || DEFAULT_LOCK_AFTER_SECONDS
    const processor = createProcessorState(options.secretBox?.())
    await loadStripeKey(connection.db, processor, keyHint)
    const processors = createProcessorProvider(connection.db, {
      stripe: options.stripe ?? (() => processor.stripe()),
      ...(options.demoProcessor ? { demo: options.demoProcessor } : {}),
      now: nowMs,
    })
    const refunds = new RefundRunner({
      ...options.refundRunner,
      db: connection.db,
      processors,
      nowMs,
      ...(options.logError ? { logError: options.logError } : {}),
    })
    const sync = new SyncEngine({ ...options.sync, db: connection.db, raw: connection.raw, box: () => processor.box, nowMs, ...(options.logError ? { logError: options.logError } : {}) })
    const state: CoreState = { sessions: new SessionStore(nowMs, lockAfter), appVersion: options.appVersion, nowMs, refunds, processor, sync }
    const deps = { db: connection.db, state, ...(options.logError ? { logError: options.logError } : {}) }
    return {
      connection,
      refunds,
      sync,
      dispatch: (request) => dispatch(deps, request),
      runScheduledWork: () => runScheduledWork(connection.db, new Date(nowMs()).toISOString()),
      startScheduler(everyMs = 60_000) {
        const tick = () => {
          void runScheduledWork(connection.db, new Date(nowMs()).toISOString()).catch((error: unknown) => options.logError?.(error))
          // Resumes refunds left pending (a crash, the network) and follows up settled ones.
          refunds.kick()
          // Push the outbox and pull the feeds (nothing when this PC is not enrolled).
          void sync.kick().catch((error: unknown) => options.logError?.(error))
        }
        tick()
        const timer = setInterval(tick, everyMs)
        timer.unref?.()
        return () => clearInterval(timer)
      },
      async close() {
        await sync.stop()
        await refunds.stop()
        await connection.close()
      },
    }
  } catch (error) {
    await connection.close()
    throw error
  }
}
