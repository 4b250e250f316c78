import type BetterSqlite3 from 'better-sqlite3'

/**
 * A migration is plain SQL run by better-sqlite3 inside the transaction the runner opens.
 * Once a migration has landed it is never edited: a change is a new, higher-numbered file.
 */
export interface Migration {
  version: number
  name: string
  up(db: BetterSqlite3.Database): void
  /**
   * Rebuilds a table other tables reference (SQLite's "12 steps"): foreign keys are switched off
   * around the transaction (they cannot be switched inside one), and PRAGMA foreign_key_check must
   * come back empty before the transaction commits, else the migration is rolled back.
   */
  rebuildsTables?: boolean
}
