import { sql, type Kysely, type Selectable } from 'kysely'
import { GuichetError } from '../../../shared/errors'
import type { DB, Grade, OfferingKind, OfferingsTable, OfferingStatus } from '../../db/schema'
import { isEligible, type Target } from '../../domain/eligibility'
import type { CartLine, LineFacts } from '../../domain/kiosk'
import { computeOuting, currentConsents, type PaymentState } from '../../domain/outings'
import { loadOuting } from '../outings'
import { LINE_NOT_GIVEN_BACK } from '../held-lines'

/**
 * What the kiosk reads to show a family its items and to check a line of the cart, always in
 * the caller's transaction and at the caller's instant: the same reads serve the screen and the
 * re-check at payment.
 */

export interface Child {
  id: string
  firstName: string
  lastName: string
  grade: Grade
  classId: string | null
  schoolId: string
  schoolName: string
}

/** The guardian's active children, across schools, by school then grade. */
export async function familyChildren(db: Kysely<DB>, guardianId: string): Promise<Child[]> {
  const rows = await db
    .selectFrom('student_guardians as sg')
    .innerJoin('students as s', 's.id', 'sg.student_id')
    .innerJoin('schools as sc', 'sc.id', 's.school_id')
    .select(['s.id', 's.first_name', 's.last_name', 's.grade', 's.class_id', 's.school_id', 'sc.name as school_name'])
    .where('sg.guardian_id', '=', guardianId)
    .where('s.status', '=', 'active')
    .orderBy(sql`fold(sc.name)`)
    .orderBy('s.grade_rank')
    .orderBy(sql`fold(s.first_name)`)
    .execute()
  return rows.map((r) => ({ id: r.id, firstName: r.first_name, lastName: r.last_name, grade: r.grade, classId: r.class_id, schoolId: r.school_id, schoolName: r.school_name }))
}

/**
 * A child of this guardian, or a refusal: the kiosk never shows or touches another family's
 * child. FORBIDDEN whether the student exists or not, so the answer says nothing of other ids.
 */
export async function requireChild(db: Kysely<DB>, guardianId: string, studentId: string): Promise<Child> {
  const child = (await familyChildren(db, guardianId)).find((c) => c.id === studentId)
  if (!child) throw new GuichetError('FORBIDDEN')
  return child
}

export interface OfferingInfo {
  id: string
  schoolId: string
  kind: OfferingKind
  status: OfferingStatus
  titleFr: string
  titleEn: string | null
  descriptionFr: string
  descriptionEn: string | null
  opensAt: string
  deadlineAt: string
  priceCents: number
  feePer: 'student' | 'family' | null
  stockLimit: number | null
  perStudentLimit: number | null
  targets: Target[]
}

export async function offeringInfo(db: Kysely<DB>, offeringId: string): Promise<OfferingInfo | null> {
  const row = await db.selectFrom('offerings').selectAll().where('id', '=', offeringId).executeTakeFirst()
  if (!row) return null
  const targets = await db.selectFrom('offering_targets').select(['kind', 'value']).where('offering_id', '=', offeringId).execute()
  return toInfo(row, targets)
}

export function toInfo(row: Selectable<OfferingsTable>, targets: Target[]): OfferingInfo {
  return {
    id: row.id,
    schoolId: row.school_id,
    kind: row.kind,
    status: row.status,
    titleFr: row.title_fr,
    titleEn: row.title_en,
    descriptionFr: row.description_fr,
    descriptionEn: row.description_en,
    opensAt: row.opens_at,
    deadlineAt: row.deadline_at,
    priceCents: row.price_cents,
    feePer: row.fee_per,
    stockLimit: row.stock_limit,
    perStudentLimit: row.per_student_limit,
    targets,
  }
}

export function childIsEligible(child: Child, offering: OfferingInfo): boolean {
  return isEligible({ id: child.id, schoolId: child.schoolId, grade: child.grade, classId: child.classId, status: 'active' }, offering.schoolId, offering.targets)
}

/**
 * A line that holds its goods: its order is paid (and the payment not voided), or a kiosk card
 * payment for it is under way (charged, answer not recorded yet). Two kiosks never both sell the
 * last bag of popcorn.
 */
const HOLDS = sql<boolean>`(EXISTS (SELECT 1 FROM payments p WHERE p.order_id = l.order_id AND NOT EXISTS (SELECT 1 FROM payment_voids v WHERE v.payment_id = p.id))
  OR EXISTS (SELECT 1 FROM kiosk_charges k WHERE k.order_id = l.order_id AND NOT EXISTS (SELECT 1 FROM kiosk_charge_outcomes x WHERE x.charge_id = k.id)))`

