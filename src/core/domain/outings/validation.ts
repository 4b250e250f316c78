import type { Grade } from '../../db/schema'
import { isSchoolDateString } from '../catalogue/dates'
import { chaperoneOutcome, computeOuting, isValidRatio, seatsOf } from './capacity'
import type { CapacityInput, ChaperoneReason, OutingPlan, SchoolDate } from './types'

/**
 * The outing plan's checks. Codes, not sentences: src/shared/i18n/outings.*.ts hold the French
 * and English, with the same `values`. Errors refuse the plan; warnings are shown (a chaperone
 * who does not cover is counted as not covering, with the reason, and the plan still saves).
 */
export const OUTING_CODES = {
  'outing.dateInvalid': 'error', // {value}
  'outing.endDateBeforeDate': 'error', // {date, endDate}
  'outing.costInvalid': 'error', // {value}: not whole cents, or negative
  'outing.ratioMissing': 'error', // no grade band with a ratio
  'outing.ratioInvalid': 'error', // {band, value}: 0, negative or not a whole number of students per adult (band is 1-based)
  'outing.ratioNoGrades': 'error', // {band}: a band without grades
  'outing.gradeInTwoBands': 'error', // {grade}
  'outing.gradeWithoutRatio': 'error', // {grade, count}: eligible students of a grade that no band covers
  'outing.busSeatsNegative': 'error', // {bus, seats} (bus is 1-based)
  'outing.busNoSeats': 'error', // {bus}: a bus without a seat count (0)
  'outing.busSeatsNotWhole': 'error', // {bus, seats}
  'outing.busDuplicate': 'error', // {bus}: the same bus twice
  'outing.busUnknown': 'error', // {bus}: the bus to remove is not on the plan (someone changed it meanwhile)
  'outing.staffInvalid': 'error', // {value}: negative or not whole
  'outing.noSeatsForStudents': 'error', // {seats, adults}: the adults fill the buses
  'outing.venueLimitInvalid': 'error', // {value}: 0, negative or not whole (no limit is empty, not 0)
  'outing.chaperoneDuplicate': 'error', // {name}: the same chaperone twice
  'outing.chaperoneCheckMissing': 'warning', // {name}: no police records check on file
  'outing.chaperoneCheckDateInvalid': 'error', // {name, value}
  'outing.chaperoneCheckExpired': 'warning', // {name, expiresOn}: already expired
  'outing.chaperoneCheckExpiresBeforeOuting': 'warning', // {name, expiresOn, date}: valid today, not on the outing's last day
  'outing.chaperonesShort': 'warning', // {needed, covering}: fewer covering chaperones than the confirmed students need
  'outing.consentNotEligible': 'error', // {student}: a consent for a student who is not eligible
} as const
export type OutingCode = keyof typeof OUTING_CODES
export type OutingSeverity = 'error' | 'warning'

export interface OutingIssue {
  code: OutingCode
  severity: OutingSeverity
  /** The form field it is about: 'ratios.0.studentsPerAdult', 'buses.1.seats', 'chaperones.2.policeCheckExpiresOn'. */
  field: string
  values?: Record<string, string | number>
}

const REASON_CODE: Record<ChaperoneReason, OutingCode> = {
  checkMissing: 'outing.chaperoneCheckMissing',
  checkDateInvalid: 'outing.chaperoneCheckDateInvalid',
  checkExpired: 'outing.chaperoneCheckExpired',
  checkExpiresBeforeOuting: 'outing.chaperoneCheckExpiresBeforeOuting',
}

const whole = (n: number) => Number.isSafeInteger(n)

