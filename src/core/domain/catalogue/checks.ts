import { CATALOGUE_LIMITS } from '../../../shared/contract/catalogue-schemas'
import { addDays, isInstantString, isLocalTime, isSchoolDateString, localDateOf, toEpochMs, zonedInstant, type InstantLike } from './dates'
import { dayOff, notSchoolDayReason, type SchoolCalendar } from './calendar'
import { MAX_PROGRAM_DATES } from './program-dates'
import { reminderAt } from './reminders'
import type { OfferingDraft } from './types'

/**
 * The pre-publish checker: every problem a careful secretary would want caught, each with the
 * form field it is about so the UI can take her there. Errors block publishing; warnings ask
 * for a confirmation. Codes, not sentences: the lead's catalogues hold the French and English.
 *
 * It runs on the form as it is being filled in, so it tolerates what the save schema would
 * refuse (a missing price, an unparsable date) and reports it rather than throwing.
 */
export type ProblemSeverity = 'error' | 'warning'

/** Every code the checker can give, with its severity. The comment says what `values` holds. */
export const CHECK_CODES = {
  // texts
  'check.titleFrMissing': 'error',
  'check.titleEnMissing': 'warning',
  'check.descriptionFrMissing': 'warning',
  'check.descriptionEnMissing': 'warning', // French description present, English missing
  // opening, deadline, reminder
  'check.openingMissing': 'error',
  'check.deadlineMissing': 'error',
  'check.deadlineBeforeOpening': 'error', // deadline at or before the opening
  'check.deadlinePast': 'error', // deadline at or before now
  'check.deadlineTooClose': 'warning', // {hours}: families get less than 24 h between publishing/opening and the deadline
  'check.reminderBeforeOpening': 'warning', // {days}: the reminder would go before the opening (sent at the opening instead)
  'check.deadlineAfterYearEnd': 'warning', // {endsOn}: stays open into the summer
  // targets
  'check.noTarget': 'error',
  'check.noEligibleStudent': 'error',
  'check.capacityAboveEligible': 'warning', // {capacity, eligible}
  // prices and variants
  'check.priceMissing': 'error', // product/program without variants, or outing, with no price entered
  'check.freeProductWarning': 'warning', // a product or program at 0 $
  'check.feeAmountMissing': 'error', // a fee without an amount (or 0 $)
  'check.feePerMissing': 'error', // per student or per family not chosen
  'check.consentHasPrice': 'error', // {priceCents}: a consent form costs nothing
  'check.variantsNotAllowed': 'error', // variants on a fee, outing or consent form
  'check.variantLabelMissing': 'error',
  'check.variantWithoutPrice': 'error', // {label}
  'check.duplicateVariant': 'error', // {label}
  'check.variantLabelEnMissing': 'warning', // {count}
  'check.stockBelowPerStudent': 'warning', // {stock, perStudent}
  // program dates
  'check.programNoDates': 'error',
  'check.programTooManyDates': 'error', // {count, max}
  'check.programDateInvalid': 'error', // {value}
  'check.programDateDuplicate': 'error', // {date}
  'check.programDateOnDayOff': 'error', // {date, reason: weekend|holiday|pd_day|closure|outside_year, label?}
  'check.programDatePast': 'error', // {date}
  'check.programDateNoCutoff': 'error', // {date}
  'check.programDateAfterCutoff': 'error', // {date, cutoffDate}: the cutoff falls after the day itself
  'check.programCutoffPast': 'warning', // {date}: that date can no longer be ordered
  'check.programCutoffBeforeOpening': 'warning', // {date}: that date closes before the item opens
  'check.programNoSupplier': 'warning', // {count}
  // outings
  'check.outingMissing': 'error',
  'check.outingDateMissing': 'error',
  'check.outingEndsBeforeStart': 'error',
  'check.outingDatePast': 'error', // {date}
  'check.outingOnDayOff': 'warning', // {date, reason, label?}
  'check.outingDestinationMissing': 'error',
  'check.outingTimesMissing': 'warning',
  'check.outingTimesReversed': 'error', // one-day outing ending at or before it starts
  'check.outingNoChaperoneRatio': 'error',
  'check.outingNoBus': 'warning',
  'check.outingBusNoSeats': 'error', // buses without a seat count
  'check.outingNoSeatsForStudents': 'error', // {seats, staff}: the staff fill the buses
  'check.outingNoStaff': 'warning',
  'check.deadlineAfterOuting': 'error', // {date}: consent deadline after the outing starts
  'check.deadlineCloseToOuting': 'warning', // {hours}: under 48 h to confirm buses and the venue
  // questions
  'check.consentNoQuestion': 'error',
  'check.questionLabelMissing': 'error',
  'check.questionLabelEnMissing': 'warning', // {count}
  'check.questionChoicesMissing': 'error', // {min}
  'check.questionChoiceLabelMissing': 'error',
  'check.questionDuplicateChoice': 'error', // {label}
} as const satisfies Record<string, ProblemSeverity>

