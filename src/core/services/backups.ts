import { accessSync, closeSync, constants, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import Database from 'better-sqlite3'
import { GuichetError } from '../../shared/errors'
import { migrations } from '../db/migrations'
import { backupFileName, backupsToKeep, instantOfBackupFile } from '../domain/backups/retention'

export type BackupReason = 'daily' | 'migration' | 'manual'

/** One backup in the folder, as its manifest describes it. */
export interface BackupEntry {
  name: string
  /** The instant the copy was taken: the data goes back to it. */
  at: string
  sizeBytes: number
  /** PRAGMA integrity_check said ok on the copy. */
  ok: boolean
  reason: BackupReason
  schemaVersion: number | null
  /** What integrity_check or opening the copy said, when it was not ok. */
  problem: string | null
}

type Manifest = Omit<BackupEntry, 'name' | 'sizeBytes'>

const PARTIAL = '.partial'
const MANIFEST = '.json'

/** The folder exists, is a folder, and this process may write in it; else a clear refusal. */
export function checkFolder(folder: string): void {
  if (!folder.trim() || !isAbsolute(folder)) throw new GuichetError('BACKUP_FOLDER', { reason: 'not_absolute' })
  const stat = statSync(folder, { throwIfNoEntry: false })
  if (!stat) throw new GuichetError('BACKUP_FOLDER', { reason: 'missing' })
  if (!stat.isDirectory()) throw new GuichetError('BACKUP_FOLDER', { reason: 'not_a_folder' })
  // access() alone is not enough on network shares and FAT keys: write a file for real.
  const probe = join(folder, `.guichet-probe-${process.pid}`)
  try {
    accessSync(folder, constants.W_OK)
    writeFileSync(probe, 'ok')
    rmSync(probe)
  } catch {
    throw new GuichetError('BACKUP_FOLDER', { reason: 'not_writable' })
  }
}

/**
 * Removes what a backup killed half-way left behind: its `.partial` copy (and that copy's
 * journal) and a manifest whose backup never got its final name. Only our own file names.
 */
export function cleanFolder(folder: string): string[] {
  const removed: string[] = []
  const names = new Set(readdirSync(folder))
  for (const name of names) {
    const base = name.endsWith(PARTIAL) ? name.slice(0, -PARTIAL.length) : name.endsWith(`${PARTIAL}-journal`) ? name.slice(0, -`${PARTIAL}-journal`.length) : null
    const orphanManifest = name.endsWith(MANIFEST) && instantOfBackupFile(name.slice(0, -MANIFEST.length)) !== null && !names.has(name.slice(0, -MANIFEST.length))
    if ((base !== null && instantOfBackupFile(base) !== null) || orphanManifest) {
      rmSync(join(folder, name), { force: true })
      removed.push(name)
    }
  }
  return removed
}

/** The backups in the folder, newest first. A copy without its manifest is not ours, or not finished. */
export function listBackups(folder: string): BackupEntry[] {
  if (!existsSync(folder)) return []
  const entries: BackupEntry[] = []
  for (const name of readdirSync(folder)) {
    if (!instantOfBackupFile(name)) continue
    try {
      const manifest = JSON.parse(readFileSync(join(folder, name + MANIFEST), 'utf8')) as Manifest
      entries.push({ ...manifest, name, sizeBytes: statSync(join(folder, name)).size })
    } catch {
      continue
    }
  }
  return entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
}

export interface CopyCheck {
  ok: boolean
  schemaVersion: number | null
  problem: string | null
}

/**
 * Opens a copy on its own and asks SQLite whether it is whole (PRAGMA integrity_check), and which
 * schema it has. `seal` turns a fresh copy into one self-contained file first (rollback journal,
 * no -wal beside it), so it can be carried and opened read-only anywhere.
 */
export function checkCopy(file: string, options: { seal?: boolean } = {}): CopyCheck {
  let db: Database.Database | null = null
  try {
    db = new Database(file, { fileMustExist: true, readonly: !options.seal })
    if (options.seal) db.pragma('journal_mode = DELETE')
    const rows = db.pragma('integrity_check') as { integrity_check: string }[]
    const verdict = rows.map((r) => r.integrity_check).join('; ')
    const hasSchema = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get() !== undefined
    if (verdict !== 'ok') return { ok: false, schemaVersion: null, problem: verdict.slice(0, 500) }
    if (!hasSchema) return { ok: false, schemaVersion: null, problem: 'not a Guichet database' }
    const version = (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v
    return { ok: true, schemaVersion: version, problem: null }
  } catch (error) {
    return { ok: false, schemaVersion: null, problem: error instanceof Error ? error.message : String(error) }
  } finally {
    db?.close()
  }
}

export interface RunBackupOptions {
  folder: string
  /** The instant the copy is taken (the clock's now). */
  at: string
  reason: BackupReason
  /** Called between steps of the copy (the crash test slows the copy down with it). */
  progress?: (p: { totalPages: number; remainingPages: number }) => number
}

/**
 * Copies the live database online with SQLite's backup API (never a file copy of a WAL
 * database), checks the copy, and only then gives it its final name beside its manifest; then
 * removes what the retention rule no longer keeps. A copy killed half-way stays `.partial` and is
 * removed by the next run; earlier backups are never touched until a new one is whole.
 */
export async function runBackup(raw: Database.Database, options: RunBackupOptions): Promise<BackupEntry> {
  const { folder, at, reason } = options
  checkFolder(folder)
  cleanFolder(folder)
  const name = backupFileName(at)
  const final = join(folder, name)
  const partial = final + PARTIAL
  try {
    await (options.progress ? raw.backup(partial, { progress: options.progress }) : raw.backup(partial))
  } catch (error) {
    rmSync(partial, { force: true })
    // The cause (a full disk, a key pulled out) is SQLite's, in English: kept for the log, while
    // the message says what to check.
    throw Object.assign(new GuichetError('BACKUP_FAILED'), { cause: error })
  }
  const check = checkCopy(partial, { seal: true })
  const manifest: Manifest = { at, ok: check.ok, reason, schemaVersion: check.schemaVersion, problem: check.problem }
  syncFile(partial)
  writeFileSync(join(folder, name + MANIFEST), JSON.stringify(manifest, null, 2))
  renameSync(partial, final)
  pruneBackups(folder, at)
  return { ...manifest, name, sizeBytes: statSync(final).size }
}

/** Deletes the backups the retention rule (14 days, 12 month-ends) no longer keeps. */
export function pruneBackups(folder: string, now: string): string[] {
  const all = listBackups(folder)
  const keep = backupsToKeep(all, now)
  const removed: string[] = []
  for (const b of all) {
    if (keep.has(b.name)) continue
    rmSync(join(folder, b.name), { force: true })
    rmSync(join(folder, b.name + MANIFEST), { force: true })
    removed.push(b.name)
  }
  return removed
}

/**
 * The checks a backup must pass before it replaces the office database: ours by name, whole
 * (integrity_check on the file as it is now, not as the manifest says), and of a schema this
 * build can open.
 */
export function verifyForRestore(folder: string, name: string): BackupEntry {
  if (!instantOfBackupFile(name)) throw new GuichetError('RESTORE_REFUSED', { reason: 'unknown' })
  const entry = listBackups(folder).find((b) => b.name === name)
  if (!entry) throw new GuichetError('RESTORE_REFUSED', { reason: 'unknown' })
  const check = checkCopy(join(folder, name))
  if (!check.ok) throw new GuichetError('RESTORE_REFUSED', { reason: 'corrupt' })
  const known = migrations.at(-1)?.version ?? 0
  if ((check.schemaVersion ?? 0) > known) throw new GuichetError('RESTORE_REFUSED', { reason: 'too_new' })
  return entry
}

/** Forces a file's bytes to the disk (a USB key pulled out right after must still hold the copy). */
function syncFile(file: string): void {
  const fd = openSync(file, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** The name the current database file is set aside under when a backup replaces it. */
export function setAsideName(file: string, at: string): string {
  return `${file}.avant-restauration-${at.replace(/[:.]/g, '-')}`
}
