import type BetterSqlite3 from 'better-sqlite3'
import type { Change, ChangesPage, EntityRecord } from '../../../shared/sync/protocol'
import { gradeRank } from '../../domain/grades'
import { searchKey } from '../../domain/search-key'

/**
 * Applies one page of a school's change feed and stores its cursor, in ONE SQLite transaction
 * (SYNC.md): a crash replays a page at worst, and applying a page twice changes nothing.
 *
 * - Versioned records (students, guardians, items) are written when the incoming version is
 *   higher than ours; classes (no version) are replaced.
 * - Money and consents are append-only: inserted by id or ignored; a refund moves from pending
 *   to settled once, and a reversal is an event. A family credit entry the local rules refuse is
 *   left out, the rest of the page applied (applyCredit).
 * - An item with mutations of ours still waiting (pending, or a conflict staff have not settled)
 *   is not overwritten: ours go first, and the feed brings the result back.
 * - Roster changes that matter to the office (a withdrawal with money at stake, a bounce, a class
 *   change after the lists) raise roster alerts through the triggers of migration 0012, in this
 *   same transaction.
 *
 * Synchronous, on the raw connection: the caller holds Kysely's connection (its mutex) around it.
 */

export interface ApplyStats {
  applied: number
  skipped: number
}

type Stmt = BetterSqlite3.Statement

class Statements {
  readonly s: Record<string, Stmt> = {}
  constructor(private readonly raw: BetterSqlite3.Database) {}
  get(sql: string): Stmt {
    return (this.s[sql] ??= this.raw.prepare(sql))
  }
  /** Runs `fn` in a savepoint: when it throws, only its own writes are undone. */
  savepoint<T>(fn: () => T): T {
    return this.raw.transaction(fn)()
  }
}

const cache = new WeakMap<BetterSqlite3.Database, Statements>()

function statements(raw: BetterSqlite3.Database): Statements {
  let s = cache.get(raw)
  if (!s) cache.set(raw, (s = new Statements(raw)))
  return s
}

export class ReceiptCollisionError extends Error {
  constructor(readonly paymentId: string, readonly receiptNumber: number) {
    super(`board receipt number ${receiptNumber} of payment ${paymentId} is already used at this school`)
    this.name = 'ReceiptCollisionError'
  }
}

export function applyPage(raw: BetterSqlite3.Database, schoolId: string, page: ChangesPage, now: string): ApplyStats {
  const st = statements(raw)
  const stats: ApplyStats = { applied: 0, skipped: 0 }
  raw
    .transaction(() => {
      for (const change of page.changes) {
        if (applyChange(st, change, now)) stats.applied++
        else stats.skipped++
      }
      st.get(
        `INSERT INTO sync_state (school_id, last_seq, last_pull_at, last_error) VALUES (?, ?, ?, NULL)
         ON CONFLICT (school_id) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), last_pull_at = excluded.last_pull_at, last_error = NULL`,
      ).run(schoolId, page.lastSeq, now)
    })
    .immediate()
  return stats
}

/** True when the change wrote something. */
export function applyChange(st: Statements, change: Change, now: string): boolean {
  if (change.op === 'delete' || change.data === null) return false // v1 servers send no deletes
  switch (change.entity) {
    case 'class':
      return applyClass(st, change.data)
    case 'guardian':
      return applyGuardian(st, change.data, change.version, now)
    case 'student':
      return applyStudent(st, change.data, change.version, now)
    case 'offering':
      return applyOffering(st, change.data, change.version, now, false)
    case 'order':
      return applyOrder(st, change.data)
    case 'payment':
      return applyPayment(st, change.data)
    case 'refund':
      return applyRefund(st, change.data, now)
    case 'consent':
      return applyConsent(st, change.data)
    case 'waiver':
      return applyWaiver(st, change.data)
    case 'credit':
      return applyCredit(st, change.data, now)
    case 'enrollment':
    case 'notification':
      // Not kept at the office in v1: the homeroom travels with the student, and the board's
      // emails show through the guardian's bounce.
      return false
  }
}

const bool = (b: boolean) => (b ? 1 : 0)

function applyClass(st: Statements, c: EntityRecord<'class'>): boolean {
  return (
    st
      .get(
        `INSERT INTO classes (id, school_id, code, name, teacher) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, teacher = excluded.teacher
         WHERE code IS NOT excluded.code OR name IS NOT excluded.name OR teacher IS NOT excluded.teacher`,
      )
      .run(c.id, c.schoolId, c.code, c.name, c.teacher).changes > 0
  )
}

