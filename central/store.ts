import { createHash, randomBytes } from 'node:crypto'
import Database from 'better-sqlite3'
import {
  OPT_IN_ENTITIES,
  PROTOCOL_VERSION,
  type ChangesPage,
  type Entity,
  type EntityRecord,
} from '../src/shared/sync/protocol'

type RefundTender = EntityRecord<'refund'>['tender']

/**
 * The reference central server's store: one SQLite file (or :memory:) holding the board's side
 * of protocol v1.
 *
 * - `records`: the current copy of every record, as the feed sends it (JSON), with its version.
 * - `changes`: the change feed, per school, seq strictly increasing (schools.head_seq). A record
 *   that belongs to several schools (a guardian with children in two schools) goes in each feed.
 * - `lines`, `payments`, `refunds`, `consents`, `waivers`, `credits`, `guardian_links`: indexes of
 *   the records that the rules need (stock, limits, refundable amounts by tender, current answers,
 *   family credit balances).
 * - `devices`, `enrollment_codes`, `mutations` (each mutation id and its first result, forever),
 *   `emails` (what the board would send; never sent).
 *
 * Every write goes through `put`, which writes the record, its index rows and its feed changes
 * in the caller's transaction.
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

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  CREATE TABLE IF NOT EXISTS schools (
    id TEXT PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL, time_zone TEXT NOT NULL,
    head_seq INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE TABLE IF NOT EXISTS records (
    entity TEXT NOT NULL, id TEXT NOT NULL, school_id TEXT, version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0, data TEXT, updated_at TEXT NOT NULL,
    PRIMARY KEY (entity, id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS records_by_school ON records (entity, school_id);
  CREATE TABLE IF NOT EXISTS changes (
    school_id TEXT NOT NULL, seq INTEGER NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')), version INTEGER NOT NULL, data TEXT, at TEXT NOT NULL,
    PRIMARY KEY (school_id, seq)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS guardian_links (
    guardian_id TEXT NOT NULL, student_id TEXT NOT NULL, school_id TEXT NOT NULL,
    PRIMARY KEY (guardian_id, student_id)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS guardian_links_by_student ON guardian_links (student_id);
  CREATE TABLE IF NOT EXISTS lines (
    id TEXT PRIMARY KEY, order_id TEXT NOT NULL, school_id TEXT NOT NULL, guardian_id TEXT NOT NULL,
    student_id TEXT NOT NULL, offering_id TEXT NOT NULL, variant_id TEXT, program_date_id TEXT,
    quantity INTEGER NOT NULL, amount_cents INTEGER NOT NULL, channel TEXT NOT NULL, created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS lines_by_offering ON lines (offering_id, program_date_id);
  CREATE INDEX IF NOT EXISTS lines_by_student ON lines (student_id, offering_id);
  CREATE INDEX IF NOT EXISTS lines_by_order ON lines (order_id);
  CREATE TABLE IF NOT EXISTS payments (
    id TEXT PRIMARY KEY, order_id TEXT NOT NULL, school_id TEXT NOT NULL, amount_cents INTEGER NOT NULL,
    receipt_number INTEGER NOT NULL, created_at TEXT NOT NULL, credit_cents INTEGER NOT NULL DEFAULT 0,
    receipt_series TEXT NOT NULL DEFAULT 'board'
  ) STRICT;
  CREATE INDEX IF NOT EXISTS payments_by_order ON payments (order_id);
  CREATE INDEX IF NOT EXISTS payments_by_receipt ON payments (school_id, receipt_number);
  CREATE TABLE IF NOT EXISTS refunds (
    id TEXT PRIMARY KEY, payment_id TEXT NOT NULL, order_line_id TEXT, amount_cents INTEGER NOT NULL, status TEXT NOT NULL,
    tender TEXT NOT NULL DEFAULT 'card'
  ) STRICT;
  CREATE INDEX IF NOT EXISTS refunds_by_payment ON refunds (payment_id);
  CREATE TABLE IF NOT EXISTS consents (
    id TEXT PRIMARY KEY, offering_id TEXT NOT NULL, student_id TEXT NOT NULL,
    guardian_id TEXT, decision TEXT NOT NULL, channel TEXT NOT NULL, recorded_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS consents_by_student ON consents (offering_id, student_id, recorded_at);
  CREATE TABLE IF NOT EXISTS waivers (
    id TEXT PRIMARY KEY, offering_id TEXT NOT NULL, student_id TEXT NOT NULL, amount_cents INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS waivers_by_student ON waivers (offering_id, student_id);
  CREATE TABLE IF NOT EXISTS credits (
    id TEXT PRIMARY KEY, school_id TEXT NOT NULL, guardian_id TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('granted', 'used')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0), refund_id TEXT, order_id TEXT
  ) STRICT;
  CREATE INDEX IF NOT EXISTS credits_by_guardian ON credits (school_id, guardian_id);
  CREATE INDEX IF NOT EXISTS credits_by_refund ON credits (refund_id) WHERE refund_id IS NOT NULL;
  CREATE INDEX IF NOT EXISTS credits_by_order ON credits (order_id) WHERE order_id IS NOT NULL;

  CREATE TABLE IF NOT EXISTS devices (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT
  ) STRICT;
  CREATE TABLE IF NOT EXISTS device_schools (device_id TEXT NOT NULL, school_id TEXT NOT NULL, PRIMARY KEY (device_id, school_id)) STRICT;
  CREATE TABLE IF NOT EXISTS enrollment_codes (
    code TEXT PRIMARY KEY, school_ids TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT,
    used_at TEXT, device_id TEXT
  ) STRICT;
  CREATE TABLE IF NOT EXISTS mutations (
    id TEXT PRIMARY KEY, device_id TEXT NOT NULL, school_id TEXT NOT NULL, type TEXT NOT NULL,
    entity_id TEXT NOT NULL, status TEXT NOT NULL, result TEXT NOT NULL, received_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS emails (
    id TEXT PRIMARY KEY, school_id TEXT NOT NULL, guardian_id TEXT NOT NULL, to_address TEXT, language TEXT NOT NULL,
    kind TEXT NOT NULL, offering_id TEXT, payment_id TEXT, consent_id TEXT, request_id TEXT,
    status TEXT NOT NULL, created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS emails_by_school ON emails (school_id, created_at);
`

export interface PutResult {
  version: number
  /** The seq written in each school's feed. */
  seqs: Map<string, number>
}

