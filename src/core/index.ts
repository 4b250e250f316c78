import { existsSync } from 'node:fs'
import { systemClock, type Clock } from './clock'
import { createProcessorState, loadStripeKey } from './services/processor-state'
import { keyHint, type SecretBox } from './services/secrets'
import type { CardProcessor } from './adapters/processors'
import type { DocumentPrinter } from './adapters/printing/types'
import type { RpcResult } from '../shared/errors'
import type { RpcRequest } from '../shared/rpc'
import type { CoreState, WorkspaceControl } from './api/types'
import { openDatabase, type Connection } from './db/connection'
import { migrate } from './db/migrate'
import { migrations } from './db/migrations'
import { BackupControl, migrationBackupFolder } from './services/backup-control'
import { runBackup } from './services/backups'
import { seedDemoBoard } from './demo/seed'
import { dispatch } from './dispatch'
import { DEFAULT_LOCK_AFTER_SECONDS, LOCK_AFTER_SETTING } from './domain/session-lock'
import { createProcessorProvider, RefundRunner, type RefundRunnerOptions } from './services/refunds'
import { PrintJobs } from './services/printing'
import { SessionStore } from './services/sessions'
import { SignInThrottle } from './services/sign-in-throttle'
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
  /** The printer (the desktop app's, src/main/printer.ts); browser mode has none and opens PDFs instead. */
  printer?: DocumentPrinter
  /** Given by the workspace host (src/core/workspace.ts); a fixed file otherwise. */
  workspace?: WorkspaceControl
}

const FIXED_WORKSPACE: WorkspaceControl = {
  kind: 'fixed',
  switchTo() {
    throw new Error('this core was opened on a fixed file')
  },
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
  /** The office database's backups and restore (services/backup-control.ts). */
  readonly backups: BackupControl
  /** The open database; another object after a restore. */
  readonly connection: Connection
  close(): Promise<void>
}

/**
 * Opens the file, and when it has migrations pending (an update of Guichet), backs it up first
 * through SQLite's backup API, then migrates it.
 */
async function openBackedUp(file: string, nativeBinding: string | undefined, at: string): Promise<Connection> {
  const connection = openDatabase({ file, migrate: false, ...(nativeBinding ? { nativeBinding } : {}) })
  try {
    // The runner keeps user_version equal to the last migration applied (0 for a new file).
    const from = connection.raw.pragma('user_version', { simple: true }) as number
    const known = migrations.at(-1)?.version ?? 0
    if (file !== ':memory:' && from > 0 && from < known) {
      await runBackup(connection.raw, { folder: migrationBackupFolder(connection.raw, file), at, reason: 'migration' })
    }
    migrate(connection.raw)
    return connection
  } catch (error) {
    await connection.close()
    throw error
  }
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const isNew = options.file === ':memory:' || !existsSync(options.file)
  const nowMs = options.nowMs ?? systemClock
  const logError = options.logError
  let connection = await openBackedUp(options.file, options.nativeBinding, new Date(nowMs()).toISOString())
  try {
    if (isNew && options.demoIfNew) seedDemoBoard(connection.raw, { anchor: options.demoAnchor ?? new Date(nowMs()) })
    const processor = createProcessorState(options.secretBox?.())
    const backups = new BackupControl({
      file: options.file,
      raw: () => connection.raw,
      db: () => connection.db,
      nowMs,
      reopen: (swap, keepToken) => reopen(swap, keepToken),
      ...(logError ? { logError } : {}),
    })
    const state = { appVersion: options.appVersion, nowMs, processor, backups, throttle: new SignInThrottle(nowMs), workspace: options.workspace ?? FIXED_WORKSPACE, printer: options.printer ?? null, printing: new PrintJobs(nowMs, logError) } as CoreState
    const deps = { db: connection.db, state, ...(logError ? { logError } : {}) }

    // Everything that holds the connection, made again when a restore swaps the file.
    const attach = async () => {
      const lockAfter = Number(await getSetting(connection.db, LOCK_AFTER_SETTING)) || DEFAULT_LOCK_AFTER_SECONDS
      processor.setKey(null, null)
      await loadStripeKey(connection.db, processor, keyHint)
      const processors = createProcessorProvider(connection.db, {
        stripe: options.stripe ?? (() => processor.stripe()),
        ...(options.demoProcessor ? { demo: options.demoProcessor } : {}),
        now: nowMs,
      })
      state.refunds = new RefundRunner({ ...options.refundRunner, db: connection.db, processors, nowMs, ...(logError ? { logError } : {}) })
      state.sync = new SyncEngine({ ...options.sync, db: connection.db, raw: connection.raw, box: () => processor.box, nowMs, ...(logError ? { logError } : {}) })
      // A new store: a restore signs everyone out (the accounts may differ in the older data).
      state.sessions = new SessionStore(nowMs, lockAfter)
      deps.db = connection.db
    }
    const detach = async () => {
      await state.sync.stop()
      await state.refunds.stop()
      await connection.close()
    }
    // Calls wait while the file is swapped; the call that asked for the restore is already running.
    let swapping: Promise<void> | null = null
    const reopen = async (swap: () => void, keepToken?: string) => {
      const kept = state.sessions.get(keepToken)
      let done!: () => void
      swapping = new Promise<void>((resolve) => (done = resolve))
      try {
        await detach()
        let failure: unknown = null
        try {
          swap()
        } catch (error) {
          failure = error
        }
        connection = await openBackedUp(options.file, options.nativeBinding, new Date(nowMs()).toISOString())
        await attach()
        // The one who asked stays signed in, if the restored data has the same active account.
        if (kept && !kept.kiosk) {
          const same = await connection.db.selectFrom('staff').select('id').where('id', '=', kept.staffId).where('role', '=', kept.role).where('active', '=', 1).executeTakeFirst()
          if (same) state.sessions.add({ token: kept.token, staffId: kept.staffId, username: kept.username, displayName: kept.displayName, role: kept.role, language: kept.language })
        }
        if (failure) throw failure
      } finally {
        swapping = null
        done()
      }
    }
    await attach()

    const tick = () => {
      void runScheduledWork(connection.db, new Date(nowMs()).toISOString()).catch((error: unknown) => logError?.(error))
      // Resumes refunds left pending (a crash, the network) and follows up settled ones.
      state.refunds.kick()
      // Push the outbox and pull the feeds (nothing when this PC is not enrolled).
      void state.sync.kick().catch((error: unknown) => logError?.(error))
      // Once a day the app runs, into the folder the admin chose.
      void backups.runIfDue().catch((error: unknown) => logError?.(error))
    }
    return {
      get connection() {
        return connection
      },
      get refunds() {
        return state.refunds
      },
      get sync() {
        return state.sync
      },
      backups,
      async dispatch(request) {
        while (swapping) await swapping
        return dispatch(deps, request)
      },
      runScheduledWork: () => runScheduledWork(connection.db, new Date(nowMs()).toISOString()),
      startScheduler(everyMs = 60_000) {
        tick()
        const timer = setInterval(tick, everyMs)
        timer.unref?.()
        return () => clearInterval(timer)
      },
      async close() {
        await backups.idle()
        await detach()
      },
    }
  } catch (error) {
    await connection.close()
    throw error
  }
}