/** Less what was given back on it: a refunded outing may be paid again. */
const NOT_REFUNDED = LINE_NOT_GIVEN_BACK

/** Quantities of the item held by everyone (stock). */
export async function takenOf(db: Kysely<DB>, offeringId: string): Promise<number> {
  const row = await db
    .selectFrom('order_lines as l')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('l.quantity'), sql<number>`0`).as('n'))
    .where('l.offering_id', '=', offeringId)
    .where(HOLDS)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Per student (and per program date): quantities held of the item, refunded lines aside. */
export async function heldByStudents(db: Kysely<DB>, offeringId: string, studentIds: readonly string[]): Promise<Array<{ studentId: string; programDateId: string | null; quantity: number }>> {
  if (studentIds.length === 0) return []
  const rows = await db
    .selectFrom('order_lines as l')
    .select((eb) => ['l.student_id', 'l.program_date_id', eb.fn.sum<number>('l.quantity').as('q')])
    .where('l.offering_id', '=', offeringId)
    .where('l.student_id', 'in', [...studentIds])
    .where(HOLDS)
    .where(NOT_REFUNDED)
    .groupBy(['l.student_id', 'l.program_date_id'])
    .execute()
  return rows.map((r) => ({ studentId: r.student_id, programDateId: r.program_date_id, quantity: Number(r.q) }))
}

export async function waivedCents(db: Kysely<DB>, offeringId: string, studentId: string): Promise<number> {
  const row = await db
    .selectFrom('waivers')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), sql<number>`0`).as('n'))
    .where('offering_id', '=', offeringId)
    .where('student_id', '=', studentId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export type ConsentDecision = 'granted' | 'declined' | 'withdrawn'

export interface CurrentAnswer {
  decision: ConsentDecision
  signedName: string | null
  answers: Record<string, string>
  recordedAt: string
}

/** The student's current answer on an item: the latest row of the history (0004). */
export async function currentAnswer(db: Kysely<DB>, offeringId: string, studentId: string): Promise<CurrentAnswer | null> {
  const rows = await db.selectFrom('consents').selectAll().where('offering_id', '=', offeringId).where('student_id', '=', studentId).execute()
  if (rows.length === 0) return null
  const current = currentConsents(rows.map((r) => ({ id: r.id, studentId: r.student_id, decision: r.decision, recordedAt: r.recorded_at })))
  const latest = [...rows].sort((a, b) => a.recorded_at.localeCompare(b.recorded_at) || a.id.localeCompare(b.id)).at(-1)!
  const decision = current.get(studentId)?.decision ?? latest.decision
  return { decision, signedName: latest.signed_name, answers: parseAnswers(latest.answers), recordedAt: latest.recorded_at }
}

function parseAnswers(raw: string | null): Record<string, string> {
  if (!raw) return {}
  try {
    const value = JSON.parse(raw) as unknown
    if (Array.isArray(value)) {
      return Object.fromEntries(value.flatMap((a: unknown) => (a && typeof a === 'object' && 'questionId' in a && 'value' in a ? [[String(a.questionId), String(a.value)]] : [])))
    }
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]))
  } catch {
    // An answer the board sent in another shape: shown as none.
  }
  return {}
}

/** Students whose outing payment is under way at a kiosk: they hold a seat like a paid one. */
async function inFlightStudents(db: Kysely<DB>, offeringId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('order_lines as l')
    .select('l.student_id')
    .distinct()
    .where('l.offering_id', '=', offeringId)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('kiosk_charges as k')
          .select('k.id')
          .whereRef('k.order_id', '=', 'l.order_id')
          .where(({ not, exists: ex, selectFrom: sf }) => not(ex(sf('kiosk_charge_outcomes as x').select('x.charge_id').whereRef('x.charge_id', '=', 'k.id')))),
      ),
    )
    .execute()
  return rows.map((r) => r.student_id)
}

export interface OutingSeat {
  /** Where the student stands now. */
  state: 'no_answer' | 'declined' | 'consented_unpaid' | 'confirmed' | 'waitlisted' | 'not_eligible'
  waitlistPosition: number | null
  /** Where the student would stand once paid (consent order decides, DOMAIN.md). */
  ifPaid: 'confirmed' | 'waitlisted' | null
  seatsLeft: number | null
  payment: PaymentState | 'free' | null
}