export class CentralStore {
  readonly db: Database.Database
  readonly clock: Clock

  constructor(options: { file?: string; clock?: Clock } = {}) {
    this.db = new Database(options.file ?? ':memory:')
    this.clock = options.clock ?? systemClock
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    this.db.exec(SCHEMA)
    // A store file made before credit tenders: every payment was wholly by card, every refund to a card.
    this.addColumn('payments', 'credit_cents', 'INTEGER NOT NULL DEFAULT 0')
    this.addColumn('refunds', 'tender', "TEXT NOT NULL DEFAULT 'card'")
    this.addColumn('payments', 'receipt_series', "TEXT NOT NULL DEFAULT 'board'")
    this.db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('protocol_version', ?)").run(String(PROTOCOL_VERSION))
  }

  private addColumn(table: string, column: string, declaration: string): void {
    const columns = this.db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]
    if (!columns.includes(column)) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${declaration}`)
  }

  private readonly statements = new Map<string, Database.Statement>()

  /** A prepared statement, made once per SQL text. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text)
    if (!statement) {
      statement = this.db.prepare(text)
      this.statements.set(text, statement)
    }
    return statement
  }

  close(): void {
    this.db.close()
  }

  nowIso(): string {
    return new Date(this.clock.now()).toISOString()
  }

  /** Runs `fn` in one IMMEDIATE transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn()
    return this.db.transaction(fn).immediate()
  }

  // ---- schools -------------------------------------------------------------------------------

  addSchool(school: SchoolRow): void {
    this.sql('INSERT INTO schools (id, code, name, time_zone) VALUES (?, ?, ?, ?)').run(school.id, school.code, school.name, school.timeZone)
  }

  schools(): SchoolRow[] {
    return this.sql('SELECT id, code, name, time_zone AS timeZone FROM schools ORDER BY code, id').all() as SchoolRow[]
  }

  school(id: string): SchoolRow | undefined {
    return this.sql('SELECT id, code, name, time_zone AS timeZone FROM schools WHERE id = ?').get(id) as SchoolRow | undefined
  }

  headSeq(schoolId: string): number {
    const row = this.sql('SELECT head_seq FROM schools WHERE id = ?').pluck().get(schoolId) as number | undefined
    return row ?? 0
  }

  // ---- records and the feed ------------------------------------------------------------------

  record<E extends Entity>(entity: E, id: string): (EntityRecord<E> & { version: number }) | undefined {
    const row = this.sql('SELECT version, data FROM records WHERE entity = ? AND id = ? AND deleted = 0').get(entity, id) as
      | { version: number; data: string }
      | undefined
    if (!row) return undefined
    return { ...(JSON.parse(row.data) as EntityRecord<E>), version: row.version }
  }

  version(entity: Entity, id: string): number | undefined {
    return this.sql('SELECT version FROM records WHERE entity = ? AND id = ?').pluck().get(entity, id) as number | undefined
  }

  /** Every live record of an entity in a school, ordered by id (guardians: use guardiansOf). */
  records<E extends Entity>(entity: E, schoolId: string): Array<EntityRecord<E>> {
    const rows = this.sql('SELECT data FROM records WHERE entity = ? AND school_id = ? AND deleted = 0 ORDER BY id').pluck().all(entity, schoolId) as string[]
    return rows.map((d) => JSON.parse(d) as EntityRecord<E>)
  }

  /**
   * Writes a record (upsert) and appends it to the feed of each school it belongs to, with its
   * index rows. Its version is `version` when given, else one more than the stored one.
   */
  put<E extends Entity>(entity: E, record: EntityRecord<E>, options: { version?: number; schools?: string[] } = {}): PutResult {
    return this.transaction(() => {
      const id = (record as { id: string }).id
      const previous = this.version(entity, id)
      const version = options.version ?? (previous ?? 0) + 1
      const data = JSON.stringify(record)
      const now = this.nowIso()
      const ownSchool = 'schoolId' in record ? (record as { schoolId: string }).schoolId : null
      this.db
        .prepare(
          `INSERT INTO records (entity, id, school_id, version, deleted, data, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)
           ON CONFLICT (entity, id) DO UPDATE SET school_id = excluded.school_id, version = excluded.version, deleted = 0, data = excluded.data, updated_at = excluded.updated_at`,
        )
        .run(entity, id, ownSchool, version, data, now)
      this.index(entity, record)
      const schools = options.schools ?? (ownSchool ? [ownSchool] : this.guardianSchools(id))
      const seqs = new Map<string, number>()
      for (const schoolId of schools) seqs.set(schoolId, this.append(schoolId, entity, id, 'upsert', version, data, now))
      return { version, seqs }
    })
  }

  private append(schoolId: string, entity: Entity, id: string, op: 'upsert' | 'delete', version: number, data: string | null, at: string): number {
    const seq = this.sql('UPDATE schools SET head_seq = head_seq + 1 WHERE id = ? RETURNING head_seq').pluck().get(schoolId) as number | undefined
    if (seq === undefined) throw new Error(`no school ${schoolId}`)
    this.sql('INSERT INTO changes (school_id, seq, entity, entity_id, op, version, data, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(schoolId, seq, entity, id, op, version, data, at)
    return seq
  }

  /** The index rows the rules read; money rows are written once and never changed. */
  private index(entity: Entity, record: unknown): void {
    switch (entity) {
      case 'student': {
        const s = record as EntityRecord<'student'>
        this.sql('DELETE FROM guardian_links WHERE student_id = ?').run(s.id)
        const link = this.sql('INSERT INTO guardian_links (guardian_id, student_id, school_id) VALUES (?, ?, ?)')
        for (const g of s.guardians) link.run(g.guardianId, s.id, s.schoolId)
        break
      }
      case 'order': {
        const o = record as EntityRecord<'order'>
        const line = this.sql(
          `INSERT INTO lines (id, order_id, school_id, guardian_id, student_id, offering_id, variant_id, program_date_id, quantity, amount_cents, channel, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        for (const l of o.lines) line.run(l.id, o.id, o.schoolId, o.guardianId, l.studentId, l.offeringId, l.variantId, l.programDateId, l.quantity, l.amountCents, o.channel, o.createdAt)
        break
      }
      case 'payment': {
        const p = record as EntityRecord<'payment'>
        this.sql('INSERT INTO payments (id, order_id, school_id, amount_cents, credit_cents, receipt_series, receipt_number, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
          p.id,
          p.orderId,
          p.schoolId,
          p.amountCents,
          p.creditCents,
          p.receiptSeries,
          p.receiptNumber,
          p.createdAt,
        )
        break
      }
      case 'refund': {
        const r = record as EntityRecord<'refund'>
        this.db
          .prepare(
            `INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, status, tender) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET status = excluded.status`,
          )
          .run(r.id, r.paymentId, r.orderLineId, r.amountCents, r.status, r.tender ?? 'card') // stored before tenders: none
        break
      }
      case 'consent': {
        const c = record as EntityRecord<'consent'>
        this.sql('INSERT INTO consents (id, offering_id, student_id, guardian_id, decision, channel, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(c.id, c.offeringId, c.studentId, c.guardianId, c.decision, c.channel, c.recordedAt)
        break
      }
      case 'waiver': {
        const w = record as EntityRecord<'waiver'>
        this.sql('INSERT INTO waivers (id, offering_id, student_id, amount_cents) VALUES (?, ?, ?, ?)').run(w.id, w.offeringId, w.studentId, w.amountCents)
        break
      }
      case 'credit': {
        const c = record as EntityRecord<'credit'>
        this.sql('INSERT INTO credits (id, school_id, guardian_id, kind, amount_cents, refund_id, order_id) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
          c.id,
          c.schoolId,
          c.guardianId,
          c.kind,
          c.amountCents,
          c.refundId,
          c.orderId,
        )
        break
      }
      default:
        break
    }
  }

  /** Schools where a guardian has a child: the feeds their record goes in. */
  guardianSchools(guardianId: string): string[] {
    return this.sql('SELECT DISTINCT school_id FROM guardian_links WHERE guardian_id = ? ORDER BY school_id').pluck().all(guardianId) as string[]
  }

  /**
   * One page of a school's feed, already serialised: the stored JSON of each record is spliced
   * in as it is (no parse and stringify of 300,000 records on a first sync).
   */
  /**
   * A page of the feed. Opt-in entities the client did not ask for (`withEntities`) are left out of
   * the page but not out of its cursor: lastSeq is the last change read, served or not.
   */
  pageJson(schoolId: string, after: number, limit: number, withEntities: readonly string[] = OPT_IN_ENTITIES): { json: string; lastSeq: number; count: number } {
    const rows = this.db
      .prepare('SELECT seq, entity, entity_id, op, version, data FROM changes WHERE school_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(schoolId, after, limit + 1) as Array<{ seq: number; entity: string; entity_id: string; op: string; version: number; data: string | null }>
    const hasMore = rows.length > limit
    if (hasMore) rows.pop()
    const lastSeq = rows.length ? rows[rows.length - 1]!.seq : after
    const left = new Set<string>(OPT_IN_ENTITIES.filter((e) => !withEntities.includes(e)))
    const parts = rows.filter((r) => !left.has(r.entity)).map(
      (r) => `{"seq":${r.seq},"entity":${JSON.stringify(r.entity)},"id":${JSON.stringify(r.entity_id)},"op":"${r.op}","version":${r.version},"data":${r.data ?? 'null'}}`,
    )
    const json = `{"changes":[${parts.join(',')}],"lastSeq":${lastSeq},"hasMore":${hasMore},"headSeq":${this.headSeq(schoolId)}}`
    return { json, lastSeq, count: parts.length }
  }

  page(schoolId: string, after: number, limit: number): ChangesPage {
    return JSON.parse(this.pageJson(schoolId, after, limit).json) as ChangesPage
  }

  /** The whole feed of a school (tests, the simulator's determinism check). */
  feed(schoolId: string, after = 0): Array<{ seq: number; entity: Entity; id: string; op: string; version: number; data: string | null }> {
    return this.sql('SELECT seq, entity, entity_id AS id, op, version, data FROM changes WHERE school_id = ? AND seq > ? ORDER BY seq').all(schoolId, after) as Array<{
      seq: number
      entity: Entity
      id: string
      op: string
      version: number
      data: string | null
    }>
  }

  // ---- what the rules read -------------------------------------------------------------------

  /** Students of a school linked to a guardian. */
  childrenOf(guardianId: string, schoolId: string): Array<EntityRecord<'student'>> {
    const ids = this.sql('SELECT student_id FROM guardian_links WHERE guardian_id = ? AND school_id = ? ORDER BY student_id').pluck().all(guardianId, schoolId) as string[]
    return ids.map((id) => this.record('student', id)).filter((s): s is EntityRecord<'student'> & { version: number } => s !== undefined)
  }

  guardiansOfStudents(studentIds: readonly string[]): string[] {
    const out = new Set<string>()
    const q = this.sql('SELECT guardian_id FROM guardian_links WHERE student_id = ? ORDER BY guardian_id').pluck()
    for (const id of studentIds) for (const g of q.all(id) as string[]) out.add(g)
    return [...out].sort()
  }

  /** Guardians with at least one child in the school, ordered by id. */
  guardianIdsOfSchool(schoolId: string): string[] {
    return this.sql('SELECT DISTINCT guardian_id FROM guardian_links WHERE school_id = ? ORDER BY guardian_id').pluck().all(schoolId) as string[]
  }

  /** Active students an item reaches (its targets: school, grades, classes, named students). */
  eligibleStudents(offering: EntityRecord<'offering'>): Array<EntityRecord<'student'>> {
    return this.records('student', offering.schoolId).filter((s) => s.status === 'active' && isTargeted(offering, s))
  }

  soldQuantity(offeringId: string): number {
    return this.sql('SELECT coalesce(sum(quantity), 0) FROM lines WHERE offering_id = ?').pluck().get(offeringId) as number
  }

  studentQuantity(offeringId: string, studentId: string): number {
    return this.sql('SELECT coalesce(sum(quantity), 0) FROM lines WHERE offering_id = ? AND student_id = ?').pluck().get(offeringId, studentId) as number
  }

  /** Program dates (ids) a student already has a line for. */
  datesBought(offeringId: string, studentId: string): Set<string> {
    const rows = this.sql('SELECT program_date_id FROM lines WHERE offering_id = ? AND student_id = ? AND program_date_id IS NOT NULL').pluck().all(offeringId, studentId) as string[]
    return new Set(rows)
  }

  /** Students of a family that have a line on the item (a family fee is paid once). */
  familyHasLine(offeringId: string, studentIds: readonly string[]): boolean {
    const q = this.sql('SELECT 1 FROM lines WHERE offering_id = ? AND student_id = ? LIMIT 1').pluck()
    return studentIds.some((id) => q.get(offeringId, id) !== undefined)
  }

  waivedCents(offeringId: string, studentId: string): number {
    return this.sql('SELECT coalesce(sum(amount_cents), 0) FROM waivers WHERE offering_id = ? AND student_id = ?').pluck().get(offeringId, studentId) as number
  }

  /** The student's current answer on an item: the latest consent (by recordedAt, then arrival). */
  currentConsent(offeringId: string, studentId: string): { id: string; decision: string; recordedAt: string } | undefined {
    return this.db
      .prepare('SELECT id, decision, recorded_at AS recordedAt FROM consents WHERE offering_id = ? AND student_id = ? ORDER BY recorded_at DESC, rowid DESC LIMIT 1')
      .get(offeringId, studentId) as { id: string; decision: string; recordedAt: string } | undefined
  }

  /** The board's own series: an office's kiosk numbers its sales in its series ('office'). */
  nextReceiptNumber(schoolId: string): number {
    return ((this.sql("SELECT max(receipt_number) FROM payments WHERE school_id = ? AND receipt_series = 'board'").pluck().get(schoolId) as number | null) ?? 0) + 1
  }

  /**
   * What is paid on a payment and already refunded (pending or succeeded), in total, by tender
   * (the card's part is amountCents − creditCents) and for one line.
   */
  refundFacts(paymentId: string, lineId: string | null):
    | { paidCents: number; creditCents: number; refundedCents: number; refundedByTender: Record<RefundTender, number>; lineCents: number | null; lineRefundedCents: number; orderId: string }
    | undefined {
    const p = this.sql('SELECT order_id, amount_cents, credit_cents FROM payments WHERE id = ?').get(paymentId) as { order_id: string; amount_cents: number; credit_cents: number } | undefined
    if (!p) return undefined
    const byTender = this.sql("SELECT tender, sum(amount_cents) AS cents FROM refunds WHERE payment_id = ? AND status <> 'failed' GROUP BY tender").all(paymentId) as Array<{ tender: RefundTender; cents: number }>
    const refundedByTender: Record<RefundTender, number> = { card: 0, credit: 0 }
    for (const row of byTender) refundedByTender[row.tender] = row.cents
    const refunded = refundedByTender.card + refundedByTender.credit
    let lineCents: number | null = null
    let lineRefunded = 0
    if (lineId) {
      lineCents = (this.sql('SELECT amount_cents FROM lines WHERE id = ? AND order_id = ?').pluck().get(lineId, p.order_id) as number | undefined) ?? null
      lineRefunded = this.sql("SELECT coalesce(sum(amount_cents), 0) FROM refunds WHERE order_line_id = ? AND status <> 'failed'").pluck().get(lineId) as number
    }
    return { paidCents: p.amount_cents, creditCents: p.credit_cents, refundedCents: refunded, refundedByTender, lineCents, lineRefundedCents: lineRefunded, orderId: p.order_id }
  }

  /** A guardian's credit at a school: what was granted less what was used. */
  creditBalance(schoolId: string, guardianId: string): number {
    return this.sql("SELECT coalesce(sum(CASE kind WHEN 'granted' THEN amount_cents ELSE -amount_cents END), 0) FROM credits WHERE school_id = ? AND guardian_id = ?").pluck().get(schoolId, guardianId) as number
  }

  /** The credit already granted for a refund (one at most), and what credits have paid of an order. */
  creditFacts(refundId: string | null, orderId: string | null): { grantedFor: string | null; usedOnOrderCents: number } {
    const grantedFor = refundId === null ? null : ((this.sql("SELECT id FROM credits WHERE refund_id = ? AND kind = 'granted' LIMIT 1").pluck().get(refundId) as string | undefined) ?? null)
    const usedOnOrderCents = orderId === null ? 0 : (this.sql("SELECT coalesce(sum(amount_cents), 0) FROM credits WHERE order_id = ? AND kind = 'used'").pluck().get(orderId) as number)
    return { grantedFor, usedOnOrderCents }
  }

  // ---- emails: recorded, never sent ----------------------------------------------------------

  /**
   * Records an email the board would send a guardian, and its notification in the school's
   * feed. A guardian without an address, or whose address bounced before, gets none.
   */
  recordEmail(input: {
    id: string
    schoolId: string
    guardianId: string
    kind: EmailRow['kind']
    offeringId?: string | null
    paymentId?: string | null
    consentId?: string | null
    requestId?: string | null
    bounce?: boolean
  }): EmailRow | undefined {
    return this.transaction(() => {
      const guardian = this.record('guardian', input.guardianId)
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
        createdAt: this.nowIso(),
      }
      this.db
        .prepare(
          `INSERT INTO emails (id, school_id, guardian_id, to_address, language, kind, offering_id, payment_id, consent_id, request_id, status, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(row.id, row.schoolId, row.guardianId, row.to, row.language, row.kind, row.offeringId, row.paymentId, row.consentId, row.requestId, row.status, row.createdAt)
      this.put('notification', row)
      if (status === 'bounced') {
        const { version: _v, ...rest } = guardian
        this.put('guardian', { ...rest, emailBouncedAt: row.createdAt })
      }
      return row
    })
  }

  emails(schoolId?: string): EmailRow[] {
    const sql = `SELECT id, school_id AS schoolId, guardian_id AS guardianId, to_address AS "to", language, kind, offering_id AS offeringId,
      payment_id AS paymentId, consent_id AS consentId, request_id AS requestId, status, created_at AS createdAt FROM emails`
    return (schoolId ? this.sql(`${sql} WHERE school_id = ? ORDER BY rowid`).all(schoolId) : this.sql(`${sql} ORDER BY rowid`).all()) as EmailRow[]
  }

  // ---- devices -------------------------------------------------------------------------------

  /** An enrolment code for the given schools (all of them by default), single use. */
  createEnrollmentCode(options: { schoolIds?: string[]; ttlMs?: number } = {}): { code: string; schoolIds: string[]; expiresAt: string | null } {
    const schoolIds = options.schoolIds ?? this.schools().map((s) => s.id)
    for (const id of schoolIds) if (!this.school(id)) throw new Error(`no school ${id}`)
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
    const bytes = randomBytes(8)
    const chars = [...bytes].map((b) => alphabet[b % alphabet.length]!)
    const code = `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`
    const expiresAt = options.ttlMs === undefined ? null : new Date(this.clock.now() + options.ttlMs).toISOString()
    this.sql('INSERT INTO enrollment_codes (code, school_ids, created_at, expires_at) VALUES (?, ?, ?, ?)').run(code, JSON.stringify(schoolIds), this.nowIso(), expiresAt)
    return { code, schoolIds, expiresAt }
  }

  /** Exchanges a code (once) for a device and its token; undefined when the code is unknown, used or expired. */
  enroll(code: string, deviceName: string): { device: Device; token: string } | undefined {
    return this.transaction(() => {
      const row = this.sql('SELECT school_ids, expires_at, used_at FROM enrollment_codes WHERE code = ?').get(code.trim().toUpperCase()) as
        | { school_ids: string; expires_at: string | null; used_at: string | null }
        | undefined
      if (!row || row.used_at !== null || (row.expires_at !== null && row.expires_at <= this.nowIso())) return undefined
      const id = `dev_${randomBytes(8).toString('hex')}`
      const token = `cen_${randomBytes(32).toString('base64url')}`
      const schoolIds = JSON.parse(row.school_ids) as string[]
      this.sql('INSERT INTO devices (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)').run(id, deviceName, hashToken(token), this.nowIso())
      for (const s of schoolIds) this.sql('INSERT INTO device_schools (device_id, school_id) VALUES (?, ?)').run(id, s)
      this.sql('UPDATE enrollment_codes SET used_at = ?, device_id = ? WHERE code = ?').run(this.nowIso(), id, code.trim().toUpperCase())
      return { device: { id, name: deviceName, schoolIds }, token }
    })
  }

  /** The device a token belongs to, unless it was revoked. */
  authenticate(token: string): Device | undefined {
    const row = this.sql('SELECT id, name FROM devices WHERE token_hash = ? AND revoked_at IS NULL').get(hashToken(token)) as { id: string; name: string } | undefined
    if (!row) return undefined
    const schoolIds = this.sql('SELECT school_id FROM device_schools WHERE device_id = ? ORDER BY school_id').pluck().all(row.id) as string[]
    return { id: row.id, name: row.name, schoolIds }
  }

  revokeDevice(deviceId: string): boolean {
    return this.sql('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(this.nowIso(), deviceId).changes > 0
  }

  // ---- the mutation log ----------------------------------------------------------------------

  recordedResult(mutationId: string): string | undefined {
    return this.sql('SELECT result FROM mutations WHERE id = ?').pluck().get(mutationId) as string | undefined
  }

  recordResult(input: { id: string; deviceId: string; schoolId: string; type: string; entityId: string; status: string; result: string }): void {
    this.db
      .prepare('INSERT INTO mutations (id, device_id, school_id, type, entity_id, status, result, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(input.id, input.deviceId, input.schoolId, input.type, input.entityId, input.status, input.result, this.nowIso())
  }

  mutationCount(): number {
    return this.sql('SELECT count(*) FROM mutations').pluck().get() as number
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
