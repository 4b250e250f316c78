import type { Grade } from '../../db/schema'
import { isSchoolDateString } from '../catalogue/dates'
import { compareConsentOrder, currentConsents } from './consent'
import type {
  BandNeed,
  CapacityInput,
  Chaperone,
  ChaperoneOutcome,
  ChaperoneSummary,
  OutingPlan,
  OutingSnapshot,
  OutingStudent,
  PaymentState,
  SchoolDate,
  StudentOutcome,
  StudentState,
} from './types'

/*
 * The capacity engine (../shared/design/DOMAIN.md, "Outings: capacity").
 *
 * WHAT HOLDS A SEAT: consent AND payment. DOMAIN.md defines confirmed as "consented and paid,
 * free, or waived", and only confirmed students fill the capacity; a consented student whose
 * family has not paid yet holds no seat (state consented_unpaid) and takes one, if any is left,
 * when the payment comes. A waiver counts as paid, and an outing at 0 $ confirms on consent.
 * Once seats run out, paid consented students wait in consent order (state waitlisted); a
 * freed seat (a withdrawal, a bus added, a limit raised) goes to the first of them.
 *
 * CONSENT ORDER: the instant of the student's current consent (`currentConsents` in consent.ts),
 * the student id breaking ties. It is the order of the consents, not of the payments: a family
 * that consented early and pays late comes before one that consented later, as DOMAIN.md says.
 *
 * CAPACITY = the smallest of
 *   - seats for students: every bus's seats less the adults on the buses, that is the staff
 *     going and every chaperone on the plan (a chaperone whose check is not valid still has a
 *     seat kept for them until they are replaced or renew: the count errs on the safe side);
 *   - the venue limit.
 * No bus and no venue limit: unlimited (null).
 * The chaperones are measured against the confirmed students (needed against covering, and
 * the shortfall), not folded into the capacity: volunteers are recruited for the students who
 * are going, often from their own families, so a short count must send the office looking for
 * adults rather than quietly waitlist paid students. The validation warns while they are short.
 *
 * CHAPERONES NEEDED = the sum over the grade bands of ceil(confirmed students of the band /
 * students per adult). The staff going are not counted against it: DOMAIN.md counts chaperones
 * needed as ceil(students going / ratio), the staff being in charge of the whole group. A
 * chaperone covers only with a police records check valid through the outing's last day.
 */
export function computeOuting(input: CapacityInput): OutingSnapshot {
  const { plan } = input
  const students = uniqueStudents(input.students)
  const eligible = new Set(students.map((s) => s.id))
  // A consent for a student who is not eligible counts for nothing here; the validation refuses it.
  const consents = currentConsents(input.consents.filter((c) => eligible.has(c.studentId)))
  const free = plan.costCents === 0

  const seats = seatsOf(plan)
  const venue = plan.venueLimit === null ? null : Math.max(0, Math.floor(plan.venueLimit))
  const capacity = seats === null ? venue : venue === null ? seats.forStudents : Math.min(seats.forStudents, venue)
  const limitedBy = capacity === null ? null : seats !== null && seats.forStudents === capacity ? 'seats' : 'venue'

  const payment = (id: string): PaymentState | 'free' => (free ? 'free' : paymentOf(input.payments, id))
  const holdsSeat = (id: string) => {
    const p = payment(id)
    return p === 'free' || p === 'paid' || p === 'waived'
  }

  // The students in line for a seat, in consent order: the first `capacity` of them have one.
  const inLine = students
    .map((s) => ({ studentId: s.id, consentedAt: consents.get(s.id)?.consentedAt ?? null }))
    .filter((s) => consents.get(s.studentId)?.decision === 'granted' && holdsSeat(s.studentId))
    .sort(compareConsentOrder)
  const seated = capacity === null ? inLine.length : Math.min(capacity, inLine.length)
  const confirmedIds = inLine.slice(0, seated).map((s) => s.studentId)
  const waitlist = inLine.slice(seated).map((s) => s.studentId)
  const confirmedSet = new Set(confirmedIds)
  const place = new Map(waitlist.map((id, i) => [id, i + 1]))

  const counts: Record<StudentState, number> = { no_answer: 0, declined: 0, consented_unpaid: 0, confirmed: 0, waitlisted: 0 }
  const outcomes: StudentOutcome[] = students.map((s) => {
    const c = consents.get(s.id)
    let state: StudentState
    if (!c) state = 'no_answer'
    else if (c.decision !== 'granted') state = 'declined'
    else if (confirmedSet.has(s.id)) state = 'confirmed'
    else if (place.has(s.id)) state = 'waitlisted'
    else state = 'consented_unpaid'
    counts[state]++
    return {
      studentId: s.id,
      state,
      consentedAt: c?.consentedAt ?? null,
      withdrawn: c?.withdrawn ?? false,
      payment: payment(s.id),
      waitlistPosition: place.get(s.id) ?? null,
    }
  })

  const byId = new Map(students.map((s) => [s.id, s]))
  const confirmedStudents = confirmedIds.map((id) => byId.get(id)!)
  const consentedStudents = students.filter((s) => consents.get(s.id)?.decision === 'granted')
  const chaperones = chaperoneSummary(plan, confirmedStudents, consentedStudents, input.today)
  const peopleToSeat = consentedStudents.length + adultsOf(plan)

  return {
    students: outcomes,
    counts,
    capacity,
    limits: { seats: seats?.forStudents ?? null, venue },
    limitedBy,
    seats,
    confirmed: confirmedIds.length,
    confirmedIds,
    waitlist,
    seatsLeft: capacity === null ? null : capacity - confirmedIds.length,
    chaperones,
    buses: { assigned: plan.buses.length, neededForConsented: busesNeeded(plan, peopleToSeat), peopleToSeat },
  }
}

