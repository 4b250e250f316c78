import type BetterSqlite3 from 'better-sqlite3'

/**
 * A migration is plain SQL run by better-sqlite3 inside the transaction the runner opens.
 * Once a migration has landed it is never edited: a change is a new, higher-numbered file.
 */
export interface Migration {
  version: number
  name: string
  up(db: BetterSqlite3.Database): void
}
