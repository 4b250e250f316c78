import { CATALOGUE_LIMITS } from '../../../shared/contract/catalogue-schemas'
import { addSchoolDays, type SchoolCalendar } from './calendar'
import { isLocalTime, toEpochMs, zonedInstant, type Instant, type InstantLike, type SchoolDate } from './dates'

/**
 * When orders for one program date stop: "2 school days before, at noon". Suppliers count in
 * school days because the office (and the class lists) only work on those.
 */
export interface CutoffRule {
  /** 0 = the same day; at most MAX_CUTOFF_SCHOOL_DAYS. */
  schoolDaysBefore: number
  /** Local wall-clock time, 'HH:MM'. */
  time: string
}

export const MAX_CUTOFF_SCHOOL_DAYS = CATALOGUE_LIMITS.maxCutoffSchoolDays
export const DEFAULT_CUTOFF_RULE: CutoffRule = { schoolDaysBefore: 2, time: '12:00' }

export function isValidCutoffRule(rule: CutoffRule): boolean {
  return (
    Number.isInteger(rule.schoolDaysBefore) &&
    rule.schoolDaysBefore >= 0 &&
    rule.schoolDaysBefore <= MAX_CUTOFF_SCHOOL_DAYS &&
    isLocalTime(rule.time)
  )
}

/**
 * The local day the cutoff falls on. Counting back past the first day of school continues on
 * the office's working days (weekdays that are not listed days off), so a date in the first
 * week of September still gets a cutoff in late August rather than none.
 */
export function cutoffDay(cal: SchoolCalendar, date: SchoolDate, rule: CutoffRule): SchoolDate {
  if (!isValidCutoffRule(rule)) throw new RangeError('invalid cutoff rule')
  // 'weekdays' never runs out, so the result is always defined.
  return addSchoolDays(cal, date, -rule.schoolDaysBefore, 'weekdays')!
}

/** The instant orders for `date` stop, as a UTC ISO string. */
export function cutoffFor(cal: SchoolCalendar, date: SchoolDate, rule: CutoffRule): Instant {
  return zonedInstant(cutoffDay(cal, date, rule), rule.time, cal.timeZone)
}

/** A deadline entered as a local day and time ("le 4 décembre à 23 h 59"), as an instant. */
export function closesAt(deadlineDate: SchoolDate, time: string, timeZone: string): Instant {
  return zonedInstant(deadlineDate, time, timeZone)
}

/** At the cutoff instant itself, it is over: parents may act strictly before it. */
export function isPastCutoff(now: InstantLike, cutoffAt: InstantLike): boolean {
  return toEpochMs(now) >= toEpochMs(cutoffAt)
}
