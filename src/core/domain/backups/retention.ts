import { addDays, localDateOf } from '../catalogue/dates'

/** The office's own time zone for "a day" and "a month-end" (the board's schools share it). */
export const BACKUP_TIME_ZONE = 'America/Toronto'
export const KEEP_DAYS = 14
export const KEEP_MONTH_ENDS = 12
/** The dashboard warns when the newest good backup is older than this (or there is none). */
export const STALE_AFTER_MS = 2 * 24 * 3600 * 1000

export interface BackupStamp {
  name: string
  /** The instant the copy was taken (ISO-8601 UTC). */
  at: string
  ok: boolean
}

/**
 * Which backups to keep: every one taken in the last 14 local days (today included), and the
 * newest good one of each of the 12 latest months that have one (the month-ends). The newest good
 * backup is always kept, however old; a failed copy is kept only while it is within the 14 days,
 * so that the list still shows the failure.
 */
export function backupsToKeep(backups: readonly BackupStamp[], now: string, timeZone = BACKUP_TIME_ZONE): Set<string> {
  const keep = new Set<string>()
  const firstDay = addDays(localDateOf(now, timeZone), -(KEEP_DAYS - 1))
  for (const b of backups) if (localDateOf(b.at, timeZone) >= firstDay) keep.add(b.name)

  const good = backups.filter((b) => b.ok).sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
  const months = new Set<string>()
  for (const b of good) {
    const month = localDateOf(b.at, timeZone).slice(0, 7)
    if (months.has(month)) continue
    if (months.size === KEEP_MONTH_ENDS) break
    months.add(month)
    keep.add(b.name)
  }
  if (good[0]) keep.add(good[0].name)
  return keep
}

/** A backup is due when none was taken (good or not) on today's local date. */
export function backupDue(backups: readonly BackupStamp[], now: string, timeZone = BACKUP_TIME_ZONE): boolean {
  const today = localDateOf(now, timeZone)
  return !backups.some((b) => localDateOf(b.at, timeZone) === today)
}

/** True when the newest good backup is older than two days, or there is none. */
export function backupStale(backups: readonly BackupStamp[], nowMs: number): boolean {
  const newest = backups.filter((b) => b.ok).reduce<number | null>((max, b) => Math.max(max ?? 0, Date.parse(b.at)), null)
  return newest === null || nowMs - newest > STALE_AFTER_MS
}

/** The file a backup taken at `at` goes to: sortable, and legal on FAT32 USB keys (no colons). */
export function backupFileName(at: string): string {
  return `guichet-${at.replace(/[:.]/g, '-')}.sqlite`
}

/** The instant in a backup's file name, or null when the name is not one of ours. */
export function instantOfBackupFile(name: string): string | null {
  const m = /^guichet-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.sqlite$/.exec(name)
  return m ? `${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z` : null
}