export type CheckCode = keyof typeof CHECK_CODES

export interface Problem {
  code: CheckCode
  severity: ProblemSeverity
  /** Path into the edit form: 'titleFr', 'deadlineAt', 'variants.2.priceCents', 'dates.5.date', 'targets'. */
  field: string
  values: Record<string, string | number>
}

export interface CheckContext {
  now: InstantLike
  calendar: SchoolCalendar
  /** Active students the targets reach, counted by the caller with isEligible. */
  eligibleCount: number
  /** Outings: the capacity from the capacity engine, when it has one. */
  capacity?: number
  /** Outings: students per chaperone; absent or 0 when not set. */
  chaperoneRatio?: number
}

const HOUR_MS = 3_600_000
const MIN_OPEN_HOURS = 24
const MIN_OUTING_NOTICE_HOURS = 48
const MIN_CHOICES = CATALOGUE_LIMITS.minChoices
const MAX_OUTING_DAYS_CHECKED = 14

const blank = (s: string | null | undefined) => s == null || s.trim() === ''
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')

export function checkOffering(input: OfferingDraft, context: CheckContext): Problem[] {
  const problems: Problem[] = []
  const add = (code: CheckCode, field: string, values: Record<string, string | number> = {}) =>
    problems.push({ code, severity: CHECK_CODES[code], field, values })
  const cal = context.calendar
  const tz = cal.timeZone
  const nowMs = toEpochMs(context.now)
  const today = localDateOf(context.now, tz)

  // Texts
  if (blank(input.titleFr)) add('check.titleFrMissing', 'titleFr')
  if (blank(input.titleEn)) add('check.titleEnMissing', 'titleEn')
  if (blank(input.descriptionFr)) add('check.descriptionFrMissing', 'descriptionFr')
  else if (blank(input.descriptionEn)) add('check.descriptionEnMissing', 'descriptionEn')

  // Opening, deadline, reminder
  const opensMs = input.opensAt != null && isInstantString(input.opensAt) ? toEpochMs(input.opensAt) : null
  const deadlineMs = input.deadlineAt != null && isInstantString(input.deadlineAt) ? toEpochMs(input.deadlineAt) : null
  if (opensMs === null) add('check.openingMissing', 'opensAt')
  if (deadlineMs === null) add('check.deadlineMissing', 'deadlineAt')
  if (deadlineMs !== null) {
    if (opensMs !== null && deadlineMs <= opensMs) add('check.deadlineBeforeOpening', 'deadlineAt')
    else if (deadlineMs <= nowMs) add('check.deadlinePast', 'deadlineAt')
    else {
      const visibleFrom = Math.max(nowMs, opensMs ?? nowMs)
      const hours = Math.floor((deadlineMs - visibleFrom) / HOUR_MS)
      if (deadlineMs - visibleFrom < MIN_OPEN_HOURS * HOUR_MS) add('check.deadlineTooClose', 'deadlineAt', { hours })
      if (opensMs !== null && Number.isInteger(input.reminderDaysBefore) && input.reminderDaysBefore > 0) {
        const plain = reminderAt(input.deadlineAt!, input.reminderDaysBefore, cal)
        if (plain !== null && toEpochMs(plain) < opensMs) add('check.reminderBeforeOpening', 'reminderDaysBefore', { days: input.reminderDaysBefore })
      }
    }
    if (localDateOf(input.deadlineAt!, tz) > cal.year.endsOn) add('check.deadlineAfterYearEnd', 'deadlineAt', { endsOn: cal.year.endsOn })
  }

  // Targets
  if (input.targets.length === 0) add('check.noTarget', 'targets')
  else if (context.eligibleCount === 0) add('check.noEligibleStudent', 'targets')

  // Prices and variants
  const sells = input.kind === 'product' || input.kind === 'program'
  if (sells) checkVariants(input, add)
  else if (input.variants.length > 0) add('check.variantsNotAllowed', 'variants')
  if (input.kind === 'fee') {
    if (input.priceCents == null || input.priceCents === 0) add('check.feeAmountMissing', 'priceCents')
    if (input.feePer == null) add('check.feePerMissing', 'feePer')
  }
  if (input.kind === 'consent_form' && input.priceCents != null && input.priceCents > 0)
    add('check.consentHasPrice', 'priceCents', { priceCents: input.priceCents })
  if (input.kind === 'outing' && input.priceCents == null) add('check.priceMissing', 'priceCents')
  if (input.kind === 'product' && input.stockLimit != null && input.perStudentLimit != null && input.stockLimit < input.perStudentLimit)
    add('check.stockBelowPerStudent', 'stockLimit', { stock: input.stockLimit, perStudent: input.perStudentLimit })

  if (input.kind === 'program') checkProgramDates(input, context, opensMs, nowMs, today, add)
  if (input.kind === 'outing') checkOuting(input, context, deadlineMs, today, add)

  // Questions
  if (input.kind === 'consent_form' && input.questions.length === 0) add('check.consentNoQuestion', 'questions')
  checkQuestions(input, add)

  return problems
}

