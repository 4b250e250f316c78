import { randomBytes } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { migrate } from './migrate'
import { PGlitePool } from './pglite-pool'
import type { CentralTables } from './schema'

/**
 * The board's database: PostgreSQL through Kysely, one SQL dialect whatever runs it.
 *
 * - `url` (the server's DATABASE_URL): a real PostgreSQL through `pg`'s pool, any number of
 *   server processes on it.
 * - no url: PGlite, PostgreSQL in this process (a data directory, or memory), for
 *   `npm run central` and a developer's tests without a server.
 *
 * `schema` puts every table in a schema of its own (the tests: one per store, dropped on close
 * when `temporary`). Migrations run on open, under an advisory lock.
 */
export interface CentralDbOptions {
  url?: string
  /** PGlite's data directory (no url); memory by default. */
  dataDir?: string
  schema?: string
  /** Drop the schema on close (tests). */
  temporary?: boolean
  /** Connections of this process's pool (PostgreSQL only). */
  maxConnections?: number
}

export interface CentralDb {
  db: Kysely<CentralTables>
  kind: 'postgresql' | 'pglite'
  schema: string | null
  close(): Promise<void>
}

/** One PGlite per process and data directory: its start is slow (seconds), its schemas are cheap. */
const pglites = new Map<string, { pg: Promise<PGlite>; users: number }>()

function sharedPGlite(dataDir: string | undefined): { pg: Promise<PGlite>; done: () => Promise<void> } {
  const key = dataDir ?? ':memory:'
  let entry = pglites.get(key)
  if (!entry) {
    entry = { pg: PGlite.create(dataDir ? { dataDir } : {}), users: 0 }
    pglites.set(key, entry)
  }
  entry.users += 1
  const held = entry
  return {
    pg: held.pg,
    done: async () => {
      held.users -= 1
      // Memory stays up for the next store of this process (a test file makes many); a directory is closed.
      if (held.users === 0 && dataDir) {
        pglites.delete(key)
        await (await held.pg).close()
      }
    },
  }
}

export function isSchemaName(name: string): boolean {
  return /^[a-z_][a-z0-9_]{0,62}$/.test(name)
}

/** A schema name of its own for a test's store. */
export function scratchSchema(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`
}

export async function openCentralDb(options: CentralDbOptions = {}): Promise<CentralDb> {
  const schema = options.schema ?? null
  if (schema !== null && !isSchemaName(schema)) throw new Error(`not a schema name: ${schema}`)
  const searchPath = schema ? `SET search_path TO ${schema}` : null
  let db: Kysely<CentralTables>
  let kind: CentralDb['kind']
  if (options.url) {
    kind = 'postgresql'
    if (schema) {
      const client = new pg.Client({ connectionString: options.url })
      await client.connect()
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
      } catch (error) {
        // Two processes creating it at once: IF NOT EXISTS is not atomic in PostgreSQL, and the
        // loser sees the catalogue's unique key. The schema is there either way.
        if ((error as { code?: string }).code !== '23505') throw error
      } finally {
        await client.end()
      }
    }
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    })
    db = new Kysely<CentralTables>({ dialect: new PostgresDialect({ pool }) })
  } else {
    kind = 'pglite'
    const shared = sharedPGlite(options.dataDir)
    const instance = await shared.pg
    if (schema) await instance.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    db = new Kysely<CentralTables>({ dialect: new PostgresDialect({ pool: new PGlitePool(instance, searchPath ?? 'SET search_path TO public', shared.done) }) })
  }
  try {
    await migrate(db)
  } catch (error) {
    await db.destroy()
    throw error
  }
  return {
    db,
    kind,
    schema,
    async close() {
      if (options.temporary && schema) {
        await sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).execute(db)
      }
      await db.destroy()
    },
  }
}