/** The capacity engine, asked now, and again as if this student had paid. */
export async function outingSeat(db: Kysely<DB>, offeringId: string, studentId: string, now: string): Promise<OutingSeat> {
  const loaded = await loadOuting(db, offeringId, now)
  const inFlight = await inFlightStudents(db, offeringId)
  const payments: Record<string, PaymentState> = { ...loaded.input.payments }
  for (const id of inFlight) if (!payments[id]) payments[id] = 'paid'
  const snapshot = computeOuting({ ...loaded.input, payments })
  const mine = snapshot.students.find((s) => s.studentId === studentId)
  if (!mine) return { state: 'not_eligible', waitlistPosition: null, ifPaid: null, seatsLeft: snapshot.seatsLeft, payment: null }
  let ifPaid: OutingSeat['ifPaid']
  if (mine.state === 'confirmed' || mine.state === 'waitlisted') ifPaid = mine.state
  else {
    // As if the family consented now (if not yet) and paid: the engine places them.
    const consents = mine.state === 'consented_unpaid' ? loaded.input.consents : [...loaded.input.consents, { id: '~kiosk', studentId, decision: 'granted' as const, recordedAt: now }]
    const after = computeOuting({ ...loaded.input, consents, payments: { ...payments, [studentId]: 'paid' } })
    const state = after.students.find((s) => s.studentId === studentId)?.state
    ifPaid = state === 'confirmed' || state === 'waitlisted' ? state : null
  }
  return { state: mine.state, waitlistPosition: mine.waitlistPosition, ifPaid, seatsLeft: snapshot.seatsLeft, payment: mine.payment }
}

/**
 * Everything `checkLine` needs about one line of the cart, read now. A line of another family's
 * child, or of an item that does not exist, comes back not eligible.
 */
export async function lineFacts(db: Kysely<DB>, guardianId: string, line: CartLine, now: string): Promise<LineFacts> {
  const offering = await offeringInfo(db, line.offeringId)
  const child = (await familyChildren(db, guardianId)).find((c) => c.id === line.studentId)
  const base: LineFacts = {
    offering: offering
      ? { kind: offering.kind, status: offering.status, opensAt: offering.opensAt, deadlineAt: offering.deadlineAt, priceCents: offering.priceCents, stockLimit: offering.stockLimit, perStudentLimit: offering.perStudentLimit }
      : { kind: line.kind, status: 'cancelled', opensAt: now, deadlineAt: now, priceCents: 0, stockLimit: null, perStudentLimit: null },
    eligible: Boolean(offering && child && childIsEligible(child, offering)),
    hasVariants: false,
    variant: null,
    programDate: null,
    taken: 0,
    bought: 0,
    settled: false,
    consent: null,
    seatIfPaid: null,
  }
  if (!offering || !child) return base

  const variants = await db.selectFrom('offering_variants').select(['id', 'price_cents', 'active']).where('offering_id', '=', offering.id).execute()
  base.hasVariants = variants.length > 0
  const variant = line.variantId ? variants.find((v) => v.id === line.variantId) : undefined
  base.variant = variant ? { active: variant.active === 1, priceCents: variant.price_cents } : null
  if (line.programDateId) {
    const d = await db.selectFrom('program_dates').select(['date', 'cutoff_at', 'status']).where('id', '=', line.programDateId).where('offering_id', '=', offering.id).executeTakeFirst()
    base.programDate = d ? { date: d.date, cutoffAt: d.cutoff_at, status: d.status } : null
  }
  base.taken = await takenOf(db, offering.id)

  const family = offering.kind === 'fee' && offering.feePer === 'family' ? (await familyChildren(db, guardianId)).filter((c) => c.schoolId === offering.schoolId).map((c) => c.id) : [child.id]
  const held = await heldByStudents(db, offering.id, family)
  const mine = held.filter((h) => h.studentId === child.id && (line.kind !== 'program' || h.programDateId === line.programDateId))
  base.bought = mine.reduce((sum, h) => sum + h.quantity, 0)

  if (offering.kind === 'fee') {
    const anyHeld = held.some((h) => h.quantity > 0)
    base.settled = anyHeld || (offering.priceCents > 0 && (await waivedCents(db, offering.id, child.id)) >= offering.priceCents)
  }
  if (offering.kind === 'outing') {
    const answer = await currentAnswer(db, offering.id, child.id)
    base.consent = answer?.decision ?? null
    const seat = await outingSeat(db, offering.id, child.id, now)
    base.settled = seat.payment === 'paid' || seat.payment === 'waived' || base.bought > 0
    base.seatIfPaid = seat.ifPaid
  }
  return base
}
