import { performance } from 'node:perf_hooks'
import { base, Faker, fr, fr_CA } from '@faker-js/faker'
import type BetterSqlite3 from 'better-sqlite3'
import { searchKey } from '../domain/search-key'
import { gradeRank } from '../domain/grades'
import { hashPasswordSync } from '../services/passwords'
import { buildActivity, buildRefunds, finalizeOrders, PARTICIPATION_DEMO, PARTICIPATION_FULL_YEAR } from './activity'
import { addDays, DAY_MS, iso, localDate, localToUtc, schoolYearOf } from './calendar'
import { buildCatalogue, type OfferingPlan } from './catalogue'
import { fakerRng, fastRng, IdMaker } from './random'
import { buildRoster } from './roster'

export interface DemoOptions {
  /** The board's "today": everything before it has happened, nothing after it has. */
  anchor: Date
  /** Same seed and anchor, same board (rows and ids). Default 2026. */
  seed?: number
  /** Students at Saint-Guillaume and at Sainte-Marie. Default [230, 170]. */
  studentsPerSchool?: [number, number]
  /**
   * Treat the anchor as the last day of its school year, with the whole year's activity and
   * higher participation (benchmarks). Default false: a catalogue under way.
   */
  fullYear?: boolean
  /** scrypt cost of the staff passwords; the real cost by default. Tests pass a cheap one. */
  passwordParams?: { N: number; r: number; p: number }
}

export interface DemoSummary {
  schools: number
  students: number
  guardians: number
  offerings: number
  orderLines: number
  payments: number
  consents: number
  ms: number
}

/** The demo's staff sign-ins, for the README and the tests. */
export const DEMO_SIGN_INS = [
  { username: 'secretaire', password: 'guichet', role: 'secretary', displayName: 'Sophie Lavoie' },
  { username: 'direction', password: 'guichet', role: 'principal', displayName: 'Marc Gagnon' },
  { username: 'admin', password: 'guichet', role: 'admin', displayName: 'Admin Guichet' },
] as const

export const DEMO_DEFAULT_SEED = 2026
const ASSISTANCE_BUDGET_CENTS = 150_000

/**
 * Generates a believable board of two elementary schools in a freshly migrated, empty
 * database: calendar, classes, families, staff, catalogue, and the year's activity up to the
 * anchor (orders, payments, consents, waivers, refunds). One transaction; deterministic for a
 * given seed and anchor (except the staff's password salts).
 */