type Add = (code: CheckCode, field: string, values?: Record<string, string | number>) => void

function checkVariants(input: OfferingDraft, add: Add): void {
  const active = input.variants.map((v, i) => ({ v, i })).filter(({ v }) => v.active !== false)
  if (active.length === 0) {
    if (input.priceCents == null) add('check.priceMissing', 'priceCents')
    else if (input.priceCents === 0) add('check.freeProductWarning', 'priceCents')
    return
  }
  const seen = new Set<string>()
  let missingEn = 0
  let firstMissingEn = -1
  for (const { v, i } of active) {
    if (blank(v.labelFr)) add('check.variantLabelMissing', `variants.${i}.labelFr`)
    else {
      const key = fold(v.labelFr)
      if (seen.has(key)) add('check.duplicateVariant', `variants.${i}.labelFr`, { label: v.labelFr })
      seen.add(key)
      if (blank(v.labelEn)) {
        missingEn++
        if (firstMissingEn < 0) firstMissingEn = i
      }
    }
    if (v.priceCents == null) add('check.variantWithoutPrice', `variants.${i}.priceCents`, { label: v.labelFr })
  }
  if (missingEn > 0) add('check.variantLabelEnMissing', `variants.${firstMissingEn}.labelEn`, { count: missingEn })
  if (active.every(({ v }) => v.priceCents === 0)) add('check.freeProductWarning', 'variants')
}

