import { z } from 'zod'
import { method } from './method'
import { Instant } from './schemas'

export const BackupEntry = z.object({
  name: z.string(),
  at: Instant,
  sizeBytes: z.number().int().min(0),
  ok: z.boolean(),
  reason: z.enum(['daily', 'migration', 'manual']),
  schemaVersion: z.number().int().nullable(),
  problem: z.string().nullable(),
})
export type BackupEntry = z.infer<typeof BackupEntry>

const Folder = z.string().trim().min(1).max(1000)

/** The office database's backups (issue 14): where, which, and putting one back. */
export const backupMethods = {
  /** For the dashboard's warning: the newest good backup, and whether it is older than two days. */
  'backups.status': method({
    kind: 'query',
    access: 'session',
    input: z.object({}).strict(),
    output: z.object({
      folderSet: z.boolean(),
      lastGoodAt: Instant.nullable(),
      stale: z.boolean(),
      lastError: z.object({ at: Instant, message: z.string() }).nullable(),
    }),
  }),
  /** The backups in the chosen folder, newest first, each with its check. */
  'backups.list': method({
    kind: 'query',
    access: ['admin'],
    input: z.object({}).strict(),
    output: z.object({ folder: z.string().nullable(), backups: z.array(BackupEntry) }),
  }),
  /** The folder backups go to (a USB key, a network share): checked writable before it is kept. */
  'backups.setFolder': method({
    kind: 'command',
    access: ['admin'],
    input: z.object({ folder: Folder }).strict(),
    output: z.object({ folder: z.string() }),
  }),
  /** A backup now, checked (PRAGMA integrity_check on the copy). */
  'backups.run': method({
    kind: 'command',
    access: ['admin'],
    outsideTransaction: true,
    input: z.object({}).strict(),
    output: BackupEntry,
  }),
  /**
   * Puts a backup in place of the office database, after checking it; the current file is set
   * aside, never deleted. Everyone else is signed out: the data goes back to `dataAsOf`.
   */
  'backups.restore': method({
    kind: 'command',
    access: ['admin'],
    outsideTransaction: true,
    input: z.object({ name: z.string().min(1).max(200) }).strict(),
    output: z.object({ dataAsOf: Instant, setAside: z.string() }),
  }),
}