export function seedDemoBoard(db: BetterSqlite3.Database, options: DemoOptions): DemoSummary {
  const started = performance.now()
  const existing = db.prepare('SELECT count(*) AS n FROM schools').get() as { n: number }
  if (existing.n > 0) throw new Error('The demo board is generated only in an empty database: this one already has schools.')
  const givenMs = options.anchor.getTime()
  if (!Number.isFinite(givenMs)) throw new Error('The demo anchor is not a valid date.')

  const seed = options.seed ?? DEMO_DEFAULT_SEED
  const studentsPerSchool = options.studentsPerSchool ?? [230, 170]
  if (studentsPerSchool.some((n) => !Number.isInteger(n) || n < 0)) throw new Error('studentsPerSchool takes two whole numbers, 0 or more.')
  const fullYear = options.fullYear ?? false
  const year = schoolYearOf(localDate(givenMs))
  const anchorMs = fullYear ? localToUtc(year.endsOn, 16, 0) : givenMs
  let openMs = localToUtc(addDays(year.startsOn, -8), 9, 0)
  if (openMs > anchorMs - 2 * DAY_MS) openMs = anchorMs - 2 * DAY_MS
  const rosterMs = openMs - 6 * DAY_MS

  const faker = new Faker({ locale: [fr_CA, fr, base] })
  faker.seed(seed)
  const rosterRng = fakerRng(faker)
  const ids = new IdMaker(fastRng(seed ^ 0x5eed1d5))
  const rng = fastRng((Math.imul(seed, 2_654_435_761) ^ 0x2a2a2a) >>> 0)

  const roster = buildRoster({ rng: rosterRng, ids, year, studentsPerSchool, rosterMs, anchorMs })
  const staff = DEMO_SIGN_INS.map((s) => ({ ...s, id: ids.next(rosterMs) }))
  const secretaryId = staff[0]!.id
  const principalId = staff[1]!.id
  const catalogues = roster.schools.map((school, schoolIndex) => ({
    school,
    offerings: buildCatalogue({ rng, ids, school, schoolIndex, year, openMs, anchorMs, staffCreatedMs: rosterMs }),
  }))
  const activity = buildActivity({
    rng,
    ids,
    catalogues,
    year,
    anchorMs,
    participation: fullYear ? PARTICIPATION_FULL_YEAR : PARTICIPATION_DEMO,
    assistanceBudgetCents: ASSISTANCE_BUDGET_CENTS,
  })
  const orders = finalizeOrders(activity.orders, ids, rng)
  const refunds = buildRefunds({ rng, ids, orders, catalogues, year, anchorMs, perSchool: fullYear ? 8 : 3 })

  // scrypt at full cost, before the transaction so the write lock is held only for inserts.
  const hashes = staff.map((s) => (options.passwordParams ? hashPasswordSync(s.password, options.passwordParams) : hashPasswordSync(s.password)))

  // Foreign keys are checked once at the end (PRAGMA foreign_key_check, which aborts the
  // transaction on any orphan) rather than on each of the ~300,000 inserts of a large board,
  // and a larger page cache keeps the new indexes in memory until the commit.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number
  const cacheSize = db.pragma('cache_size', { simple: true }) as number
  db.pragma('foreign_keys = OFF')
  db.pragma('cache_size = -262144')
  let orderLines = 0
  try {
    db.transaction(() => {
      const insertSchool = db.prepare(
        `INSERT INTO schools (id, code, name, time_zone, phone, address, refund_approval_threshold_cents, assistance_budget_cents)
         VALUES (?, ?, ?, 'America/Toronto', ?, ?, 5000, ?)`,
      )
      const insertYear = db.prepare('INSERT INTO school_years (id, school_id, label, starts_on, ends_on) VALUES (?, ?, ?, ?, ?)')
      const insertDay = db.prepare('INSERT INTO calendar_days (school_id, date, kind, label_fr, label_en) VALUES (?, ?, ?, ?, ?)')
      const insertClass = db.prepare('INSERT INTO classes (id, school_id, code, name, teacher) VALUES (?, ?, ?, ?, ?)')
      for (const school of roster.schools) {
        insertSchool.run(school.id, school.code, school.name, school.phone, school.address, ASSISTANCE_BUDGET_CENTS)
        insertYear.run(ids.next(rosterMs), school.id, year.label, year.startsOn, year.endsOn)
        for (const d of year.daysOff) insertDay.run(school.id, d.date, d.kind, d.labelFr, d.labelEn)
        for (const c of school.classes) insertClass.run(c.id, school.id, c.code, c.name, c.teacher)
      }

      const insertStudent = db.prepare(
        `INSERT INTO students (id, school_id, class_id, first_name, last_name, search_key, grade, grade_rank, status, birth_date, medical_alert, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      for (const school of roster.schools) {
        for (const s of school.students) {
          insertStudent.run(
            s.id,
            school.id,
            s.classId,
            s.firstName,
            s.lastName,
            searchKey(s.firstName, s.lastName),
            s.grade,
            gradeRank(s.grade),
            s.withdrawnMs === null ? 'active' : 'withdrawn',
            s.birthDate,
            s.medicalAlert,
            iso(s.updatedMs),
          )
        }
      }
      const insertGuardian = db.prepare(
        `INSERT INTO guardians (id, first_name, last_name, search_key, email, phone, phone_alt, preferred_language, email_bounced_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      for (const g of roster.guardians) {
        insertGuardian.run(
          g.id,
          g.firstName,
          g.lastName,
          searchKey(g.firstName, g.lastName),
          g.email,
          g.phone,
          g.phoneAlt,
          g.language,
          g.bouncedMs === null ? null : iso(g.bouncedMs),
          iso(Math.max(g.updatedMs, g.bouncedMs ?? 0)),
        )
      }
      const insertLink = db.prepare('INSERT INTO student_guardians (student_id, guardian_id, relationship, is_primary, emergency_contact) VALUES (?, ?, ?, ?, ?)')
      for (const f of roster.families) {
        for (const l of f.links) insertLink.run(l.student.id, l.guardian.id, l.relationship, l.primary ? 1 : 0, l.emergency ? 1 : 0)
      }

      const insertStaff = db.prepare(
        `INSERT INTO staff (id, username, display_name, role, password_hash, language, active, created_at) VALUES (?, ?, ?, ?, ?, 'fr', 1, ?)`,
      )
      staff.forEach((s, i) => insertStaff.run(s.id, s.username, s.displayName, s.role, hashes[i]!, iso(rosterMs)))
      // The demo's secretary and principal work for every school of the demo board (0014).
      db.prepare(`INSERT INTO staff_schools (staff_id, school_id) SELECT staff.id, schools.id FROM staff CROSS JOIN schools WHERE staff.role IN ('secretary', 'principal')`).run()
      db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(
        'demo.board',
        JSON.stringify({ seed, anchor: new Date(givenMs).toISOString(), fullYear, studentsPerSchool }),
      )

      insertCatalogue(db, catalogues.flatMap((c) => c.offerings), secretaryId)

      const insertOrder = db.prepare('INSERT INTO orders (id, school_id, guardian_id, channel, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)')
      const insertLine = db.prepare(
        `INSERT INTO order_lines (id, order_id, student_id, offering_id, variant_id, program_date_id, quantity, unit_price_cents, amount_cents)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      const insertPayment = db.prepare(
        `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_number, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      for (const o of orders) {
        const kiosk = o.channel === 'kiosk'
        insertOrder.run(o.id, o.school.id, o.guardian.id, o.channel, iso(o.ms), kiosk ? secretaryId : null)
        let total = 0
        for (const l of o.lines) {
          const amount = l.quantity * l.unitCents
          total += amount
          insertLine.run(l.id, o.id, l.student.id, l.offering.id, l.variant?.id ?? null, l.date?.id ?? null, l.quantity, l.unitCents, amount)
        }
        orderLines += o.lines.length
        const p = o.payment
        insertPayment.run(p.id, o.school.id, o.id, kiosk ? 'demo' : 'board', p.processorRef, p.card.brand, p.card.last4, total, o.channel, p.receipt, iso(p.ms))
      }

      const insertRefund = db.prepare(
        `INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, reason, status, idempotency_key, processor_ref, requested_by, requested_at, settled_at)
         VALUES (?, ?, ?, ?, ?, 'succeeded', ?, ?, ?, ?, ?)`,
      )
      for (const r of refunds) {
        insertRefund.run(r.id, r.order.payment.id, r.line.id, r.amountCents, r.reason, r.idempotencyKey, r.processorRef, secretaryId, iso(r.requestedMs), iso(r.settledMs))
      }
      const insertWaiver = db.prepare('INSERT INTO waivers (id, student_id, offering_id, amount_cents, reason, approved_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      for (const w of activity.waivers) insertWaiver.run(w.id, w.student.id, w.offering.id, w.amountCents, w.reason, principalId, iso(w.ms))
      const insertConsent = db.prepare(
        `INSERT INTO consents (id, offering_id, student_id, guardian_id, decision, signed_name, answers, channel, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      for (const c of activity.consents.slice().sort((a, b) => a.ms - b.ms)) {
        insertConsent.run(
          c.id,
          c.offering.id,
          c.student.id,
          c.guardian.id,
          c.decision,
          `${c.guardian.firstName} ${c.guardian.lastName}`,
          c.answers === null ? null : JSON.stringify(c.answers),
          c.channel,
          iso(c.ms),
        )
      }
      const orphans = db.pragma('foreign_key_check') as unknown[]
      if (orphans.length > 0) throw new Error(`demo board: ${orphans.length} rows point at nothing: ${JSON.stringify(orphans.slice(0, 3))}`)
    }).immediate()
  } finally {
    db.pragma(`cache_size = ${cacheSize}`)
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`)
  }

  return {
    schools: roster.schools.length,
    students: roster.schools.reduce((n, s) => n + s.students.length, 0),
    guardians: roster.guardians.length,
    offerings: catalogues.reduce((n, c) => n + c.offerings.length, 0),
    orderLines,
    payments: orders.length,
    consents: activity.consents.length,
    ms: Math.round(performance.now() - started),
  }
}

function insertCatalogue(db: BetterSqlite3.Database, offerings: OfferingPlan[], secretaryId: string): void {
  const insertOffering = db.prepare(
    `INSERT INTO offerings (id, school_id, kind, status, school_year, title_fr, title_en, description_fr, description_en, opens_at, deadline_at,
       price_cents, fee_per, required, stock_limit, per_student_limit, reminder_days_before, version, created_by, created_at, updated_at, published_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 3, 1, ?, ?, ?, ?)`,
  )
  const insertTarget = db.prepare('INSERT INTO offering_targets (offering_id, kind, value) VALUES (?, ?, ?)')
  const insertVariant = db.prepare('INSERT INTO offering_variants (id, offering_id, label_fr, label_en, price_cents, sort, active) VALUES (?, ?, ?, ?, ?, ?, 1)')
  const insertDate = db.prepare('INSERT INTO program_dates (id, offering_id, date, cutoff_at, supplier, status, cancel_reason) VALUES (?, ?, ?, ?, ?, ?, ?)')
  const insertOuting = db.prepare(
    // One adult for ten students, the board's usual ratio for a day trip.
    `INSERT INTO outings (offering_id, starts_on, ends_on, start_time, end_time, destination, venue_limit, bus_count, seats_per_bus, staff_count, chaperone_ratio)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 10)`,
  )
  const insertQuestion = db.prepare('INSERT INTO offering_questions (id, offering_id, sort, kind, label_fr, label_en, choices, required) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)')
  for (const o of offerings) {
    insertOffering.run(
      o.id,
      o.school.id,
      o.kind,
      o.status,
      o.schoolYear,
      o.titleFr,
      o.titleEn,
      o.descriptionFr,
      o.descriptionEn,
      iso(o.opensMs),
      iso(o.deadlineMs),
      o.priceCents,
      o.feePer,
      o.required ? 1 : 0,
      o.stockLimit,
      o.perStudentLimit,
      secretaryId,
      iso(o.createdMs),
      iso(Math.max(o.createdMs, o.updatedMs)),
      o.publishedMs === null ? null : iso(o.publishedMs),
    )
    if (o.grades === null) insertTarget.run(o.id, 'school', o.school.id)
    else for (const g of o.grades) insertTarget.run(o.id, 'grade', g)
    for (const v of o.variants) insertVariant.run(v.id, o.id, v.labelFr, v.labelEn, v.priceCents, v.sort)
    for (const d of o.dates) insertDate.run(d.id, o.id, d.date, iso(d.cutoffMs), d.supplier, d.cancelReason ? 'cancelled' : 'scheduled', d.cancelReason)
    if (o.outing) {
      const t = o.outing
      insertOuting.run(o.id, t.date, t.date, t.startTime, t.endTime, t.destination, t.venueLimit, t.busCount, t.seatsPerBus, t.staffCount)
    }
    o.questions.forEach((q, i) => insertQuestion.run(q.id, o.id, i, q.kind, q.labelFr, q.labelEn, q.required ? 1 : 0))
  }
}
