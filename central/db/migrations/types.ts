/** A numbered step of the board's schema: plain SQL statements, run once, in order, in one transaction. */
export interface CentralMigration {
  version: number
  name: string
  statements: readonly string[]
}
