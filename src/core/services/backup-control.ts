import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type Database from 'better-sqlite3'
import type { Kysely } from 'kysely'
import { GuichetError } from '../../shared/errors'
import type { DB } from '../db/schema'
import { backupDue, backupStale } from '../domain/backups/retention'
import { writeAudit, type Actor } from './audit'
import { checkCopy, checkFolder, listBackups, runBackup, setAsideName, verifyForRestore, type BackupEntry, type BackupReason } from './backups'
import { getSetting, setSetting } from './settings'

export const BACKUP_FOLDER_SETTING = 'backups.folder'
const SYSTEM: Actor = { staffId: null, name: 'Guichet' }
/** A failed automatic backup (the USB key is out) is tried again at most this often. */
const RETRY_AFTER_MS = 3600 * 1000

export interface BackupStatus {
  folder: string | null
  lastGoodAt: string | null
  stale: boolean
  lastError: { at: string; message: string } | null
}

/** What the backups need of the core: its live connection, and a way to swap its file. */
export interface BackupHost {
  file: string
  raw(): Database.Database
  db(): Kysely<DB>
  nowMs(): number
  /**
   * Closes the database, runs `swap` on the closed file, and opens it again (even when swap
   * throws). Every session ends but `keepToken`'s, when its account is the same in the new data.
   */
  reopen(swap: () => void, keepToken?: string): Promise<void>
  logError?: (error: unknown) => void
}

/**
 * The office database's backups (services/backups.ts for the files): the daily run from the
 * scheduler's tick, a run asked by the admin, and restore. One run at a time.
 */
export class BackupControl {
  #running: Promise<unknown> | null = null
  #lastAttemptMs = 0
  #lastError: BackupStatus['lastError'] = null

  constructor(private readonly host: BackupHost) {}

  async folder(db: Kysely<DB> = this.host.db()): Promise<string | null> {
    return (await getSetting(db, BACKUP_FOLDER_SETTING)) || null
  }

  /** Checks the folder is writable, then keeps it (in the caller's transaction). */
  async setFolder(db: Kysely<DB>, folder: string): Promise<{ before: string | null }> {
    checkFolder(folder)
    const before = await this.folder(db)
    await setSetting(db, BACKUP_FOLDER_SETTING, folder)
    this.#lastAttemptMs = 0
    this.#lastError = null
    return { before }
  }

  /** `db`: the caller's transaction when there is one (Kysely serialises calls on the one connection). */
  async list(db: Kysely<DB> = this.host.db()): Promise<{ folder: string | null; backups: BackupEntry[] }> {
    const folder = await this.folder(db)
    return { folder, backups: folder ? listBackups(folder) : [] }
  }

  async status(db: Kysely<DB> = this.host.db()): Promise<BackupStatus> {
    const { folder, backups } = await this.list(db)
    const good = backups.find((b) => b.ok)
    return { folder, lastGoodAt: good?.at ?? null, stale: backupStale(backups, this.host.nowMs()), lastError: this.#lastError }
  }

  /**
   * Takes a backup now. Its audit row is written before the copy, so the copy itself says that it
   * was taken, by whom; a copy that fails is written down too.
   */
  async run(reason: BackupReason, actor: Actor = SYSTEM): Promise<BackupEntry> {
    return this.#exclusive(async () => {
      const folder = await this.folder()
      if (!folder) throw new GuichetError('BACKUP_FOLDER', { reason: 'not_set' })
      const at = new Date(this.host.nowMs()).toISOString()
      this.#lastAttemptMs = this.host.nowMs()
      try {
        checkFolder(folder)
        await writeAudit(this.host.db(), at, actor, 'backups.run', { entity: 'backup', detail: { reason, folder } })
        const entry = await runBackup(this.host.raw(), { folder, at, reason })
        this.#lastError = entry.ok ? null : { at, message: entry.problem ?? 'integrity_check' }
        return entry
      } catch (error) {
        this.#lastError = { at, message: error instanceof GuichetError ? `${error.code} ${error.values.reason ?? ''}`.trim() : String(error) }
        await writeAudit(this.host.db(), at, actor, 'backups.failed', { entity: 'backup', detail: { reason, folder, error: this.#lastError.message } }).catch(() => undefined)
        throw error
      }
    })
  }

  /** From the scheduler's tick: once a day the app runs, when a folder is chosen. */
  async runIfDue(): Promise<BackupEntry | null> {
    if (this.#running) return null
    const { folder, backups } = await this.list()
    if (!folder || !backupDue(backups, new Date(this.host.nowMs()).toISOString())) return null
    if (this.#lastError && this.host.nowMs() - this.#lastAttemptMs < RETRY_AFTER_MS) return null
    return this.run('daily')
  }

  /**
   * Puts a backup in place of the office database: checked first (integrity_check on the file as
   * it is now), copied beside the database and checked again, then the current file is set aside
   * under another name (never deleted) and the copy takes its place. The core opens it again
   * (migrating it if it is older) and the restore is written in its audit log. Everyone else is
   * signed out (their accounts may differ in the older data).
   */
  async restore(name: string, actor: Actor, keepToken?: string): Promise<{ dataAsOf: string; setAside: string }> {
    return this.#exclusive(async () => {
      const folder = await this.folder()
      if (!folder) throw new GuichetError('BACKUP_FOLDER', { reason: 'not_set' })
      const entry = verifyForRestore(folder, name)
      const { file } = this.host
      const staging = `${file}.restauration`
      copyFileSync(join(folder, name), staging)
      if (!checkCopy(staging).ok) {
        rmSync(staging, { force: true })
        throw new GuichetError('RESTORE_REFUSED', { reason: 'corrupt' })
      }
      const at = new Date(this.host.nowMs()).toISOString()
      const aside = setAsideName(file, at)
      await this.host.reopen(() => {
        renameSync(file, aside)
        // A clean close leaves no -wal or -shm; if one is there, it belongs to the file set aside.
        for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix)
        renameSync(staging, file)
      }, keepToken)
      const db = this.host.db()
      const known = await db.selectFrom('staff').select('id').where('id', '=', actor.staffId ?? '').executeTakeFirst()
      await writeAudit(db, at, known ? actor : { staffId: null, name: actor.name }, 'backups.restore', {
        entity: 'backup',
        entityId: name,
        detail: { dataAsOf: entry.at, setAside: basename(aside) },
      })
      return { dataAsOf: entry.at, setAside: basename(aside) }
    })
  }

  /** Waits for a run in progress (closing the core). */
  async idle(): Promise<void> {
    await this.#running?.catch(() => undefined)
  }

  async #exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running) throw new GuichetError('BACKUP_BUSY')
    const running = work()
    this.#running = running
    try {
      return await running
    } finally {
      this.#running = null
    }
  }
}

/** Before migrations: the chosen folder, or one beside the database when none is chosen yet. */
export function migrationBackupFolder(raw: Database.Database, file: string): string {
  let chosen: string | undefined
  try {
    chosen = (raw.prepare('SELECT value FROM settings WHERE key = ?').get(BACKUP_FOLDER_SETTING) as { value: string } | undefined)?.value
  } catch {
    chosen = undefined
  }
  if (chosen) {
    try {
      checkFolder(chosen)
      return chosen
    } catch {
      // The USB key is not there: the migration still gets its backup, beside the database.
    }
  }
  const beside = join(dirname(file), 'guichet-sauvegardes')
  mkdirSync(beside, { recursive: true })
  return beside
}
