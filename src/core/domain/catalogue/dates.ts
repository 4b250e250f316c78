import { Temporal } from 'temporal-polyfill'

/**
 * The two kinds of time the catalogue handles, kept apart on purpose:
 * - a school date, 'YYYY-MM-DD', a local day of the school (no zone, no hour);
 * - an instant, an ISO-8601 UTC string as `Date.toISOString()` writes it, so stored instants
 *   compare correctly as plain strings.
 * Only this file turns one into the other, always through Temporal and the school's zone.
 */
export type SchoolDate = string
export type Instant = string
/** Callers often hold a Date (the clock) and the database holds strings. */
export type InstantLike = string | Date

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/

export function isSchoolDateString(value: unknown): value is SchoolDate {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false
  try {
    Temporal.PlainDate.from(value, { overflow: 'reject' })
    return true
  } catch {
    return false
  }
}

export function isLocalTime(value: unknown): value is string {
  return typeof value === 'string' && HH_MM.test(value)
}

export function isInstantString(value: unknown): value is Instant {
  if (typeof value !== 'string') return false
  try {
    Temporal.Instant.from(value)
    return true
  } catch {
    return false
  }
}

function plainDate(date: SchoolDate): Temporal.PlainDate {
  if (!ISO_DATE.test(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`)
  return Temporal.PlainDate.from(date, { overflow: 'reject' })
}

export function addDays(date: SchoolDate, days: number): SchoolDate {
  return plainDate(date).add({ days }).toString()
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: SchoolDate): number {
  return plainDate(date).dayOfWeek
}

/** Whole days from `from` to `to` (negative when `to` comes first). */
export function daysFrom(from: SchoolDate, to: SchoolDate): number {
  return plainDate(from).until(plainDate(to), { largestUnit: 'days' }).days
}

export function toEpochMs(instant: InstantLike): number {
  if (instant instanceof Date) {
    const ms = instant.getTime()
    if (Number.isNaN(ms)) throw new RangeError('invalid Date')
    return ms
  }
  return Temporal.Instant.from(instant).epochMilliseconds
}

export function formatInstant(epochMs: number): Instant {
  return new Date(epochMs).toISOString()
}

/**
 * The instant a local date and time happen in `timeZone`. On the spring-forward night a time
 * that does not exist (02:30) moves an hour later; on the fall-back night a time that happens
 * twice (01:30) takes the first one: Temporal's 'compatible' rule, the same as a wall clock.
 */
export function zonedInstant(date: SchoolDate, time: string, timeZone: string): Instant {
  if (!isLocalTime(time)) throw new RangeError(`not an HH:MM time: ${time}`)
  const zoned = plainDate(date).toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from(time) })
  return formatInstant(zoned.epochMilliseconds)
}

/** The instant a local day starts (midnight, or the first instant that exists). */
export function startOfLocalDay(date: SchoolDate, timeZone: string): Instant {
  return formatInstant(plainDate(date).toZonedDateTime({ timeZone }).epochMilliseconds)
}

function zoned(instant: InstantLike, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(toEpochMs(instant)).toZonedDateTimeISO(timeZone)
}

/** The school's local day of an instant. */
export function localDateOf(instant: InstantLike, timeZone: string): SchoolDate {
  return zoned(instant, timeZone).toPlainDate().toString()
}

/** The school's local wall-clock time of an instant, 'HH:MM'. */
export function localTimeOf(instant: InstantLike, timeZone: string): string {
  return zoned(instant, timeZone).toPlainTime().toString({ smallestUnit: 'minute' })
}

export function compareInstants(a: InstantLike, b: InstantLike): number {
  return Math.sign(toEpochMs(a) - toEpochMs(b))
}
