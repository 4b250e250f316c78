import type BetterSqlite3 from 'better-sqlite3'
import { GuichetError } from '../../shared/errors'
import { migrations as allMigrations, type Migration } from './migrations'

/**
 * Applies the pending migrations, each in its own IMMEDIATE transaction, and records each one
 * in `schema_migrations`. A database whose recorded version is above what this build knows was
 * written by a newer Guichet: it is refused before anything is touched.
 *
 * We do not use Kysely's Migrator: it runs all pending migrations in one transaction and
 * reports a newer database as a generic "corrupted migrations" error.
 */
export function migrate(db: BetterSqlite3.Database, migrations: readonly Migration[] = allMigrations): { from: number; to: number } {
  assertOrdered(migrations)
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`)
  const from = currentVersion(db)
  const known = migrations.at(-1)?.version ?? 0
  if (from > known) throw new GuichetError('DB_TOO_NEW', { found: from, known })

  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
  for (const m of migrations) {
    if (m.version <= from) continue
    const run = db.transaction(() => {
      m.up(db)
      if (m.rebuildsTables) assertForeignKeys(db, m)
      record.run(m.version, m.name, new Date().toISOString())
      db.pragma(`user_version = ${m.version}`)
    })
    if (!m.rebuildsTables) {
      run.immediate()
      continue
    }
    // A table rebuild (create new, copy, drop old, rename) with foreign keys on would delete the
    // children of the dropped table's rows; foreign keys are checked by hand before commit instead.
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number
    db.pragma('foreign_keys = OFF')
    try {
      run.immediate()
    } finally {
      if (foreignKeys) db.pragma('foreign_keys = ON')
    }
  }
  return { from, to: Math.max(from, known) }
}

function assertForeignKeys(db: BetterSqlite3.Database, m: Migration): void {
  const broken = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]
  if (broken.length) throw new Error(`migration ${m.name} leaves ${broken.length} broken foreign keys (first: ${broken[0]!.table} row ${broken[0]!.rowid} -> ${broken[0]!.parent})`)
}

export function currentVersion(db: BetterSqlite3.Database): number {
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }
  return row.v ?? 0
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} is numbered ${m.version}, expected ${i + 1}`)
  })
}
