import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { searchKey } from '../domain/search-key'
import { migrate } from './migrate'
import type { DB } from './schema'

export interface OpenOptions {
  /** Path of the database file; ':memory:' for throwaway databases in tests. */
  file: string
  /** Electron's build of better-sqlite3 (another ABI than Node's); Node's build when absent. */
  nativeBinding?: string
  readonly?: boolean
  /** false: leave the schema as it is (the core backs the file up before migrating it). */
  migrate?: boolean
}

export interface Connection {
  raw: Database.Database
  db: Kysely<DB>
  close(): Promise<void>
}

/** Opens the file with the pragmas of a ledger and brings its schema up to date. */
export function openDatabase(options: OpenOptions): Connection {
  const raw = new Database(options.file, {
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    ...(options.readonly ? { readonly: true, fileMustExist: true } : {}),
  })
  try {
    raw.pragma('foreign_keys = ON')
    // SQLite orders text by bytes ("Zoé" before "Éloïse"); fold() gives names French order.
    raw.function('fold', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? searchKey(value) : value))
    raw.pragma('busy_timeout = 5000')
    if (!options.readonly) {
      raw.pragma('journal_mode = WAL')
      // A ledger: a committed payment must survive a power cut.
      raw.pragma('synchronous = FULL')
      if (options.migrate !== false) migrate(raw)
    }
  } catch (error) {
    raw.close()
    throw error
  }
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: raw }) })
  return {
    raw,
    db,
    async close() {
      await db.destroy()
    },
  }
}
