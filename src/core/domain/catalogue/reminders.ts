import type { SchoolCalendar } from './calendar'
import { addDays, localDateOf, toEpochMs, zonedInstant, type Instant, type InstantLike } from './dates'

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
