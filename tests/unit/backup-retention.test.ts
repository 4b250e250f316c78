import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { backupDue, backupFileName, backupStale, backupsToKeep, instantOfBackupFile, type BackupStamp } from '../../src/core/domain/backups/retention'

const DAY = 24 * 3600 * 1000
const NOW = '2026-11-20T15:00:00.000Z'
const stamp = (at: string, ok = true): BackupStamp => ({ name: backupFileName(at), at, ok })
/** One backup a day at 15:00Z (10:00 in Toronto) for `days` days up to NOW. */
const daily = (days: number) => [...Array(days).keys()].map((i) => stamp(new Date(Date.parse(NOW) - i * DAY).toISOString()))

describe('which backups are kept', () => {
  it('every one of the last 14 local days, and the newest of each of the 12 latest months', () => {
    const all = daily(500)
    const kept = [...backupsToKeep(all, NOW)].map((n) => instantOfBackupFile(n)!.slice(0, 10)).sort().reverse()
    expect(kept.slice(0, 14)).toEqual(all.slice(0, 14).map((b) => b.at.slice(0, 10)))
    // November is within the 14 days; then October back to December of last year: 11 month-ends.
    expect(kept.slice(14)).toEqual(['2026-10-31', '2026-09-30', '2026-08-31', '2026-07-31', '2026-06-30', '2026-05-31', '2026-04-30', '2026-03-31', '2026-02-28', '2026-01-31', '2025-12-31'])
  })

  it('counts days and month-ends in Toronto, not in UTC', () => {
    // 2026-10-31 23:30 in Toronto is already November in UTC: it is October's month-end.
    const lateOctober = stamp('2026-11-01T03:30:00.000Z')
    const earlyOctober = stamp('2026-10-15T15:00:00.000Z')
    const kept = backupsToKeep([lateOctober, earlyOctober], NOW)
    expect(kept).toEqual(new Set([lateOctober.name]))
  })

  it('keeps the newest good one however old, and never counts a failed copy as a month-end', () => {
    const old = stamp('2025-01-10T15:00:00.000Z')
    const failed = stamp('2026-09-30T15:00:00.000Z', false)
    const good = stamp('2026-09-12T15:00:00.000Z')
    expect(backupsToKeep([old], NOW)).toEqual(new Set([old.name]))
    expect(backupsToKeep([failed, good], NOW)).toEqual(new Set([good.name]))
  })

  it('never keeps more than 14 days and 12 month-ends, and always the newest good one (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 900 * 24 }), fc.boolean()), { maxLength: 80 }), (points) => {
        const all = points.map(([hours, ok]) => stamp(new Date(Date.parse(NOW) - hours * 3600 * 1000).toISOString(), ok))
        const names = new Set(all.map((b) => b.name))
        const kept = backupsToKeep(all, NOW)
        const recent = all.filter((b) => Date.parse(NOW) - Date.parse(b.at) < 13 * DAY)
        for (const b of recent) expect(kept.has(b.name)).toBe(true)
        const old = [...kept].filter((n) => Date.parse(NOW) - Date.parse(instantOfBackupFile(n)!) > 15 * DAY)
        expect(old.length).toBeLessThanOrEqual(12)
        const newestGood = all.filter((b) => b.ok).sort((a, b) => b.at.localeCompare(a.at))[0]
        if (newestGood) expect(kept.has(newestGood.name)).toBe(true)
        for (const n of kept) expect(names.has(n)).toBe(true)
      }),
    )
  })
})

describe('when a backup is due, and when it is stale', () => {
  it('is due once per local day', () => {
    expect(backupDue([], NOW)).toBe(true)
    expect(backupDue([stamp('2026-11-20T05:30:00.000Z')], NOW)).toBe(false)
    // 2026-11-20 04:30Z is still the 19th in Toronto.
    expect(backupDue([stamp('2026-11-20T04:30:00.000Z')], NOW)).toBe(true)
    expect(backupDue([stamp('2026-11-20T05:30:00.000Z', false)], NOW)).toBe(false)
  })

  it('is stale past two days since the newest good one, or with none', () => {
    const nowMs = Date.parse(NOW)
    expect(backupStale([], nowMs)).toBe(true)
    expect(backupStale([stamp(new Date(nowMs - 2 * DAY + 1000).toISOString())], nowMs)).toBe(false)
    expect(backupStale([stamp(new Date(nowMs - 2 * DAY - 1000).toISOString())], nowMs)).toBe(true)
    expect(backupStale([stamp(new Date(nowMs - 1000).toISOString(), false)], nowMs)).toBe(true)
  })

  it('names files without colons, and reads the instant back', () => {
    expect(backupFileName(NOW)).toBe('guichet-2026-11-20T15-00-00-000Z.sqlite')
    expect(instantOfBackupFile(backupFileName(NOW))).toBe(NOW)
    expect(instantOfBackupFile('guichet.sqlite')).toBeNull()
    expect(instantOfBackupFile('guichet-2026-11-20T15-00-00-000Z.sqlite.partial')).toBeNull()
  })
})