function applyGuardian(st: Statements, g: EntityRecord<'guardian'>, version: number, now: string): boolean {
  return (
    st
      .get(
        `INSERT INTO guardians (id, first_name, last_name, search_key, email, phone, phone_alt, preferred_language, email_bounced_at, version, updated_at)
         VALUES (@id, @first, @last, @key, @email, @phone, @alt, @lang, @bounced, @version, @now)
         ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name, search_key = excluded.search_key,
           email = excluded.email, phone = excluded.phone, phone_alt = excluded.phone_alt, preferred_language = excluded.preferred_language,
           email_bounced_at = excluded.email_bounced_at, version = excluded.version, updated_at = excluded.updated_at
         WHERE excluded.version > guardians.version`,
      )
      .run({
        id: g.id,
        first: g.firstName,
        last: g.lastName,
        key: searchKey(g.firstName, g.lastName),
        email: g.email,
        phone: g.phone,
        alt: g.phoneAlt,
        lang: g.preferredLanguage,
        bounced: g.emailBouncedAt,
        version,
        now,
      }).changes > 0
  )
}

function applyStudent(st: Statements, s: EntityRecord<'student'>, version: number, now: string): boolean {
  const changed =
    st
      .get(
        `INSERT INTO students (id, school_id, class_id, first_name, last_name, search_key, grade, grade_rank, status, birth_date, medical_alert, version, updated_at)
         VALUES (@id, @school, @class, @first, @last, @key, @grade, @rank, @status, @birth, @medical, @version, @now)
         ON CONFLICT (id) DO UPDATE SET school_id = excluded.school_id, class_id = excluded.class_id, first_name = excluded.first_name,
           last_name = excluded.last_name, search_key = excluded.search_key, grade = excluded.grade, grade_rank = excluded.grade_rank,
           status = excluded.status, birth_date = excluded.birth_date, medical_alert = excluded.medical_alert, version = excluded.version,
           updated_at = excluded.updated_at
         WHERE excluded.version > students.version`,
      )
      .run({
        id: s.id,
        school: s.schoolId,
        class: s.classId,
        first: s.firstName,
        last: s.lastName,
        key: searchKey(s.firstName, s.lastName),
        grade: s.grade,
        rank: gradeRank(s.grade),
        status: s.status,
        birth: s.birthDate,
        medical: s.medicalAlert,
        version,
        now,
      }).changes > 0
  if (!changed) return false
  st.get('DELETE FROM student_guardians WHERE student_id = ?').run(s.id)
  const link = st.get(
    `INSERT INTO student_guardians (student_id, guardian_id, relationship, is_primary, emergency_contact)
     SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM guardians WHERE id = ?)`,
  )
  for (const l of s.guardians) link.run(s.id, l.guardianId, l.relationship, bool(l.primary), bool(l.emergencyContact), l.guardianId)
  return true
}

/** Our mutations about this entity still waiting: pending, or a conflict/rejection staff have not settled. */
export function hasOwnWaiting(st: Statements, entityId: string): boolean {
  return (
    st
      .get(
        `SELECT 1 FROM outbox WHERE entity_id = ? AND (state = 'pending' OR (state IN ('conflict', 'rejected') AND resolution IS NULL)) LIMIT 1`,
      )
      .get(entityId) !== undefined
  )
}