/** The plan alone: what the planning form can check before any student answers. */
export function validateOutingPlan(plan: OutingPlan, today: SchoolDate): OutingIssue[] {
  const issues: OutingIssue[] = []
  const add = (code: OutingCode, field: string, values?: Record<string, string | number>) =>
    issues.push(values ? { code, severity: OUTING_CODES[code], field, values } : { code, severity: OUTING_CODES[code], field })

  const dateOk = isSchoolDateString(plan.date)
  if (!dateOk) add('outing.dateInvalid', 'date', { value: String(plan.date) })
  if (plan.endDate != null) {
    if (!isSchoolDateString(plan.endDate)) add('outing.dateInvalid', 'endDate', { value: String(plan.endDate) })
    else if (dateOk && plan.endDate < plan.date) add('outing.endDateBeforeDate', 'endDate', { date: plan.date, endDate: plan.endDate })
  }
  if (!whole(plan.costCents) || plan.costCents < 0) add('outing.costInvalid', 'costCents', { value: plan.costCents })

  // Ratios per grade band.
  if (plan.ratios.length === 0) add('outing.ratioMissing', 'ratios')
  const bandOf = new Map<Grade, number>()
  const twice = new Set<Grade>()
  plan.ratios.forEach((band, i) => {
    if (!isValidRatio(band.studentsPerAdult)) add('outing.ratioInvalid', `ratios.${i}.studentsPerAdult`, { band: i + 1, value: band.studentsPerAdult })
    if (band.grades.length === 0) add('outing.ratioNoGrades', `ratios.${i}.grades`, { band: i + 1 })
    for (const grade of band.grades) {
      if (bandOf.has(grade) && !twice.has(grade)) {
        twice.add(grade)
        add('outing.gradeInTwoBands', `ratios.${i}.grades`, { grade })
      }
      if (!bandOf.has(grade)) bandOf.set(grade, i)
    }
  })

  // Buses, staff and the venue.
  const seenBus = new Set<string>()
  plan.buses.forEach((bus, i) => {
    const field = `buses.${i}.seats`
    if (seenBus.has(bus.id)) add('outing.busDuplicate', `buses.${i}`, { bus: i + 1 })
    seenBus.add(bus.id)
    if (!Number.isFinite(bus.seats) || !whole(bus.seats)) add('outing.busSeatsNotWhole', field, { bus: i + 1, seats: bus.seats })
    else if (bus.seats < 0) add('outing.busSeatsNegative', field, { bus: i + 1, seats: bus.seats })
    else if (bus.seats === 0) add('outing.busNoSeats', field, { bus: i + 1 })
  })
  if (!whole(plan.staffCount) || plan.staffCount < 0) add('outing.staffInvalid', 'staffCount', { value: plan.staffCount })
  const seats = seatsOf(plan)
  if (seats !== null && seats.total > 0 && seats.forStudents === 0) add('outing.noSeatsForStudents', 'buses', { seats: seats.total, adults: seats.adults })
  if (plan.venueLimit !== null && (!whole(plan.venueLimit) || plan.venueLimit <= 0)) add('outing.venueLimitInvalid', 'venueLimit', { value: plan.venueLimit })

  // Chaperones: one warning per chaperone who does not cover, with the reason.
  const seenChaperone = new Set<string>()
  plan.chaperones.forEach((c, i) => {
    if (seenChaperone.has(c.id)) add('outing.chaperoneDuplicate', `chaperones.${i}`, { name: c.name })
    seenChaperone.add(c.id)
    const outcome = chaperoneOutcome(c, plan, today)
    if (outcome.reason === null) return
    const field = `chaperones.${i}.policeCheckExpiresOn`
    const values: Record<string, string> = { name: c.name }
    if (outcome.reason === 'checkDateInvalid') values.value = String(c.policeCheckExpiresOn)
    if (outcome.reason === 'checkExpired' || outcome.reason === 'checkExpiresBeforeOuting') values.expiresOn = outcome.expiresOn!
    if (outcome.reason === 'checkExpiresBeforeOuting') values.date = plan.endDate != null && plan.endDate > plan.date ? plan.endDate : plan.date
    add(REASON_CODE[outcome.reason], field, values)
  })
  return issues
}

/**
 * The plan with its students and consents: the plan's issues, then a grade no band covers,
 * consents for students who are not eligible, and chaperones short of what the confirmed
 * students need.
 */
export function validateOuting(input: CapacityInput): OutingIssue[] {
  const issues = validateOutingPlan(input.plan, input.today)
  const add = (code: OutingCode, field: string, values: Record<string, string | number>) => issues.push({ code, severity: OUTING_CODES[code], field, values })

  const banded = new Set(input.plan.ratios.flatMap((b) => b.grades))
  if (input.plan.ratios.length > 0) {
    const missing = new Map<Grade, number>()
    for (const s of input.students) if (!banded.has(s.grade)) missing.set(s.grade, (missing.get(s.grade) ?? 0) + 1)
    for (const [grade, count] of missing) add('outing.gradeWithoutRatio', 'ratios', { grade, count })
  }

  const eligible = new Set(input.students.map((s) => s.id))
  const reported = new Set<string>()
  for (const c of input.consents) {
    if (eligible.has(c.studentId) || reported.has(c.studentId)) continue
    reported.add(c.studentId)
    add('outing.consentNotEligible', 'consents', { student: c.studentId })
  }

  const { chaperones } = computeOuting(input)
  if (chaperones.needed !== null && chaperones.shortBy > 0) add('outing.chaperonesShort', 'chaperones', { needed: chaperones.needed, covering: chaperones.covering })
  return issues
}

/** True when an issue refuses the plan (a warning does not). */
export function hasErrors(issues: readonly OutingIssue[]): boolean {
  return issues.some((i) => i.severity === 'error')
}
