import { createHash, randomBytes } from 'node:crypto'
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import { openCentralDb, scratchSchema, type CentralDb, type CentralDbOptions } from './db/connection'
import type { CentralTables } from './db/schema'
import {
  OPT_IN_ENTITIES,
  type ChangesPage,
  type Entity,
  type EntityRecord,
} from '../src/shared/sync/protocol'

type RefundTender = EntityRecord<'refund'>['tender']

/**
 * The board's store of protocol v1, on PostgreSQL (db/connection.ts; the tables are described
 * in db/migrations/0001_initial.ts). A record that belongs to several schools (a guardian with
 * children in two schools) goes in each school's feed.
 *
 * Every write goes through `put`, which writes the record, its index rows and its feed changes
 * in the caller's transaction. A store made by `transaction` is bound to that transaction.
 */

export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A clock the tests and the simulator move by hand. */
export class VirtualClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms
  }
  set(ms: number): void {
    if (ms < this.ms) throw new Error('the virtual clock only moves forward')
    this.ms = ms
  }
  advance(ms: number): void {
    this.set(this.ms + ms)
  }
}

export interface SchoolRow {
  id: string
  code: string
  name: string
  timeZone: string
}

export interface Device {
  id: string
  name: string
  schoolIds: string[]
}

export interface EmailRow {
  id: string
  schoolId: string
  guardianId: string
  to: string | null
  language: 'fr' | 'en'
  kind: EntityRecord<'notification'>['kind']
  offeringId: string | null
  paymentId: string | null
  consentId: string | null
  requestId: string | null
  status: EntityRecord<'notification'>['status']
  createdAt: string
}


export interface PutResult {
  version: number
  /** The seq written in each school's feed. */
  seqs: Map<string, number>
}

type Executor = Kysely<CentralTables> | Transaction<CentralTables>