/** An item from the board; `force` writes it whatever its version and our waiting mutations (staff took theirs). */
export function applyOffering(st: Statements, o: EntityRecord<'offering'>, version: number, now: string, force: boolean): boolean {
  if (!force) {
    const local = st.get('SELECT version FROM offerings WHERE id = ?').get(o.id) as { version: number } | undefined
    if (local && local.version >= version) return false
    if (hasOwnWaiting(st, o.id)) return false
  }
  st.get(
    `INSERT INTO offerings (id, school_id, kind, status, school_year, title_fr, title_en, description_fr, description_en, opens_at, deadline_at,
       price_cents, fee_per, required, stock_limit, per_student_limit, reminder_days_before, cancel_reason, version, created_at, updated_at, published_at)
     VALUES (@id, @school, @kind, @status, @year, @titleFr, @titleEn, @descFr, @descEn, @opens, @deadline, @price, @feePer, @required, @stock,
       @perStudent, @reminder, @cancelReason, @version, @now, @now, @publishedAt)
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, status = excluded.status, school_year = excluded.school_year, title_fr = excluded.title_fr,
       title_en = excluded.title_en, description_fr = excluded.description_fr, description_en = excluded.description_en, opens_at = excluded.opens_at,
       deadline_at = excluded.deadline_at, price_cents = excluded.price_cents, fee_per = excluded.fee_per, required = excluded.required,
       stock_limit = excluded.stock_limit, per_student_limit = excluded.per_student_limit, reminder_days_before = excluded.reminder_days_before,
       cancel_reason = excluded.cancel_reason, version = excluded.version, updated_at = excluded.updated_at, published_at = excluded.published_at`,
  ).run({
    id: o.id,
    school: o.schoolId,
    kind: o.kind,
    status: o.status,
    year: o.schoolYear,
    titleFr: o.titleFr,
    titleEn: o.titleEn,
    descFr: o.descriptionFr,
    descEn: o.descriptionEn,
    opens: o.opensAt,
    deadline: o.deadlineAt,
    price: o.priceCents,
    feePer: o.feePer,
    required: bool(o.required),
    stock: o.stockLimit,
    perStudent: o.perStudentLimit,
    reminder: o.reminderDaysBefore,
    cancelReason: o.cancelReason ?? (o.status === 'cancelled' ? '—' : null),
    version,
    now,
    publishedAt: o.publishedAt,
  })
  st.get('DELETE FROM offering_targets WHERE offering_id = ?').run(o.id)
  const target = st.get('INSERT OR IGNORE INTO offering_targets (offering_id, kind, value) VALUES (?, ?, ?)')
  for (const t of o.targets) target.run(o.id, t.kind, t.value)

  const variant = st.get(
    `INSERT INTO offering_variants (id, offering_id, label_fr, label_en, price_cents, sort, active) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET label_fr = excluded.label_fr, label_en = excluded.label_en, price_cents = excluded.price_cents, sort = excluded.sort, active = excluded.active`,
  )
  o.variants.forEach((v, sort) => variant.run(v.id, o.id, v.labelFr, v.labelEn, v.priceCents, sort, bool(v.active)))
  // A variant the board no longer lists: gone if never bought, else kept inactive.
  const keepVariants = JSON.stringify(o.variants.map((v) => v.id))
  st.get(
    `UPDATE offering_variants SET active = 0 WHERE offering_id = ? AND id NOT IN (SELECT value FROM json_each(?)) AND EXISTS (SELECT 1 FROM order_lines WHERE variant_id = offering_variants.id)`,
  ).run(o.id, keepVariants)
  st.get(
    `DELETE FROM offering_variants WHERE offering_id = ? AND id NOT IN (SELECT value FROM json_each(?)) AND NOT EXISTS (SELECT 1 FROM order_lines WHERE variant_id = offering_variants.id)`,
  ).run(o.id, keepVariants)

  const date = st.get(
    `INSERT INTO program_dates (id, offering_id, date, cutoff_at, supplier, status, cancel_reason) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET date = excluded.date, cutoff_at = excluded.cutoff_at, supplier = excluded.supplier, status = excluded.status,
       cancel_reason = CASE WHEN excluded.status = 'cancelled' THEN coalesce(program_dates.cancel_reason, excluded.cancel_reason) ELSE NULL END`,
  )
  for (const d of o.dates) date.run(d.id, o.id, d.date, d.cutoffAt, d.supplier, d.status, d.status === 'cancelled' ? '—' : null)

  if (o.outing) {
    const x = o.outing
    st.get(
      `INSERT INTO outings (offering_id, starts_on, ends_on, start_time, end_time, destination, venue_limit, bus_count, seats_per_bus, staff_count, chaperone_ratio)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (offering_id) DO UPDATE SET starts_on = excluded.starts_on, ends_on = excluded.ends_on, start_time = excluded.start_time,
         end_time = excluded.end_time, destination = excluded.destination, venue_limit = excluded.venue_limit, bus_count = excluded.bus_count,
         seats_per_bus = excluded.seats_per_bus, staff_count = excluded.staff_count, chaperone_ratio = excluded.chaperone_ratio`,
    ).run(o.id, x.startsOn, x.endsOn, x.startTime, x.endTime, x.destination, x.venueLimit, x.busCount, x.seatsPerBus, x.staffCount, x.chaperoneRatio)
  }

  st.get('DELETE FROM offering_questions WHERE offering_id = ?').run(o.id)
  const question = st.get('INSERT INTO offering_questions (id, offering_id, sort, kind, label_fr, label_en, choices, required) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  o.questions.forEach((q, sort) => question.run(q.id, o.id, sort, q.kind, q.labelFr, q.labelEn, q.kind === 'choice' ? JSON.stringify(q.choices) : null, bool(q.required)))
  return true
}

function applyOrder(st: Statements, o: EntityRecord<'order'>): boolean {
  const inserted = st
    .get('INSERT INTO orders (id, school_id, guardian_id, channel, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING')
    .run(o.id, o.schoolId, o.guardianId, o.channel, o.createdAt).changes
  if (!inserted) return false
  const line = st.get(
    `INSERT INTO order_lines (id, order_id, student_id, offering_id, variant_id, program_date_id, quantity, unit_price_cents, amount_cents)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  )
  for (const l of o.lines) line.run(l.id, o.id, l.studentId, l.offeringId, l.variantId, l.programDateId, l.quantity, l.unitPriceCents, l.amountCents)
  return true
}

function applyPayment(st: Statements, p: EntityRecord<'payment'>): boolean {
  if (st.get('SELECT 1 FROM payments WHERE id = ?').get(p.id) !== undefined) return false
  // Pulled payments are numbered by the board: series 'board' (migration 0011). This PC's kiosk
  // numbers its sales in 'office', so the same number there is no collision. Two board payments
  // with one number would be the board's own duplicate: that one still stops the school's run.
  // A record from before series is the board's. An office number comes back from a kiosk sale
  // (this PC's, pulled again after a reinstall, or another office PC's).
  const series = p.receiptSeries ?? 'board'
  const taken = st.get(`SELECT id FROM payments WHERE school_id = ? AND receipt_series = ? AND receipt_number = ?`).get(p.schoolId, series, p.receiptNumber) as { id: string } | undefined
  if (taken) throw new ReceiptCollisionError(p.id, p.receiptNumber)
  // The protocol's refinement already holds a 'credit' payment to no card and credit = amount,
  // which is what the 0013 CHECKs ask. A page that did not go through the protocol's parse (built
  // by hand) may lack creditCents: read as the protocol would, wholly by card.
  st.get(
    `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, credit_cents, channel, receipt_series, receipt_number, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(p.id, p.schoolId, p.orderId, p.processor, p.processorRef, p.cardBrand, p.last4, p.amountCents, p.creditCents ?? 0, p.channel, series, p.receiptNumber, p.createdAt)
  return true
}

function applyRefund(st: Statements, r: EntityRecord<'refund'>, now: string): boolean {
  const local = st.get('SELECT status FROM refunds WHERE id = ?').get(r.id) as { status: string } | undefined
  let wrote = false
  if (!local) {
    st.get(
      `INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, reason, status, idempotency_key, processor_ref, failure_message, requested_at, settled_at, tender)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      r.id,
      r.paymentId,
      r.orderLineId,
      r.amountCents,
      r.reason ?? '',
      // A reversal is an event on a success, never the row's status.
      r.reversed ? 'succeeded' : r.status,
      `board:${r.id}`,
      r.processorRef,
      r.reversed ? null : r.failureCode,
      r.requestedAt ?? now,
      r.settledAt,
      tenderFor(st, r),
    )
    wrote = true
  } else if (local.status === 'pending' && r.status !== 'pending') {
    st.get('UPDATE refunds SET status = ?, processor_ref = coalesce(?, processor_ref), failure_message = ?, settled_at = ? WHERE id = ?').run(
      r.reversed ? 'succeeded' : r.status,
      r.processorRef,
      r.reversed ? null : r.failureCode,
      r.settledAt ?? now,
      r.id,
    )
    wrote = true
  }
  if (r.reversed) {
    const done = st.get("SELECT 1 FROM refund_events WHERE refund_id = ? AND kind = 'reversed'").get(r.id)
    const status = (st.get('SELECT status FROM refunds WHERE id = ?').get(r.id) as { status: string }).status
    if (!done && status === 'succeeded') {
      st.get("INSERT INTO refund_events (refund_id, kind, at, processor_ref, code) VALUES (?, 'reversed', ?, ?, ?)").run(r.id, r.settledAt ?? now, r.processorRef, r.failureCode ?? 'reversed')
      wrote = true
    }
  }
  return wrote
}

/**
 * The tender the local payment allows. The 0013 trigger aborts a refund whose tender its payment
 * cannot have (credit on a payment with no credit in it, card on one wholly by credit), and one
 * abort fails the whole page and its cursor: sync would stop there for good. A record without a
 * tender (an older board) reads as card, which a payment wholly by credit cannot take.
 */
function tenderFor(st: Statements, r: EntityRecord<'refund'>): 'card' | 'credit' {
  const payment = st.get('SELECT processor, credit_cents FROM payments WHERE id = ?').get(r.paymentId) as { processor: string; credit_cents: number } | undefined
  if (payment?.processor === 'credit') return 'credit'
  if (payment?.credit_cents === 0) return 'card'
  return r.tender ?? 'card' // ?? for a page built by hand, as for creditCents
}

function applyConsent(st: Statements, c: EntityRecord<'consent'>): boolean {
  // A withdrawal typed at another office PC names a staff member this PC does not know: v1 keeps
  // the board's copy only (the CHECK on office rows needs a local staff id).
  if (c.channel === 'office' && st.get('SELECT 1 FROM consents WHERE id = ?').get(c.id) === undefined) return false
  return (
    st
      .get(
        `INSERT INTO consents (id, offering_id, student_id, guardian_id, decision, signed_name, answers, channel, recorded_at, reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      )
      .run(c.id, c.offeringId, c.studentId, c.guardianId, c.decision, c.signedName, c.answers === null ? null : JSON.stringify(c.answers), c.channel, c.recordedAt, c.reason).changes > 0
  )
}

function applyWaiver(st: Statements, w: EntityRecord<'waiver'>): boolean {
  return (
    st
      .get('INSERT INTO waivers (id, student_id, offering_id, amount_cents, reason, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING')
      .run(w.id, w.studentId, w.offeringId, w.amountCents, '', w.createdAt).changes > 0
  )
}

/**
 * A family credit entry from the board: inserted by id or ignored, so our own entries come back
 * and change nothing. A credit another office PC granted for a failed card refund resolves that
 * refund here too, or this PC would still list it as waiting for staff (and could credit it twice).
 *
 * The 0007/0013 triggers check a granted entry against its refund (failed card refund, or refund
 * to credit, whole, payment not voided) and keep the balance from going negative; the foreign keys
 * want its guardian, refund or order. The board applies the same rules, so a refusal here means
 * this PC differs from the board (a credit spent at two PCs before either synced, a payment this
 * PC's processor voided). Like a consent this PC cannot take (applyConsent), the entry is left out
 * and the page goes on: an abort would fail the page and its cursor, and sync would stop there for
 * good. The board keeps the entry, and this PC's own entry in conflict comes back rejected
 * (credit_exceeds_balance, already_exists) on the Synchronisation screen.
 */
function applyCredit(st: Statements, c: EntityRecord<'credit'>, now: string): boolean {
  if (st.get('SELECT 1 FROM family_credits WHERE id = ?').get(c.id) !== undefined) return false
  // This PC credited the refund itself (its entry is on its way, or refused): one credit per refund.
  if (c.kind === 'granted' && st.get(`SELECT 1 FROM family_credits WHERE refund_id = ? AND kind = 'granted'`).get(c.refundId) !== undefined) return false
  try {
    return st.savepoint(() => {
      st.get(
        `INSERT INTO family_credits (id, school_id, guardian_id, kind, amount_cents, refund_id, order_id, reason, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
      ).run(c.id, c.schoolId, c.guardianId, c.kind, c.amountCents, c.refundId, c.orderId, c.reason, c.createdAt)
      if (c.kind === 'granted') {
        st.get(
          `INSERT INTO refund_resolutions (refund_id, kind, retry_refund_id, credit_id, reason, resolved_by, resolved_at)
           SELECT s.id, 'credited', NULL, ?, ?, NULL, ? FROM refund_states s JOIN refunds r ON r.id = s.id
           WHERE s.id = ? AND s.status = 'failed' AND r.tender = 'card' AND NOT EXISTS (SELECT 1 FROM refund_resolutions x WHERE x.refund_id = s.id)`,
        ).run(c.id, c.reason, c.createdAt, c.refundId)
      }
      return true
    })
  } catch (error) {
    if (!isConstraint(error)) throw error
    // Left out, never silently: the audit log says which entry and why (the board keeps it), once
    // however often the page comes.
    st.get(
      `INSERT INTO audit_log (at, actor, action, entity, entity_id, after, detail)
       SELECT ?, 'sync', 'sync.creditNotApplied', 'family_credit', ?, ?, ?
       WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE entity = 'family_credit' AND entity_id = ? AND action = 'sync.creditNotApplied')`,
    ).run(
      now,
      c.id,
      JSON.stringify(c),
      JSON.stringify({ reason: error instanceof Error ? error.message : String(error) }),
      c.id,
    )
    return false
  }
}

function isConstraint(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')
}

export { statements }
