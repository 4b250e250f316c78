import type { Kysely } from 'kysely'
import type { DB } from './schema'

export async function currentVersionAsync(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom('schema_migrations').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst()
  return Number(row?.v ?? 0)
}
