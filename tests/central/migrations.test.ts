import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCentralDb, scratchSchema, type CentralDb } from '../../central/db/connection'
import { migrate } from '../../central/db/migrate'
import { CENTRAL_MIGRATIONS } from '../../central/db/migrations'

/** On DATABASE_URL's PostgreSQL when set (a schema of its own), else PGlite. */
function options(schema: string) {
  const url = process.env.DATABASE_URL
  return { ...(url ? { url, maxConnections: 2 } : {}), schema, temporary: true }
}

async function tables(db: Kysely<unknown>): Promise<string[]> {
  const rows = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`.execute(db)
  return rows.rows.map((r) => r.name)
}

describe('the board database migrations', () => {
  let central: CentralDb
  beforeAll(async () => {
    central = await openCentralDb(options(scratchSchema('mig')))
  })
  afterAll(async () => {
    await central.close()
  })

  it('numbers its migrations 1, 2, … with no gap', () => {
    expect(CENTRAL_MIGRATIONS.map((m) => m.version)).toEqual(CENTRAL_MIGRATIONS.map((_, i) => i + 1))
  })

  it('0001 creates the store of protocol v1, once', async () => {
    const db = central.db as unknown as Kysely<unknown>
    expect(await tables(db)).toEqual(
      ['central_migrations', 'changes', 'consents', 'credits', 'device_schools', 'devices', 'emails', 'enrollment_codes', 'exceptions', 'guardian_links', 'lines', 'mutations', 'payments', 'records', 'refunds', 'schools', 'waivers'].sort(),
    )
    expect((await sql<{ version: number }>`SELECT version FROM central_migrations ORDER BY version`.execute(db)).rows.map((r) => r.version)).toEqual(CENTRAL_MIGRATIONS.map((m) => m.version))
    expect(await migrate(db)).toEqual([])
  })

  it('0001 enforces one change per seq of a school, positive credits and known tenders', async () => {
    const db = central.db as unknown as Kysely<unknown>
    await sql`INSERT INTO schools (id, code, name, time_zone) VALUES ('s1', '001', 'École', 'America/Toronto')`.execute(db)
    await sql`INSERT INTO changes (school_id, seq, entity, entity_id, op, version, data, at) VALUES ('s1', 1, 'class', 'c1', 'upsert', 1, '{}', 'now')`.execute(db)
    await expect(sql`INSERT INTO changes (school_id, seq, entity, entity_id, op, version, data, at) VALUES ('s1', 1, 'class', 'c2', 'upsert', 1, '{}', 'now')`.execute(db)).rejects.toThrow(/duplicate key/)
    await expect(sql`INSERT INTO changes (school_id, seq, entity, entity_id, op, version, data, at) VALUES ('nowhere', 1, 'class', 'c2', 'upsert', 1, '{}', 'now')`.execute(db)).rejects.toThrow(/foreign key/)
    await expect(sql`INSERT INTO credits (id, school_id, guardian_id, kind, amount_cents) VALUES ('k1', 's1', 'g1', 'granted', 0)`.execute(db)).rejects.toThrow(/check constraint/)
    await expect(sql`INSERT INTO refunds (id, payment_id, amount_cents, status, tender) VALUES ('r1', 'p1', 100, 'pending', 'cash')`.execute(db)).rejects.toThrow(/check constraint/)
  })

  it('0002 keeps an exception once per id, with its reason, at a known school', async () => {
    const db = central.db as unknown as Kysely<unknown>
    await sql`INSERT INTO schools (id, code, name, time_zone) VALUES ('s2', '002', 'École', 'America/Toronto') ON CONFLICT DO NOTHING`.execute(db)
    const insert = (id: string, school: string, reason: string) =>
      sql`INSERT INTO exceptions (id, school_id, kind, offering_id, reason, approved_by, at, changes, request_id) VALUES (${id}, ${school}, 'deadline', 'o1', ${reason}, 'Direction', 'now', '[]', 'm1')`.execute(db)
    await insert('x1', 's2', 'Sortie reportée')
    await expect(insert('x1', 's2', 'Encore')).rejects.toThrow(/duplicate key/)
    await expect(insert('x2', 's2', '')).rejects.toThrow(/check constraint/)
    await expect(insert('x3', 'nowhere', 'Raison')).rejects.toThrow(/foreign key/)
  })

  it('migrates once when two processes start together on the same database', async () => {
    const schema = scratchSchema('mig2')
    const [a, b] = await Promise.all([openCentralDb(options(schema)), openCentralDb(options(schema))])
    try {
      const rows = await sql<{ version: number }>`SELECT version FROM central_migrations`.execute(a.db)
      expect(rows.rows.map((r) => r.version)).toEqual(CENTRAL_MIGRATIONS.map((m) => m.version))
      expect(await migrate(b.db)).toEqual([])
    } finally {
      await b.close()
      await a.close()
    }
  })
})
