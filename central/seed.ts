import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import { openDatabase, type Connection } from '../src/core/db/connection'
import { DEMO_DEFAULT_SEED, seedDemoBoard } from '../src/core/demo/seed'
import { loadDraft, offeringRow } from '../src/core/services/offerings'
import { OfferingRecord, type Entity, type EntityRecord } from '../src/shared/sync/protocol'
import type { CentralStore } from './store'

/**
 * The central store of the demo board: the same generator as Guichet's demo database
 * (src/core/demo), run into a throwaway Guichet database and copied out of it, so that a fresh
 * Guichet demo database and a fresh central store made with the same seed and anchor hold the
 * same schools, classes, students, guardians, published items and history, with the same ids.
 * Drafts stay out (they never leave the office PC); waiver reasons too (they stay at the school).
 */

export interface CentralSeedOptions {
  anchor: Date
  seed?: number
  studentsPerSchool?: [number, number]
  fullYear?: boolean
}

export interface CentralSeedSummary {
  schools: number
  students: number
  guardians: number
  offerings: number
  orders: number
  consents: number
  changes: number
  ms: number
}

/** The staff passwords of the throwaway database are never used: the cheapest scrypt will do. */
const THROWAWAY_SCRYPT = { N: 2 ** 10, r: 8, p: 1 }

export async function seedCentral(store: CentralStore, options: CentralSeedOptions): Promise<CentralSeedSummary> {
  const started = performance.now()
  if ((await store.schools()).length > 0) throw new Error('the central store is seeded only when empty')
  const connection = openDatabase({ file: ':memory:' })
  try {
    seedDemoBoard(connection.raw, {
      anchor: options.anchor,
      seed: options.seed ?? DEMO_DEFAULT_SEED,
      ...(options.studentsPerSchool ? { studentsPerSchool: options.studentsPerSchool } : {}),
      fullYear: options.fullYear ?? false,
      passwordParams: THROWAWAY_SCRYPT,
    })
    const summary = await copyBoard(connection, store)
    return { ...summary, ms: Math.round(performance.now() - started) }
  } finally {
    await connection.close()
  }
}

/** The demo options a Guichet database was generated with (its `demo.board` setting), if any. */
export function demoOptionsOf(guichetFile: string): CentralSeedOptions | undefined {
  const db = new Database(guichetFile, { readonly: true, fileMustExist: true })
  try {
    const value = db.prepare("SELECT value FROM settings WHERE key = 'demo.board'").pluck().get() as string | undefined
    if (!value) return undefined
    const v = JSON.parse(value) as { seed: number; anchor: string; fullYear: boolean; studentsPerSchool: [number, number] }
    return { seed: v.seed, anchor: new Date(v.anchor), fullYear: v.fullYear, studentsPerSchool: v.studentsPerSchool }
  } finally {
    db.close()
  }
}

type Row = Record<string, unknown>