function checkProgramDates(input: OfferingDraft, context: CheckContext, opensMs: number | null, nowMs: number, today: string, add: Add): void {
  const cal = context.calendar
  const scheduled = input.dates.map((d, i) => ({ d, i })).filter(({ d }) => d.status !== 'cancelled')
  if (scheduled.length === 0) {
    add('check.programNoDates', 'dates')
    return
  }
  if (scheduled.length > MAX_PROGRAM_DATES) add('check.programTooManyDates', 'dates', { count: scheduled.length, max: MAX_PROGRAM_DATES })
  const seen = new Set<string>()
  let noSupplier = 0
  let firstNoSupplier = -1
  // Bounded so ten thousand dates give a handful of problems, not ten thousand.
  for (const { d, i } of scheduled.slice(0, MAX_PROGRAM_DATES + 1)) {
    if (!isSchoolDateString(d.date)) {
      add('check.programDateInvalid', `dates.${i}.date`, { value: String(d.date) })
      continue
    }
    if (seen.has(d.date)) add('check.programDateDuplicate', `dates.${i}.date`, { date: d.date })
    seen.add(d.date)
    const reason = notSchoolDayReason(cal, d.date)
    if (reason !== undefined) add('check.programDateOnDayOff', `dates.${i}.date`, dayOffValues(cal, d.date, reason))
    const past = d.date < today
    if (past) add('check.programDatePast', `dates.${i}.date`, { date: d.date })
    if (d.cutoffAt == null || !isInstantString(d.cutoffAt)) add('check.programDateNoCutoff', `dates.${i}.cutoffAt`, { date: d.date })
    else {
      const cutoffDate = localDateOf(d.cutoffAt, cal.timeZone)
      const cutoffMs = toEpochMs(d.cutoffAt)
      if (cutoffDate > d.date) add('check.programDateAfterCutoff', `dates.${i}.cutoffAt`, { date: d.date, cutoffDate })
      else if (!past && cutoffMs <= nowMs) add('check.programCutoffPast', `dates.${i}.cutoffAt`, { date: d.date })
      else if (!past && opensMs !== null && cutoffMs <= opensMs) add('check.programCutoffBeforeOpening', `dates.${i}.cutoffAt`, { date: d.date })
    }
    if (blank(d.supplier)) {
      noSupplier++
      if (firstNoSupplier < 0) firstNoSupplier = i
    }
  }
  if (noSupplier > 0) add('check.programNoSupplier', `dates.${firstNoSupplier}.supplier`, { count: noSupplier })
}

function dayOffValues(cal: SchoolCalendar, date: string, reason: string): Record<string, string> {
  const off = dayOff(cal, date)
  return off && reason === off.kind ? { date, reason, label: off.labelFr, labelEn: off.labelEn ?? off.labelFr } : { date, reason }
}

