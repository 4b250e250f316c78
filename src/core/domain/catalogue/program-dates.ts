import { CATALOGUE_LIMITS } from '../../../shared/contract/catalogue-schemas'
import { isSchoolDay, notSchoolDayReason, skippedDate, weekdayDates, type SchoolCalendar, type SkippedDate } from './calendar'
import { cutoffFor, isValidCutoffRule, type CutoffRule } from './cutoff'
import { daysFrom, isSchoolDateString, type Instant, type SchoolDate } from './dates'

/** A supplier cannot plan more, and the order sheets and refunds stay bounded. */
export const MAX_PROGRAM_DATES = CATALOGUE_LIMITS.maxProgramDates
/** A program runs within one school year; a longer range is a mistyped year. */
export const MAX_PROGRAM_SPAN_DAYS = 400

export interface ProgramDatesRequest {
  from: SchoolDate
  to: SchoolDate
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  weekdays: readonly number[]
  /** Single dates added to the pattern (a Thursday when Friday is a PD day). */
  add?: readonly SchoolDate[]
  /** Single dates taken out; wins over `add`. */
  remove?: readonly SchoolDate[]
  cutoff: CutoffRule
  supplier?: string | null
}

export interface ProposedDate {
  date: SchoolDate
  cutoffAt: Instant
  supplier: string | null
}

export type SkipReason = SkippedDate['reason'] | 'removed'
export interface SkippedProgramDate extends Omit<SkippedDate, 'reason'> {
  reason: SkipReason
}

export type ProgramDatesErrorCode =
  | 'program.badDate' // values.value
  | 'program.badWeekday' // values.value
  | 'program.rangeReversed' // to before from
  | 'program.rangeTooLong' // values.max (days)
  | 'program.badCutoff'
  | 'program.tooManyDates' // values.count, values.max

export type ProposeProgramDatesResult =
  | { ok: true; dates: ProposedDate[]; skipped: SkippedProgramDate[] }
  | { ok: false; code: ProgramDatesErrorCode; values: Record<string, string | number> }

const byDate = (a: { date: string }, b: { date: string }) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)

/**
 * The dates a program would run on: every chosen weekday from `from` to `to` that is a school
 * day, plus the added dates, minus the removed ones; each with its cutoff and supplier. The
 * others come back in `skipped` with why, so the secretary sees what the calendar took out.
 * Added dates obey the calendar too: a holiday added by hand is skipped, not sold.
 */
export function proposeProgramDates(cal: SchoolCalendar, request: ProgramDatesRequest): ProposeProgramDatesResult {
  const { from, to, weekdays, add = [], remove = [], cutoff, supplier } = request
  for (const value of [from, to, ...add, ...remove]) {
    if (!isSchoolDateString(value)) return { ok: false, code: 'program.badDate', values: { value: String(value) } }
  }
  const badWeekday = weekdays.find((w) => !Number.isInteger(w) || w < 1 || w > 7)
  if (badWeekday !== undefined) return { ok: false, code: 'program.badWeekday', values: { value: badWeekday } }
  if (to < from) return { ok: false, code: 'program.rangeReversed', values: { from, to } }
  if (daysFrom(from, to) > MAX_PROGRAM_SPAN_DAYS) return { ok: false, code: 'program.rangeTooLong', values: { max: MAX_PROGRAM_SPAN_DAYS } }
  if (!isValidCutoffRule(cutoff)) return { ok: false, code: 'program.badCutoff', values: {} }
  // `add` is refused here before any work, so ten thousand added dates cost nothing.
  if (add.length > MAX_PROGRAM_DATES)
    return { ok: false, code: 'program.tooManyDates', values: { count: add.length, max: MAX_PROGRAM_DATES } }

  const pattern = weekdayDates(cal, { from, to, weekdays })
  const removed = new Set(remove)
  const chosen = new Set<SchoolDate>()
  const skipped = new Map<SchoolDate, SkippedProgramDate>()

  for (const s of pattern.skipped) skipped.set(s.date, s)
  for (const d of pattern.dates) chosen.add(d)
  for (const d of add) {
    if (isSchoolDay(cal, d)) {
      chosen.add(d)
      skipped.delete(d)
    } else if (!chosen.has(d)) skipped.set(d, skippedDate(cal, d, notSchoolDayReason(cal, d)!))
  }
  for (const d of removed) {
    if (chosen.delete(d)) skipped.set(d, { date: d, reason: 'removed' })
  }

  if (chosen.size > MAX_PROGRAM_DATES)
    return { ok: false, code: 'program.tooManyDates', values: { count: chosen.size, max: MAX_PROGRAM_DATES } }

  const dates = [...chosen]
    .sort()
    .map((date): ProposedDate => ({ date, cutoffAt: cutoffFor(cal, date, cutoff), supplier: supplier?.trim() ? supplier.trim() : null }))
  return { ok: true, dates, skipped: [...skipped.values()].sort(byDate) }
}
