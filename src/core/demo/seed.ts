import type BetterSqlite3 from 'better-sqlite3'

export interface DemoOptions {
  anchor: Date
}

/** Placeholder replaced by the demo generator. */
export function seedDemoBoard(_db: BetterSqlite3.Database, _options: DemoOptions): void {
  throw new Error('demo generator not written yet')
}