function checkOuting(input: OfferingDraft, context: CheckContext, deadlineMs: number | null, today: string, add: Add): void {
  const o = input.outing
  if (!o) {
    add('check.outingMissing', 'outing')
    return
  }
  const cal = context.calendar
  const startsOn = o.startsOn != null && isSchoolDateString(o.startsOn) ? o.startsOn : null
  const endsOn = o.endsOn != null && isSchoolDateString(o.endsOn) ? o.endsOn : startsOn
  if (startsOn === null) add('check.outingDateMissing', 'outing.startsOn')
  else {
    if (endsOn !== null && endsOn < startsOn) add('check.outingEndsBeforeStart', 'outing.endsOn')
    if (startsOn < today) add('check.outingDatePast', 'outing.startsOn', { date: startsOn })
    const last = endsOn !== null && endsOn > startsOn ? endsOn : startsOn
    for (let d = startsOn, n = 0; d <= last && n < MAX_OUTING_DAYS_CHECKED; d = addDays(d, 1), n++) {
      const reason = notSchoolDayReason(cal, d)
      if (reason !== undefined) add('check.outingOnDayOff', 'outing.startsOn', dayOffValues(cal, d, reason))
    }
  }
  if (blank(o.destination)) add('check.outingDestinationMissing', 'outing.destination')

  const startTime = o.startTime != null && isLocalTime(o.startTime) ? o.startTime : null
  const endTime = o.endTime != null && isLocalTime(o.endTime) ? o.endTime : null
  if (startTime === null || endTime === null) add('check.outingTimesMissing', startTime === null ? 'outing.startTime' : 'outing.endTime')
  else if ((endsOn === null || endsOn === startsOn) && endTime <= startTime) add('check.outingTimesReversed', 'outing.endTime')

  const ratio = context.chaperoneRatio ?? o.chaperoneRatio
  if (!ratio || ratio <= 0) add('check.outingNoChaperoneRatio', 'outing.chaperoneRatio')

  let busSeats: number | null = null
  if (o.busCount === 0) add('check.outingNoBus', 'outing.busCount')
  else if (o.seatsPerBus === 0) add('check.outingBusNoSeats', 'outing.seatsPerBus')
  else {
    busSeats = o.busCount * o.seatsPerBus - o.staffCount
    if (busSeats <= 0) add('check.outingNoSeatsForStudents', 'outing.staffCount', { seats: o.busCount * o.seatsPerBus, staff: o.staffCount })
  }
  if (o.staffCount === 0) add('check.outingNoStaff', 'outing.staffCount')

  const limits: { value: number; field: string }[] = []
  if (context.capacity !== undefined) limits.push({ value: context.capacity, field: 'outing.busCount' })
  else {
    if (busSeats !== null && busSeats > 0) limits.push({ value: busSeats, field: 'outing.busCount' })
    if (o.venueLimit != null) limits.push({ value: o.venueLimit, field: 'outing.venueLimit' })
  }
  const binding = limits.sort((a, b) => a.value - b.value)[0]
  if (binding && context.eligibleCount > 0 && binding.value > context.eligibleCount)
    add('check.capacityAboveEligible', binding.field, { capacity: binding.value, eligible: context.eligibleCount })

  if (startsOn !== null && deadlineMs !== null) {
    const departure = toEpochMs(zonedInstant(startsOn, startTime ?? '00:00', cal.timeZone))
    if (deadlineMs > departure) add('check.deadlineAfterOuting', 'deadlineAt', { date: startsOn })
    else if (departure - deadlineMs < MIN_OUTING_NOTICE_HOURS * HOUR_MS)
      add('check.deadlineCloseToOuting', 'deadlineAt', { hours: Math.floor((departure - deadlineMs) / HOUR_MS) })
  }
}

function checkQuestions(input: OfferingDraft, add: Add): void {
  let missingEn = 0
  let firstMissingEn = -1
  input.questions.forEach((q, i) => {
    if (blank(q.labelFr)) add('check.questionLabelMissing', `questions.${i}.labelFr`)
    else if (blank(q.labelEn)) {
      missingEn++
      if (firstMissingEn < 0) firstMissingEn = i
    }
    if (q.kind !== 'choice') return
    if (q.choices.length < MIN_CHOICES) add('check.questionChoicesMissing', `questions.${i}.choices`, { min: MIN_CHOICES })
    const seen = new Set<string>()
    q.choices.forEach((c, j) => {
      if (blank(c.labelFr)) {
        add('check.questionChoiceLabelMissing', `questions.${i}.choices.${j}.labelFr`)
        return
      }
      const key = fold(c.labelFr)
      if (seen.has(key)) add('check.questionDuplicateChoice', `questions.${i}.choices.${j}.labelFr`, { label: c.labelFr })
      seen.add(key)
      if (blank(c.labelEn)) {
        missingEn++
        if (firstMissingEn < 0) firstMissingEn = i
      }
    })
  })
  if (missingEn > 0) add('check.questionLabelEnMissing', `questions.${firstMissingEn}.labelEn`, { count: missingEn })
}

export function errorsOf(problems: readonly Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error')
}

export function warningsOf(problems: readonly Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'warning')
}

/** Errors always block; warnings block until the secretary confirms she has read them. */
export function canPublish(problems: readonly Problem[], warningsConfirmed: boolean): boolean {
  return errorsOf(problems).length === 0 && (warningsConfirmed || warningsOf(problems).length === 0)
}