/** PostgreSQL's codes for a transaction to run again: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01'])

export interface CentralStoreOptions extends CentralDbOptions {
  clock?: Clock
}

export class CentralStore {
  private constructor(
    readonly db: Executor,
    readonly clock: Clock,
    private readonly owner: CentralDb | null,
  ) {}

  /**
   * Opens (and migrates) the board's database. Without `url`, PGlite in this process; without
   * `schema`, a store of its own in a scratch schema that `close` drops (tests, the demo).
   */
  static async open(options: CentralStoreOptions = {}): Promise<CentralStore> {
    const { clock, ...db } = options
    const scratch = db.schema === undefined && db.dataDir === undefined && db.url === undefined
    const opened = await openCentralDb(scratch ? { ...db, schema: scratchSchema('central'), temporary: true } : db)
    return new CentralStore(opened.db, clock ?? systemClock, opened)
  }

  get kind(): CentralDb['kind'] {
    return this.owner?.kind ?? 'postgresql'
  }

  async close(): Promise<void> {
    await this.owner?.close()
  }

  nowIso(): string {
    return new Date(this.clock.now()).toISOString()
  }

  /**
   * Runs `fn` in one transaction with a store bound to it (nested calls join the outer one). A
   * deadlock or serialization failure runs it again from the start.
   */
  async transaction<T>(fn: (tx: CentralStore) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this)
    for (let attempt = 1; ; attempt++) {
      try {
        return await (this.db as Kysely<CentralTables>).transaction().execute((trx) => fn(new CentralStore(trx, this.clock, null)))
      } catch (error) {
        if (attempt >= 8 || !RETRYABLE.has((error as { code?: string }).code ?? '')) throw error
      }
    }
  }

  async rows<T>(query: RawBuilder<T>): Promise<T[]> {
    return (await query.execute(this.db)).rows
  }

  async row<T>(query: RawBuilder<T>): Promise<T | undefined> {
    return (await query.execute(this.db)).rows[0]
  }

  /** The first column of the first row. */
  async value<T>(query: RawBuilder<Record<string, T>>): Promise<T | undefined> {
    const row = await this.row(query)
    return row === undefined ? undefined : (Object.values(row)[0] as T)
  }

  async column<T>(query: RawBuilder<Record<string, T>>): Promise<T[]> {
    return (await this.rows(query)).map((r) => Object.values(r)[0] as T)
  }

  // ---- schools -------------------------------------------------------------------------------

  async addSchool(school: SchoolRow): Promise<void> {
    await sql`INSERT INTO schools (id, code, name, time_zone) VALUES (${school.id}, ${school.code}, ${school.name}, ${school.timeZone})`.execute(this.db)
  }

  async schools(): Promise<SchoolRow[]> {
    return this.rows(sql<SchoolRow>`SELECT id, code, name, time_zone AS "timeZone" FROM schools ORDER BY code, id`)
  }

  async school(id: string): Promise<SchoolRow | undefined> {
    return this.row(sql<SchoolRow>`SELECT id, code, name, time_zone AS "timeZone" FROM schools WHERE id = ${id}`)
  }

  async headSeq(schoolId: string): Promise<number> {
    return (await this.value(sql<{ head_seq: number }>`SELECT head_seq FROM schools WHERE id = ${schoolId}`)) ?? 0
  }

  /**
   * Takes the school's counter row for the rest of the transaction: the writers of a school
   * queue here, so its rules read a settled state and its seqs commit in order.
   */
  async lockSchool(schoolId: string): Promise<boolean> {
    return (await this.row(sql`SELECT id FROM schools WHERE id = ${schoolId} FOR UPDATE`)) !== undefined
  }

  // ---- records and the feed ------------------------------------------------------------------

  async record<E extends Entity>(entity: E, id: string): Promise<(EntityRecord<E> & { version: number }) | undefined> {
    const row = await this.row(sql<{ version: number; data: string }>`SELECT version, data FROM records WHERE entity = ${entity} AND id = ${id} AND NOT deleted`)
    if (!row) return undefined
    return { ...(JSON.parse(row.data) as EntityRecord<E>), version: row.version }
  }

  async version(entity: Entity, id: string): Promise<number | undefined> {
    return this.value(sql<{ version: number }>`SELECT version FROM records WHERE entity = ${entity} AND id = ${id}`)
  }

  /** Every live record of an entity in a school, ordered by id (guardians: use guardiansOf). */
  async records<E extends Entity>(entity: E, schoolId: string): Promise<Array<EntityRecord<E>>> {
    const rows = await this.column(sql<{ data: string }>`SELECT data FROM records WHERE entity = ${entity} AND school_id = ${schoolId} AND NOT deleted ORDER BY id`)
    return rows.map((d) => JSON.parse(d) as EntityRecord<E>)
  }

  /**
   * Writes a record (upsert) and appends it to the feed of each school it belongs to, with its
   * index rows. Its version is `version` when given, else one more than the stored one.
   */
  async put<E extends Entity>(entity: E, record: EntityRecord<E>, options: { version?: number; schools?: string[] } = {}): Promise<PutResult> {
    return this.transaction(async (tx) => {
      const id = (record as { id: string }).id
      const ownSchool = 'schoolId' in record ? (record as { schoolId: string }).schoolId : null
      const schools = [...(options.schools ?? (ownSchool ? [ownSchool] : await tx.guardianSchools(id)))].sort()
      // The counter rows first, in one order for every writer (fewer deadlocks between schools).
      for (const schoolId of schools) if (!(await tx.lockSchool(schoolId))) throw new Error(`no school ${schoolId}`)
      const previous = await tx.version(entity, id)
      const version = options.version ?? (previous ?? 0) + 1
      const data = JSON.stringify(record)
      const now = tx.nowIso()
      await sql`INSERT INTO records (entity, id, school_id, version, deleted, data, updated_at) VALUES (${entity}, ${id}, ${ownSchool}, ${version}, false, ${data}, ${now})
        ON CONFLICT (entity, id) DO UPDATE SET school_id = excluded.school_id, version = excluded.version, deleted = false, data = excluded.data, updated_at = excluded.updated_at`.execute(tx.db)
      await tx.index(entity, record)
      const seqs = new Map<string, number>()
      for (const schoolId of schools) seqs.set(schoolId, await tx.append(schoolId, entity, id, 'upsert', version, data, now))
      return { version, seqs }
    })
  }

  /**
   * The next seq of the school's feed, from its counter row: the row stays locked until this
   * transaction ends, so no other writer of the school can commit a later seq before this one
   * commits or rolls back. A reader that sees seq n therefore sees every seq below n.
   */
  private async append(schoolId: string, entity: Entity, id: string, op: 'upsert' | 'delete', version: number, data: string | null, at: string): Promise<number> {
    const seq = await this.value(sql<{ head_seq: number }>`UPDATE schools SET head_seq = head_seq + 1 WHERE id = ${schoolId} RETURNING head_seq`)
    if (seq === undefined) throw new Error(`no school ${schoolId}`)
    await sql`INSERT INTO changes (school_id, seq, entity, entity_id, op, version, data, at) VALUES (${schoolId}, ${seq}, ${entity}, ${id}, ${op}, ${version}, ${data}, ${at})`.execute(this.db)
    return seq
  }

  /** The index rows the rules read; money rows are written once and never changed. */
  private async index(entity: Entity, record: unknown): Promise<void> {
    if (entity === 'student') await sql`DELETE FROM guardian_links WHERE student_id = ${(record as { id: string }).id}`.execute(this.db)
    for (const { table, row } of indexRows(entity, record)) {
      const insert = this.db.insertInto(table as 'guardian_links').values(row as never)
      // A refund's status moves (pending, then settled); its amount and tender never do.
      await (table === 'refunds' ? insert.onConflict((oc) => oc.column('id' as never).doUpdateSet({ status: (row as { status: string }).status } as never)) : insert).execute()
    }
  }

  /**
   * Writes many new records at once, in the order given (the seed of a board): the same rows as
   * `put` for each, inserted a thousand at a time. Every record must be new.
   */
  async putMany(entries: ReadonlyArray<{ entity: Entity; record: object; version?: number; schools?: string[] }>): Promise<void> {
    await this.transaction(async (tx) => {
      const heads = new Map((await tx.rows(sql<{ id: string; head_seq: number }>`SELECT id, head_seq FROM schools FOR UPDATE`)).map((r) => [r.id, r.head_seq]))
      const links = new Map<string, string[]>()
      const byTable = new Map<string, Array<Record<string, unknown>>>()
      const add = (table: string, row: Record<string, unknown>) => (byTable.get(table) ?? byTable.set(table, []).get(table)!).push(row)
      const now = tx.nowIso()
      for (const { entity, record, version = 1, schools: given } of entries) {
        const id = (record as { id: string }).id
        const ownSchool = 'schoolId' in record ? (record as { schoolId: string }).schoolId : null
        const schools = [...(given ?? (ownSchool ? [ownSchool] : (links.get(id) ?? [])))].sort()
        const data = JSON.stringify(record)
        add('records', { entity, id, school_id: ownSchool, version, deleted: false, data, updated_at: now })
        for (const r of indexRows(entity, record)) {
          add(r.table, r.row)
          if (r.table === 'guardian_links') links.set(r.row.guardian_id as string, [...new Set([...(links.get(r.row.guardian_id as string) ?? []), r.row.school_id as string])])
        }
        for (const schoolId of schools) {
          const seq = (heads.get(schoolId) ?? 0) + 1
          if (!heads.has(schoolId)) throw new Error(`no school ${schoolId}`)
          heads.set(schoolId, seq)
          add('changes', { school_id: schoolId, seq, entity, entity_id: id, op: 'upsert', version, data, at: now })
        }
      }
      for (const [table, rows] of byTable) {
        for (let i = 0; i < rows.length; i += 1000) await tx.db.insertInto(table as 'records').values(rows.slice(i, i + 1000) as never).execute()
      }
      for (const [id, head] of heads) await sql`UPDATE schools SET head_seq = ${head} WHERE id = ${id}`.execute(tx.db)
    })
  }

  /** Schools where a guardian has a child: the feeds their record goes in. */
  async guardianSchools(guardianId: string): Promise<string[]> {
    return this.column(sql<{ school_id: string }>`SELECT DISTINCT school_id FROM guardian_links WHERE guardian_id = ${guardianId} ORDER BY school_id`)
  }

  /**
   * A page of the feed, already serialised: the stored JSON of each record is spliced in as it
   * is (no parse and stringify of 300,000 records on a first sync). Opt-in entities the client
   * did not ask for (`withEntities`) are left out of the page but not out of its cursor: lastSeq
   * is the last change read, served or not.
   */
  async pageJson(schoolId: string, after: number, limit: number, withEntities: readonly string[] = OPT_IN_ENTITIES): Promise<{ json: string; lastSeq: number; count: number }> {
    const rows = await this.rows(
      sql<{ seq: number; entity: string; entity_id: string; op: string; version: number; data: string | null }>`SELECT seq, entity, entity_id, op, version, data FROM changes WHERE school_id = ${schoolId} AND seq > ${after} ORDER BY seq LIMIT ${limit + 1}`,
    )
    const hasMore = rows.length > limit
    if (hasMore) rows.pop()
    const lastSeq = rows.length ? rows[rows.length - 1]!.seq : after
    const left = new Set<string>(OPT_IN_ENTITIES.filter((e) => !withEntities.includes(e)))
    const parts = rows.filter((r) => !left.has(r.entity)).map(
      (r) => `{"seq":${r.seq},"entity":${JSON.stringify(r.entity)},"id":${JSON.stringify(r.entity_id)},"op":"${r.op}","version":${r.version},"data":${r.data ?? 'null'}}`,
    )
    // Read after the rows: never below lastSeq.
    const head = Math.max(lastSeq, await this.headSeq(schoolId))
    const json = `{"changes":[${parts.join(',')}],"lastSeq":${lastSeq},"hasMore":${hasMore},"headSeq":${head}}`
    return { json, lastSeq, count: parts.length }
  }

  async page(schoolId: string, after: number, limit: number): Promise<ChangesPage> {
    return JSON.parse((await this.pageJson(schoolId, after, limit)).json) as ChangesPage
  }

  /** The whole feed of a school (tests, the simulator's determinism check). */
  async feed(schoolId: string, after = 0): Promise<Array<{ seq: number; entity: Entity; id: string; op: string; version: number; data: string | null }>> {
    return this.rows(sql<{ seq: number; entity: Entity; id: string; op: string; version: number; data: string | null }>`SELECT seq, entity, entity_id AS id, op, version, data FROM changes WHERE school_id = ${schoolId} AND seq > ${after} ORDER BY seq`)
  }

  // ---- what the rules read -------------------------------------------------------------------

  /** Students of a school linked to a guardian. */
  async childrenOf(guardianId: string, schoolId: string): Promise<Array<EntityRecord<'student'>>> {
    const rows = await this.rows(
      sql<{ version: number; data: string }>`SELECT r.version, r.data FROM guardian_links l JOIN records r ON r.entity = 'student' AND r.id = l.student_id AND NOT r.deleted
        WHERE l.guardian_id = ${guardianId} AND l.school_id = ${schoolId} ORDER BY l.student_id`,
    )
    return rows.map((r) => ({ ...(JSON.parse(r.data) as EntityRecord<'student'>), version: r.version }))
  }

  async guardiansOfStudents(studentIds: readonly string[]): Promise<string[]> {
    if (studentIds.length === 0) return []
    return this.column(sql<{ guardian_id: string }>`SELECT DISTINCT guardian_id FROM guardian_links WHERE student_id IN (${sql.join(studentIds)}) ORDER BY guardian_id`)
  }

  /** Guardians with at least one child in the school, ordered by id. */
  async guardianIdsOfSchool(schoolId: string): Promise<string[]> {
    return this.column(sql<{ guardian_id: string }>`SELECT DISTINCT guardian_id FROM guardian_links WHERE school_id = ${schoolId} ORDER BY guardian_id`)
  }

  /** Guardians of the school's children with an email address (those who visit the portal), ordered by id. */
  async guardiansOnline(schoolId: string): Promise<string[]> {
    return this.column(
      sql<{ guardian_id: string }>`SELECT DISTINCT l.guardian_id FROM guardian_links l JOIN records r ON r.entity = 'guardian' AND r.id = l.guardian_id AND NOT r.deleted
        WHERE l.school_id = ${schoolId} AND coalesce(r.data::jsonb ->> 'email', '') <> '' ORDER BY l.guardian_id`,
    )
  }

  /** Active students an item reaches (its targets: school, grades, classes, named students). */
  async eligibleStudents(offering: EntityRecord<'offering'>): Promise<Array<EntityRecord<'student'>>> {
    return (await this.records('student', offering.schoolId)).filter((s) => s.status === 'active' && isTargeted(offering, s))
  }

  async soldQuantity(offeringId: string): Promise<number> {
    return (await this.value(sql<{ n: number }>`SELECT coalesce(sum(quantity), 0)::int AS n FROM lines WHERE offering_id = ${offeringId}`)) ?? 0
  }

  async studentQuantity(offeringId: string, studentId: string): Promise<number> {
    return (await this.value(sql<{ n: number }>`SELECT coalesce(sum(quantity), 0)::int AS n FROM lines WHERE offering_id = ${offeringId} AND student_id = ${studentId}`)) ?? 0
  }

  /** Program dates (ids) a student already has a line for. */
  async datesBought(offeringId: string, studentId: string): Promise<Set<string>> {
    return new Set(await this.column(sql<{ program_date_id: string }>`SELECT program_date_id FROM lines WHERE offering_id = ${offeringId} AND student_id = ${studentId} AND program_date_id IS NOT NULL`))
  }

  /** Whether a student of a family has a line on the item (a family fee is paid once). */
  async familyHasLine(offeringId: string, studentIds: readonly string[]): Promise<boolean> {
    if (studentIds.length === 0) return false
    return (await this.row(sql`SELECT 1 FROM lines WHERE offering_id = ${offeringId} AND student_id IN (${sql.join(studentIds)}) LIMIT 1`)) !== undefined
  }

  async lineExists(lineId: string): Promise<boolean> {
    return (await this.row(sql`SELECT 1 FROM lines WHERE id = ${lineId}`)) !== undefined
  }

  /** Students with a line or an answer on an item (those a cancellation concerns). */
  async studentsWhoAnswered(offeringId: string): Promise<string[]> {
    return this.column(sql<{ student_id: string }>`SELECT student_id FROM lines WHERE offering_id = ${offeringId} UNION SELECT student_id FROM consents WHERE offering_id = ${offeringId} ORDER BY 1`)
  }

  /** What the family's credit paid of an order's payments. */
  async creditPaidOnOrder(orderId: string): Promise<number> {
    return (await this.value(sql<{ n: number }>`SELECT coalesce(sum(credit_cents), 0)::int AS n FROM payments WHERE order_id = ${orderId}`)) ?? 0
  }

  async waivedCents(offeringId: string, studentId: string): Promise<number> {
    return (await this.value(sql<{ n: number }>`SELECT coalesce(sum(amount_cents), 0)::int AS n FROM waivers WHERE offering_id = ${offeringId} AND student_id = ${studentId}`)) ?? 0
  }

  /** The student's current answer on an item: the latest consent (by recordedAt, then arrival). */
  async currentConsent(offeringId: string, studentId: string): Promise<{ id: string; decision: string; recordedAt: string } | undefined> {
    return this.row(
      sql<{ id: string; decision: string; recordedAt: string }>`SELECT id, decision, recorded_at AS "recordedAt" FROM consents WHERE offering_id = ${offeringId} AND student_id = ${studentId} ORDER BY recorded_at DESC, arrival DESC LIMIT 1`,
    )
  }

  /** The board's own series: an office's kiosk numbers its sales in its series ('office'). */
  async nextReceiptNumber(schoolId: string): Promise<number> {
    return ((await this.value(sql<{ n: number | null }>`SELECT max(receipt_number) AS n FROM payments WHERE school_id = ${schoolId} AND receipt_series = 'board'`)) ?? 0) + 1
  }

  /**
   * What is paid on a payment and already refunded (pending or succeeded), in total, by tender
   * (the card's part is amountCents − creditCents) and for one line.
   */
  async refundFacts(
    paymentId: string,
    lineId: string | null,
  ): Promise<
    | { paidCents: number; creditCents: number; refundedCents: number; refundedByTender: Record<RefundTender, number>; lineCents: number | null; lineRefundedCents: number; orderId: string }
    | undefined
  > {
    const p = await this.row(sql<{ order_id: string; amount_cents: number; credit_cents: number }>`SELECT order_id, amount_cents, credit_cents FROM payments WHERE id = ${paymentId}`)
    if (!p) return undefined
    const byTender = await this.rows(sql<{ tender: RefundTender; cents: number }>`SELECT tender, sum(amount_cents)::int AS cents FROM refunds WHERE payment_id = ${paymentId} AND status <> 'failed' GROUP BY tender`)
    const refundedByTender: Record<RefundTender, number> = { card: 0, credit: 0 }
    for (const row of byTender) refundedByTender[row.tender] = row.cents
    const refunded = refundedByTender.card + refundedByTender.credit
    let lineCents: number | null = null
    let lineRefunded = 0
    if (lineId) {
      lineCents = (await this.value(sql<{ amount_cents: number }>`SELECT amount_cents FROM lines WHERE id = ${lineId} AND order_id = ${p.order_id}`)) ?? null
      lineRefunded = (await this.value(sql<{ n: number }>`SELECT coalesce(sum(amount_cents), 0)::int AS n FROM refunds WHERE order_line_id = ${lineId} AND status <> 'failed'`)) ?? 0
    }
    return { paidCents: p.amount_cents, creditCents: p.credit_cents, refundedCents: refunded, refundedByTender, lineCents, lineRefundedCents: lineRefunded, orderId: p.order_id }
  }

  /** A guardian's credit at a school: what was granted less what was used. */
  async creditBalance(schoolId: string, guardianId: string): Promise<number> {
    return (
      (await this.value(
        sql<{ n: number }>`SELECT coalesce(sum(CASE kind WHEN 'granted' THEN amount_cents ELSE -amount_cents END), 0)::int AS n FROM credits WHERE school_id = ${schoolId} AND guardian_id = ${guardianId}`,
      )) ?? 0
    )
  }

  /** The credit already granted for a refund (one at most), and what credits have paid of an order. */
  async creditFacts(refundId: string | null, orderId: string | null): Promise<{ grantedFor: string | null; usedOnOrderCents: number }> {
    const grantedFor = refundId === null ? null : ((await this.value(sql<{ id: string }>`SELECT id FROM credits WHERE refund_id = ${refundId} AND kind = 'granted' LIMIT 1`)) ?? null)
    const usedOnOrderCents = orderId === null ? 0 : ((await this.value(sql<{ n: number }>`SELECT coalesce(sum(amount_cents), 0)::int AS n FROM credits WHERE order_id = ${orderId} AND kind = 'used'`)) ?? 0)
    return { grantedFor, usedOnOrderCents }
  }

  // ---- emails: recorded, never sent ----------------------------------------------------------

  /**
   * Records an email the board would send a guardian, and its notification in the school's
   * feed. A guardian without an address, or whose address bounced before, gets none.
   */
  async recordEmail(input: {
    id: string
    schoolId: string
    guardianId: string
    kind: EmailRow['kind']
    offeringId?: string | null
    paymentId?: string | null
    consentId?: string | null
    requestId?: string | null
    bounce?: boolean
  }): Promise<EmailRow | undefined> {
    return this.transaction(async (tx) => {
      const guardian = await tx.record('guardian', input.guardianId)
      if (!guardian) return undefined
      const status: EmailRow['status'] = !guardian.email ? 'no_address' : guardian.emailBouncedAt ? 'suppressed' : input.bounce ? 'bounced' : 'delivered'
      const row: EmailRow = {
        id: input.id,
        schoolId: input.schoolId,
        guardianId: guardian.id,
        to: guardian.email,
        language: guardian.preferredLanguage,
        kind: input.kind,
        offeringId: input.offeringId ?? null,
        paymentId: input.paymentId ?? null,
        consentId: input.consentId ?? null,
        requestId: input.requestId ?? null,
        status,
        createdAt: tx.nowIso(),
      }
      await sql`INSERT INTO emails (id, school_id, guardian_id, to_address, language, kind, offering_id, payment_id, consent_id, request_id, status, created_at)
        VALUES (${row.id}, ${row.schoolId}, ${row.guardianId}, ${row.to}, ${row.language}, ${row.kind}, ${row.offeringId}, ${row.paymentId}, ${row.consentId}, ${row.requestId}, ${row.status}, ${row.createdAt})`.execute(tx.db)
      await tx.put('notification', row)
      if (status === 'bounced') {
        const { version: _v, ...rest } = guardian
        await tx.put('guardian', { ...rest, emailBouncedAt: row.createdAt })
      }
      return row
    })
  }

  async emails(schoolId?: string): Promise<EmailRow[]> {
    const columns = sql`id, school_id AS "schoolId", guardian_id AS "guardianId", to_address AS "to", language, kind, offering_id AS "offeringId",
      payment_id AS "paymentId", consent_id AS "consentId", request_id AS "requestId", status, created_at AS "createdAt"`
    return schoolId
      ? this.rows(sql<EmailRow>`SELECT ${columns} FROM emails WHERE school_id = ${schoolId} ORDER BY arrival`)
      : this.rows(sql<EmailRow>`SELECT ${columns} FROM emails ORDER BY arrival`)
  }

  // ---- devices -------------------------------------------------------------------------------

  /** An enrolment code for the given schools (all of them by default), single use. */
  async createEnrollmentCode(options: { schoolIds?: string[]; ttlMs?: number } = {}): Promise<{ code: string; schoolIds: string[]; expiresAt: string | null }> {
    const schoolIds = options.schoolIds ?? (await this.schools()).map((s) => s.id)
    for (const id of schoolIds) if (!(await this.school(id))) throw new Error(`no school ${id}`)
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
    const bytes = randomBytes(8)
    const chars = [...bytes].map((b) => alphabet[b % alphabet.length]!)
    const code = `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`
    const expiresAt = options.ttlMs === undefined ? null : new Date(this.clock.now() + options.ttlMs).toISOString()
    await sql`INSERT INTO enrollment_codes (code, school_ids, created_at, expires_at) VALUES (${code}, ${JSON.stringify(schoolIds)}, ${this.nowIso()}, ${expiresAt})`.execute(this.db)
    return { code, schoolIds, expiresAt }
  }

  /**
   * Exchanges a code (once, whatever process answers) for a device and its token; undefined
   * when the code is unknown, used or expired. The code's row is taken by the UPDATE: a second
   * process waits for the first to commit, then finds it used.
   */
  async enroll(code: string, deviceName: string): Promise<{ device: Device; token: string } | undefined> {
    return this.transaction(async (tx) => {
      const key = code.trim().toUpperCase()
      const now = tx.nowIso()
      const id = `dev_${randomBytes(8).toString('hex')}`
      const row = await tx.row(
        sql<{ school_ids: string }>`UPDATE enrollment_codes SET used_at = ${now} WHERE code = ${key} AND used_at IS NULL AND (expires_at IS NULL OR expires_at > ${now}) RETURNING school_ids`,
      )
      if (!row) return undefined
      const token = `cen_${randomBytes(32).toString('base64url')}`
      const schoolIds = JSON.parse(row.school_ids) as string[]
      await sql`INSERT INTO devices (id, name, token_hash, created_at) VALUES (${id}, ${deviceName}, ${hashToken(token)}, ${now})`.execute(tx.db)
      for (const s of schoolIds) await sql`INSERT INTO device_schools (device_id, school_id) VALUES (${id}, ${s})`.execute(tx.db)
      await sql`UPDATE enrollment_codes SET device_id = ${id} WHERE code = ${key}`.execute(tx.db)
      return { device: { id, name: deviceName, schoolIds }, token }
    })
  }

  /** The device a token belongs to, unless it was revoked. */
  async authenticate(token: string): Promise<Device | undefined> {
    const rows = await this.rows(
      sql<{ id: string; name: string; school_id: string | null }>`SELECT d.id, d.name, s.school_id FROM devices d LEFT JOIN device_schools s ON s.device_id = d.id
        WHERE d.token_hash = ${hashToken(token)} AND d.revoked_at IS NULL ORDER BY s.school_id`,
    )
    if (rows.length === 0) return undefined
    return { id: rows[0]!.id, name: rows[0]!.name, schoolIds: rows.flatMap((r) => (r.school_id === null ? [] : [r.school_id])) }
  }

  async revokeDevice(deviceId: string): Promise<boolean> {
    const done = await sql`UPDATE devices SET revoked_at = ${this.nowIso()} WHERE id = ${deviceId} AND revoked_at IS NULL`.execute(this.db)
    return Number(done.numAffectedRows ?? 0) > 0
  }

  // ---- the mutation log ----------------------------------------------------------------------

  /**
   * Holds a mutation id for the rest of the transaction: a retry of the same mutation reaching
   * another process at the same moment waits here, then finds the first one's result.
   */
  async lockMutation(mutationId: string): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${mutationId}, 0))`.execute(this.db)
  }

  async recordedResult(mutationId: string): Promise<string | undefined> {
    return this.value(sql<{ result: string }>`SELECT result FROM mutations WHERE id = ${mutationId}`)
  }

  async recordResult(input: { id: string; deviceId: string; schoolId: string; type: string; entityId: string; status: string; result: string }): Promise<void> {
    await sql`INSERT INTO mutations (id, device_id, school_id, type, entity_id, status, result, received_at)
      VALUES (${input.id}, ${input.deviceId}, ${input.schoolId}, ${input.type}, ${input.entityId}, ${input.status}, ${input.result}, ${this.nowIso()})`.execute(this.db)
  }

  async mutationCount(): Promise<number> {
    return (await this.value(sql<{ n: number }>`SELECT count(*)::int AS n FROM mutations`)) ?? 0
  }
}

/** The rows of the rules' tables a record brings (db/migrations/0001_initial.ts). */
function indexRows(entity: Entity, record: unknown): Array<{ table: string; row: Record<string, unknown> }> {
  switch (entity) {
    case 'student': {
      const s = record as EntityRecord<'student'>
      return s.guardians.map((g) => ({ table: 'guardian_links', row: { guardian_id: g.guardianId, student_id: s.id, school_id: s.schoolId } }))
    }
    case 'order': {
      const o = record as EntityRecord<'order'>
      return o.lines.map((l) => ({
        table: 'lines',
        row: { id: l.id, order_id: o.id, school_id: o.schoolId, guardian_id: o.guardianId, student_id: l.studentId, offering_id: l.offeringId, variant_id: l.variantId, program_date_id: l.programDateId, quantity: l.quantity, amount_cents: l.amountCents, channel: o.channel, created_at: o.createdAt },
      }))
    }
    case 'payment': {
      const p = record as EntityRecord<'payment'>
      return [{ table: 'payments', row: { id: p.id, order_id: p.orderId, school_id: p.schoolId, amount_cents: p.amountCents, credit_cents: p.creditCents, receipt_series: p.receiptSeries, receipt_number: p.receiptNumber, created_at: p.createdAt } }]
    }
    case 'refund': {
      const r = record as EntityRecord<'refund'>
      // stored before tenders: none
      return [{ table: 'refunds', row: { id: r.id, payment_id: r.paymentId, order_line_id: r.orderLineId, amount_cents: r.amountCents, status: r.status, tender: r.tender ?? 'card' } }]
    }
    case 'consent': {
      const c = record as EntityRecord<'consent'>
      return [{ table: 'consents', row: { id: c.id, offering_id: c.offeringId, student_id: c.studentId, guardian_id: c.guardianId, decision: c.decision, channel: c.channel, recorded_at: c.recordedAt } }]
    }
    case 'waiver': {
      const w = record as EntityRecord<'waiver'>
      return [{ table: 'waivers', row: { id: w.id, offering_id: w.offeringId, student_id: w.studentId, amount_cents: w.amountCents } }]
    }
    case 'credit': {
      const c = record as EntityRecord<'credit'>
      return [{ table: 'credits', row: { id: c.id, school_id: c.schoolId, guardian_id: c.guardianId, kind: c.kind, amount_cents: c.amountCents, refund_id: c.refundId, order_id: c.orderId } }]
    }
    default:
      return []
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Whether an item's targets reach a student (any target matches). */
export function isTargeted(offering: Pick<EntityRecord<'offering'>, 'targets' | 'schoolId'>, student: EntityRecord<'student'>): boolean {
  if (student.schoolId !== offering.schoolId) return false
  return offering.targets.some((t) => {
    switch (t.kind) {
      case 'school':
        return true
      case 'grade':
        return t.value === student.grade
      case 'class':
        return t.value === student.classId
      case 'student':
        return t.value === student.id
    }
  })
}

/** A UUID-shaped id derived from a name (the server's own ids stay deterministic for a given input). */
export function derivedId(name: string): string {
  const h = createHash('sha256').update(name).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`
}