async function copyBoard(connection: Connection, store: CentralStore): Promise<Omit<CentralSeedSummary, 'ms'>> {
  const raw = connection.raw
  const all = <T = Row>(sql: string): T[] => raw.prepare(sql).all() as T[]

  const schools = all<{ id: string; code: string; name: string; time_zone: string }>('SELECT id, code, name, time_zone FROM schools ORDER BY code')
  const classes = all<{ id: string; school_id: string; code: string; name: string; teacher: string | null }>('SELECT id, school_id, code, name, teacher FROM classes ORDER BY school_id, code')
  const links = all<{ student_id: string; guardian_id: string; relationship: EntityRecord<'student'>['guardians'][number]['relationship']; is_primary: number; emergency_contact: number; school_id: string }>(
    'SELECT l.*, s.school_id FROM student_guardians l JOIN students s ON s.id = l.student_id ORDER BY l.student_id, l.is_primary DESC, l.guardian_id',
  )
  const students = all<{
    id: string
    school_id: string
    class_id: string | null
    first_name: string
    last_name: string
    grade: EntityRecord<'student'>['grade']
    status: 'active' | 'withdrawn'
    birth_date: string | null
    medical_alert: string | null
    version: number
  }>('SELECT * FROM students ORDER BY school_id, id')
  const guardians = all<{
    id: string
    first_name: string
    last_name: string
    email: string | null
    phone: string | null
    phone_alt: string | null
    preferred_language: 'fr' | 'en'
    email_bounced_at: string | null
    version: number
  }>('SELECT * FROM guardians ORDER BY id')
  const offeringIds = all<{ id: string }>("SELECT id FROM offerings WHERE status <> 'draft' ORDER BY school_id, created_at, id").map((r) => r.id)
  const offerings: Array<EntityRecord<'offering'>> = []
  for (const id of offeringIds) {
    const row = await offeringRow(connection.db, id)
    const { status: _s, ...draft } = await loadDraft(connection.db, row)
    // Parsed with the protocol's own schema: the demo's items are what the wire carries.
    offerings.push(OfferingRecord.parse({
      id,
      schoolId: row.school_id,
      schoolYear: row.school_year,
      status: row.status,
      version: row.version,
      cancelReason: row.cancel_reason,
      publishedAt: row.published_at,
      ...draft,
      variants: draft.variants.map((v) => ({ id: v.id!, labelFr: v.labelFr, labelEn: v.labelEn, priceCents: v.priceCents ?? 0, active: v.active ?? true })),
      dates: draft.dates.map((d) => ({ id: d.id!, date: d.date, cutoffAt: d.cutoffAt!, supplier: d.supplier, status: d.status ?? 'scheduled' })),
      questions: draft.questions.map((q) => ({ ...q, id: q.id!, choices: q.choices.map((c) => ({ labelFr: c.labelFr, labelEn: c.labelEn ?? null })) })),
    }))
  }
  const orders = all<{ id: string; school_id: string; guardian_id: string; channel: 'online' | 'kiosk'; created_at: string }>('SELECT * FROM orders ORDER BY created_at, id')
  const lines = all<{ id: string; order_id: string; student_id: string; offering_id: string; variant_id: string | null; program_date_id: string | null; quantity: number; unit_price_cents: number; amount_cents: number }>(
    'SELECT * FROM order_lines ORDER BY order_id, rowid',
  )
  const payments = all<{
    id: string
    school_id: string
    order_id: string
    processor: 'stripe' | 'demo' | 'board' | 'credit'
    processor_ref: string
    card_brand: string | null
    card_last4: string | null
    amount_cents: number
    credit_cents: number
    channel: 'online' | 'kiosk'
    receipt_series: 'board' | 'office'
    receipt_number: number
    created_at: string
  }>('SELECT * FROM payments ORDER BY created_at, id')
  const refunds = all<{
    id: string
    school_id: string
    payment_id: string
    order_line_id: string | null
    amount_cents: number
    reason: string
    status: 'pending' | 'succeeded' | 'failed'
    reversed: number
    processor_ref: string | null
    failure_code: string | null
    requested_at: string
    settled_at: string | null
    tender: 'card' | 'credit'
  }>(
    // As it stands: a success the processor reversed later is failed, with the reversal's code.
    `SELECT s.id, s.payment_id, s.order_line_id, s.amount_cents, s.reason, s.status, s.reversed, s.processor_ref, s.failure_code, s.requested_at, s.settled_at, r.tender, p.school_id
     FROM refund_states s JOIN refunds r ON r.id = s.id JOIN payments p ON p.id = s.payment_id ORDER BY s.requested_at, s.id`,
  )
  // Already in the record's shape.
  const credits = all<EntityRecord<'credit'>>(
    `SELECT id, school_id AS schoolId, guardian_id AS guardianId, kind, amount_cents AS amountCents, refund_id AS refundId, order_id AS orderId, reason, created_at AS createdAt
     FROM family_credits ORDER BY created_at, id`,
  )
  const waivers = all<{ id: string; school_id: string; student_id: string; offering_id: string; amount_cents: number; created_at: string }>(
    'SELECT w.*, o.school_id FROM waivers w JOIN offerings o ON o.id = w.offering_id ORDER BY w.created_at, w.id',
  )
  const consents = all<{
    id: string
    school_id: string
    offering_id: string
    student_id: string
    guardian_id: string | null
    decision: 'granted' | 'declined' | 'withdrawn'
    signed_name: string | null
    answers: string | null
    channel: 'online' | 'kiosk' | 'office'
    recorded_at: string
    reason: string | null
  }>('SELECT c.*, o.school_id FROM consents c JOIN offerings o ON o.id = c.offering_id ORDER BY c.recorded_at, c.rowid')

  const linesByOrder = new Map<string, typeof lines>()
  for (const l of lines) linesByOrder.set(l.order_id, [...(linesByOrder.get(l.order_id) ?? []), l])
  const linksByStudent = new Map<string, typeof links>()
  const schoolsOfGuardian = new Map<string, Set<string>>()
  for (const l of links) {
    linksByStudent.set(l.student_id, [...(linksByStudent.get(l.student_id) ?? []), l])
    schoolsOfGuardian.set(l.guardian_id, (schoolsOfGuardian.get(l.guardian_id) ?? new Set()).add(l.school_id))
  }

  const changes = await store.transaction(async (tx) => {
    const entries: Parameters<CentralStore['putMany']>[0][number][] = []
    const store = { put: async (entity: Entity, record: object, options: { version?: number; schools?: string[] } = {}) => void entries.push({ entity, record, ...options }) }
    for (const s of schools) await tx.addSchool({ id: s.id, code: s.code, name: s.name, timeZone: s.time_zone })
    for (const c of classes) await store.put('class', { id: c.id, schoolId: c.school_id, code: c.code, name: c.name, teacher: c.teacher })
    // Guardians before the students that link to them.
    for (const g of guardians) {
      const record: EntityRecord<'guardian'> = {
        id: g.id,
        firstName: g.first_name,
        lastName: g.last_name,
        email: g.email,
        phone: g.phone,
        phoneAlt: g.phone_alt,
        preferredLanguage: g.preferred_language,
        emailBouncedAt: g.email_bounced_at,
      }
      await store.put('guardian', record, { version: g.version, schools: [...(schoolsOfGuardian.get(g.id) ?? [])].sort() })
    }
    for (const s of students) {
      await store.put(
        'student',
        {
          id: s.id,
          schoolId: s.school_id,
          classId: s.class_id,
          firstName: s.first_name,
          lastName: s.last_name,
          grade: s.grade,
          status: s.status,
          birthDate: s.birth_date,
          medicalAlert: s.medical_alert,
          guardians: (linksByStudent.get(s.id) ?? []).map((l) => ({ guardianId: l.guardian_id, relationship: l.relationship, primary: l.is_primary === 1, emergencyContact: l.emergency_contact === 1 })),
        },
        { version: s.version },
      )
    }
    for (const o of offerings) await store.put('offering', o, { version: o.version })

    // The history in the order it happened: an order before its payment, a payment before its refunds.
    const history: Array<{ at: string; rank: number; write: () => Promise<unknown> }> = []
    for (const o of orders) {
      const record: EntityRecord<'order'> = {
        id: o.id,
        schoolId: o.school_id,
        guardianId: o.guardian_id,
        channel: o.channel,
        createdAt: o.created_at,
        lines: (linesByOrder.get(o.id) ?? []).map((l) => ({
          id: l.id,
          studentId: l.student_id,
          offeringId: l.offering_id,
          variantId: l.variant_id,
          programDateId: l.program_date_id,
          quantity: l.quantity,
          unitPriceCents: l.unit_price_cents,
          amountCents: l.amount_cents,
        })),
      }
      history.push({ at: o.created_at, rank: 0, write: () => store.put('order', record) })
    }
    for (const p of payments) {
      const record: EntityRecord<'payment'> = {
        id: p.id,
        schoolId: p.school_id,
        orderId: p.order_id,
        processor: p.processor,
        processorRef: p.processor_ref,
        cardBrand: p.card_brand,
        last4: p.card_last4,
        amountCents: p.amount_cents,
        creditCents: p.credit_cents,
        channel: p.channel,
        receiptSeries: p.receipt_series,
        receiptNumber: p.receipt_number,
        createdAt: p.created_at,
      }
      history.push({ at: p.created_at, rank: 1, write: () => store.put('payment', record) })
    }
    for (const c of consents) {
      const record: EntityRecord<'consent'> = {
        id: c.id,
        schoolId: c.school_id,
        offeringId: c.offering_id,
        studentId: c.student_id,
        guardianId: c.guardian_id,
        decision: c.decision,
        signedName: c.signed_name,
        answers: c.answers === null ? null : (JSON.parse(c.answers) as EntityRecord<'consent'>['answers']),
        channel: c.channel,
        recordedAt: c.recorded_at,
        reason: c.reason,
      }
      history.push({ at: c.recorded_at, rank: 2, write: () => store.put('consent', record) })
    }
    for (const w of waivers) {
      const record: EntityRecord<'waiver'> = { id: w.id, schoolId: w.school_id, studentId: w.student_id, offeringId: w.offering_id, amountCents: w.amount_cents, createdAt: w.created_at }
      history.push({ at: w.created_at, rank: 3, write: () => store.put('waiver', record) })
    }
    for (const r of refunds) {
      const record: EntityRecord<'refund'> = {
        id: r.id,
        schoolId: r.school_id,
        paymentId: r.payment_id,
        orderLineId: r.order_line_id,
        amountCents: r.amount_cents,
        reason: r.reason,
        status: r.status,
        reversed: r.reversed === 1,
        processorRef: r.processor_ref,
        failureCode: r.failure_code,
        requestedAt: r.requested_at,
        settledAt: r.settled_at,
        tender: r.tender,
      }
      history.push({ at: r.requested_at, rank: 4, write: () => store.put('refund', record) })
    }
    // A credit after the refund it settles and the order it pays (the board's own rule).
    for (const c of credits) history.push({ at: c.createdAt, rank: 5, write: () => store.put('credit', c) })
    history.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.rank - b.rank))
    for (const h of history) await h.write()
    await tx.putMany(entries)
    let n = 0
    for (const s of schools) n += await tx.headSeq(s.id)
    return n
  })

  return {
    schools: schools.length,
    students: students.length,
    guardians: guardians.length,
    offerings: offerings.length,
    orders: orders.length,
    consents: consents.length,
    changes,
  }
}