function uniqueStudents(students: readonly OutingStudent[]): OutingStudent[] {
  const seen = new Set<string>()
  return students.filter((s) => !seen.has(s.id) && (seen.add(s.id), true))
}

function paymentOf(payments: Readonly<Record<string, PaymentState>>, id: string): PaymentState {
  return Object.hasOwn(payments, id) ? (payments[id] ?? 'unpaid') : 'unpaid'
}

/** A seat count as the engine reads it: whole and never negative (the validation reports the rest). */
const seatCount = (n: number) => (Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0)

/** Staff and chaperones: every adult on the plan takes a seat. */
export function adultsOf(plan: OutingPlan): number {
  return seatCount(plan.staffCount) + plan.chaperones.length
}

/** The buses' seats and what is left for students; null for a walk. */
export function seatsOf(plan: OutingPlan): OutingSnapshot['seats'] {
  if (plan.buses.length === 0) return null
  const total = plan.buses.reduce((sum, b) => sum + seatCount(b.seats), 0)
  const adults = adultsOf(plan)
  return { total, adults, forStudents: Math.max(0, total - adults) }
}

/**
 * Buses needed for `people`: the fewest of the plan's buses that seat them (largest first), and
 * beyond them more buses the size of the largest. Null for a walk or buses without seats.
 */
export function busesNeeded(plan: OutingPlan, people: number): number | null {
  const sizes = plan.buses.map((b) => seatCount(b.seats)).sort((a, b) => b - a)
  const largest = sizes[0] ?? 0
  if (largest === 0) return null
  let seated = 0
  let count = 0
  for (const size of sizes) {
    if (seated >= people) return count
    seated += size
    count++
  }
  return seated >= people ? count : count + Math.ceil((people - seated) / largest)
}

/** The day the outing ends: a check must be valid through it. */
export function lastDayOf(plan: OutingPlan): SchoolDate {
  return plan.endDate != null && isSchoolDateString(plan.endDate) && plan.endDate > plan.date ? plan.endDate : plan.date
}

/** Whether a chaperone covers on the outing, and why not. Dates are 'YYYY-MM-DD': they compare as strings. */
export function chaperoneOutcome(chaperone: Chaperone, plan: OutingPlan, today: SchoolDate): ChaperoneOutcome {
  const expiresOn = chaperone.policeCheckExpiresOn
  const base = { id: chaperone.id, name: chaperone.name, expiresOn }
  if (expiresOn === null || expiresOn.trim() === '') return { ...base, expiresOn: null, covers: false, reason: 'checkMissing' }
  if (!isSchoolDateString(expiresOn)) return { ...base, covers: false, reason: 'checkDateInvalid' }
  if (expiresOn < today) return { ...base, covers: false, reason: 'checkExpired' }
  if (expiresOn < lastDayOf(plan)) return { ...base, covers: false, reason: 'checkExpiresBeforeOuting' }
  return { ...base, covers: true, reason: null }
}

/** A ratio the engine can use: a whole number of students per adult, at least 1. */
export function isValidRatio(studentsPerAdult: number): boolean {
  return Number.isSafeInteger(studentsPerAdult) && studentsPerAdult >= 1
}

/**
 * Chaperones needed for these students, band by band (ceil per band). A grade in two bands
 * counts in the first; a grade in none counts at the strictest ratio of the plan. Null when the
 * plan has no valid ratio.
 */
export function chaperonesNeeded(plan: OutingPlan, students: readonly Pick<OutingStudent, 'grade'>[]): { needed: number | null; byBand: BandNeed[] } {
  const bands = plan.ratios.filter((b) => isValidRatio(b.studentsPerAdult) && b.grades.length > 0)
  if (bands.length === 0) return { needed: null, byBand: [] }
  const bandOf = new Map<Grade, number>()
  bands.forEach((b, i) => b.grades.forEach((g) => bandOf.has(g) || bandOf.set(g, i)))
  const perBand = bands.map(() => 0)
  const unbanded: Grade[] = []
  let unbandedCount = 0
  for (const s of students) {
    const i = bandOf.get(s.grade)
    if (i !== undefined) perBand[i]!++
    else {
      unbandedCount++
      if (!unbanded.includes(s.grade)) unbanded.push(s.grade)
    }
  }
  const byBand: BandNeed[] = bands.map((b, i) => ({
    grades: b.grades,
    studentsPerAdult: b.studentsPerAdult,
    students: perBand[i]!,
    needed: Math.ceil(perBand[i]! / b.studentsPerAdult),
    unbanded: false,
  }))
  if (unbandedCount > 0) {
    const strictest = Math.min(...bands.map((b) => b.studentsPerAdult))
    byBand.push({ grades: unbanded, studentsPerAdult: strictest, students: unbandedCount, needed: Math.ceil(unbandedCount / strictest), unbanded: true })
  }
  return { needed: byBand.reduce((sum, b) => sum + b.needed, 0), byBand }
}

function chaperoneSummary(plan: OutingPlan, confirmed: readonly OutingStudent[], consented: readonly OutingStudent[], today: SchoolDate): ChaperoneSummary {
  const list = plan.chaperones.map((c) => chaperoneOutcome(c, plan, today))
  const covering = list.filter((c) => c.covers).length
  const { needed, byBand } = chaperonesNeeded(plan, confirmed)
  return {
    needed,
    neededForConsented: chaperonesNeeded(plan, consented).needed,
    covering,
    shortBy: needed === null ? 0 : Math.max(0, needed - covering),
    byBand,
    list,
  }
}
