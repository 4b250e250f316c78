import { sql, type Kysely } from 'kysely'
import { CENTRAL_MIGRATIONS } from './migrations'
import type { CentralMigration } from './migrations/types'

/** The advisory lock every process takes to migrate: two starting together migrate once. */
export const MIGRATION_LOCK = 7_146_901_022

/**
 * Brings the database (the current search_path's schema) to the latest version, in one
 * transaction under a transaction-level advisory lock: a second process waits, then finds the
 * work done. Returns the versions this call applied.
 */
export async function migrate<T>(db: Kysely<T>, migrations: readonly CentralMigration[] = CENTRAL_MIGRATIONS): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK}::bigint)`.execute(trx)
    await sql`CREATE TABLE IF NOT EXISTS central_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`.execute(trx)
    const done = new Set((await sql<{ version: number }>`SELECT version FROM central_migrations`.execute(trx)).rows.map((r) => r.version))
    const applied: number[] = []
    for (const m of migrations) {
      if (done.has(m.version)) continue
      for (const statement of m.statements) await sql.raw(statement).execute(trx)
      await sql`INSERT INTO central_migrations (version, name) VALUES (${m.version}, ${m.name})`.execute(trx)
      applied.push(m.version)
    }
    return applied
  })
}
