import type { SchoolCalendar } from './calendar'
import { addDays, localDateOf, toEpochMs, zonedInstant, type Instant, type InstantLike } from './dates'

export const DEFAULT_REMINDER_DAYS = 3
/** Morning, when a parent reads the email before the day gets away. */
export const REMINDER_LOCAL_TIME = '09:00'

/**
 * When the reminder goes: `daysBefore` calendar days before the deadline's local day, at 9:00
 * in the school's zone (families read email on weekends too, so these are not school days).
 * A reminder that would come before the opening goes at the opening instead; one that would
 * come at or after the deadline (0 days and a deadline before 9:00) does not go: null.
 */
export function reminderAt(deadlineAt: InstantLike, daysBefore: number, cal: Pick<SchoolCalendar, 'timeZone'>, opensAt?: InstantLike | null): Instant | null {
  if (!Number.isInteger(daysBefore) || daysBefore < 0) throw new RangeError(`reminder days must be a whole number ≥ 0: ${daysBefore}`)
  const deadlineMs = toEpochMs(deadlineAt)
  const day = addDays(localDateOf(deadlineAt, cal.timeZone), -daysBefore)
  let at = toEpochMs(zonedInstant(day, REMINDER_LOCAL_TIME, cal.timeZone))
  if (opensAt != null) at = Math.max(at, toEpochMs(opensAt))
  if (at >= deadlineMs) return null
  return new Date(at).toISOString()
}

/**
 * The guardians to remind: those of every eligible student without an answer, each once, in
 * the order their students come. A family with one child answered and another not is still
 * reminded, for the other child.
 */
export function familiesToRemind(
  eligibleStudents: Iterable<string | { id: string }>,
  answeredStudentIds: ReadonlySet<string> | Iterable<string>,
  guardiansByStudent: ReadonlyMap<string, readonly string[]>,
): string[] {
  const answered = answeredStudentIds instanceof Set ? (answeredStudentIds as ReadonlySet<string>) : new Set(answeredStudentIds)
  const guardians = new Set<string>()
  for (const s of eligibleStudents) {
    const id = typeof s === 'string' ? s : s.id
    if (answered.has(id)) continue
    for (const g of guardiansByStudent.get(id) ?? []) guardians.add(g)
  }
  return [...guardians]
}

/** A program's ordering period: the scheduled dates of one calendar month ('YYYY-MM'). */
export interface ReminderPeriod {
  /** 'YYYY-MM' of a program's month; '' for an item that is not a program (one reminder). */
  period: string
  /** When its reminder goes (null: it cannot go before its deadline). */
  at: Instant | null
  /** The deadline the reminder is about: the item's, or the first cutoff of the month's dates. */
  deadlineAt: Instant
}

/**
 * A program's reminders: one per calendar month that has dates, a few days before the first
 * cutoff of that month (the month's first chance to miss a date), never before the program was
 * open to families. A program of a year thus reminds ten times, each before its month, and not
 * once in June; a month already closing when the program opened has none.
 */
export function programReminderPeriods(
  dates: ReadonlyArray<{ date: string; cutoffAt: InstantLike; status?: string }>,
  daysBefore: number,
  cal: Pick<SchoolCalendar, 'timeZone'>,
  openFrom: InstantLike,
): ReminderPeriod[] {
  const firstCutoff = new Map<string, number>()
  for (const d of dates) {
    if (d.status !== undefined && d.status !== 'scheduled') continue
    const period = d.date.slice(0, 7)
    const ms = toEpochMs(d.cutoffAt)
    if (!firstCutoff.has(period) || ms < firstCutoff.get(period)!) firstCutoff.set(period, ms)
  }
  return [...firstCutoff.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, ms]) => {
      const deadlineAt = new Date(ms).toISOString()
      return { period, deadlineAt, at: reminderAt(deadlineAt, daysBefore, cal, openFrom) }
    })
}

/**
 * What becomes of a reminder at `now`, given when the scheduled work last ran: it waits for its
 * time; it goes (late, if this PC was off, as long as its deadline is ahead); or, its deadline
 * passed since the last run with the reminder never sent, it is recorded as missed so that the
 * office sees it. One whose deadline passed before the last run was settled then (or predates
 * this PC's scheduled work): nothing.
 */
export function reminderFate(p: Pick<ReminderPeriod, 'at' | 'deadlineAt'>, now: InstantLike, lastRunAt: InstantLike | null): 'wait' | 'send' | 'missed' | 'none' {
  if (p.at === null) return 'none'
  const nowMs = toEpochMs(now)
  const deadlineMs = toEpochMs(p.deadlineAt)
  if (toEpochMs(p.at) > nowMs) return 'wait'
  if (deadlineMs > nowMs) return 'send'
  if (lastRunAt === null || deadlineMs <= toEpochMs(lastRunAt)) return 'none'
  return 'missed'
}

/**
 * Every reminder an item has: a program's one per month of dates, any other item's one before
 * its deadline; none when its reminder days are 0. Nothing goes before the item was open to
 * families: its opening, or its publication when that came later.
 */
export function itemReminders(
  item: {
    kind: string
    opensAt: InstantLike
    publishedAt: InstantLike | null
    deadlineAt: InstantLike
    reminderDaysBefore: number
    dates: ReadonlyArray<{ date: string; cutoffAt: InstantLike; status?: string }>
  },
  cal: Pick<SchoolCalendar, 'timeZone'>,
): ReminderPeriod[] {
  if (item.reminderDaysBefore <= 0) return []
  const openFrom = item.publishedAt !== null && toEpochMs(item.publishedAt) > toEpochMs(item.opensAt) ? item.publishedAt : item.opensAt
  if (item.kind === 'program') return programReminderPeriods(item.dates, item.reminderDaysBefore, cal, openFrom)
  const deadlineAt = new Date(toEpochMs(item.deadlineAt)).toISOString()
  return [{ period: '', deadlineAt, at: reminderAt(deadlineAt, item.reminderDaysBefore, cal, openFrom) }]
}
