import { CATALOGUE_LIMITS } from '../../../shared/contract/catalogue-schemas'
import { addDays, daysFrom, isoWeekday, isSchoolDateString, type SchoolDate } from './dates'

/**
 * A school's calendar, as the calendar_days table keeps it: school days are the weekdays of
 * the school year minus the listed days off. Holidays, PD days and closures (a snow day) are
 * the only rows, so the calendar stays small and a secretary can edit it.
 */
export type DayOffKind = 'holiday' | 'pd_day' | 'closure'

export interface DayOff {
  date: SchoolDate
  kind: DayOffKind
  labelFr: string
  labelEn?: string | null
}

export interface SchoolYearSpan {
  startsOn: SchoolDate
  endsOn: SchoolDate
}

export interface SchoolCalendar {
  /** IANA zone of the school, e.g. 'America/Toronto'. */
  timeZone: string
  year: SchoolYearSpan
  /** Keyed by date, or a plain list (a school has a few dozen at most). */
  daysOff: ReadonlyMap<SchoolDate, DayOff> | readonly DayOff[]
}

/** Why a date is not a school day; the UI says "12 décembre sauté : journée pédagogique". */
export type NotSchoolDayReason = 'weekend' | DayOffKind | 'outside_year'

export interface SkippedDate {
  date: SchoolDate
  reason: NotSchoolDayReason
  /** The day off's own labels, when the reason is one. */
  labelFr?: string
  labelEn?: string | null
}

export function createSchoolCalendar(timeZone: string, year: SchoolYearSpan, daysOff: Iterable<DayOff>): SchoolCalendar {
  const map = new Map<SchoolDate, DayOff>()
  for (const d of daysOff) map.set(d.date, d)
  return { timeZone, year, daysOff: map }
}

export function dayOff(cal: SchoolCalendar, date: SchoolDate): DayOff | undefined {
  if (cal.daysOff instanceof Map) return cal.daysOff.get(date)
  return (cal.daysOff as readonly DayOff[]).find((d) => d.date === date)
}

export function isInSchoolYear(cal: SchoolCalendar, date: SchoolDate): boolean {
  return date >= cal.year.startsOn && date <= cal.year.endsOn
}

export function isWeekend(date: SchoolDate): boolean {
  return isoWeekday(date) >= 6
}

/**
 * The first reason that makes `date` not a school day, or undefined for a school day.
 * Outside the year comes first (the calendar knows nothing there), then weekends, then the
 * listed day off.
 */
export function notSchoolDayReason(cal: SchoolCalendar, date: SchoolDate): NotSchoolDayReason | undefined {
  if (!isInSchoolYear(cal, date)) return 'outside_year'
  if (isWeekend(date)) return 'weekend'
  return dayOff(cal, date)?.kind
}

export function isSchoolDay(cal: SchoolCalendar, date: SchoolDate): boolean {
  return notSchoolDayReason(cal, date) === undefined
}

export function skippedDate(cal: SchoolCalendar, date: SchoolDate, reason: NotSchoolDayReason): SkippedDate {
  const off = reason === 'holiday' || reason === 'pd_day' || reason === 'closure' ? dayOff(cal, date) : undefined
  return off ? { date, reason, labelFr: off.labelFr, labelEn: off.labelEn ?? null } : { date, reason }
}

/** School days from `from` to `to`, both included, in order. */
export function schoolDaysBetween(cal: SchoolCalendar, from: SchoolDate, to: SchoolDate): SchoolDate[] {
  const start = from > cal.year.startsOn ? from : cal.year.startsOn
  const end = to < cal.year.endsOn ? to : cal.year.endsOn
  const days: SchoolDate[] = []
  for (let d = start; d <= end; d = addDays(d, 1)) if (isSchoolDay(cal, d)) days.push(d)
  return days
}

export function countSchoolDays(cal: SchoolCalendar, from: SchoolDate, to: SchoolDate): number {
  return schoolDaysBetween(cal, from, to).length
}

/** No use of the catalogue steps further; a larger n is a bug in the caller. */
const MAX_STEP = 400

/**
 * How a count of school days treats days the calendar does not cover:
 * - 'stop': leaving the school year gives undefined, since it has no school days;
 * - 'weekdays': outside the year, weekdays that are not listed days off count, as the office's
 *   working days do (a cutoff before the first day of school falls in late August).
 */
export type BeyondYear = 'stop' | 'weekdays'

function countsAsDay(cal: SchoolCalendar, date: SchoolDate, beyond: BeyondYear): boolean {
  if (isInSchoolYear(cal, date)) return isSchoolDay(cal, date)
  return beyond === 'weekdays' && !isWeekend(date) && dayOff(cal, date) === undefined
}

/**
 * The n-th school day after `date` (n > 0) or before it (n < 0), not counting `date` itself;
 * n = 0 gives `date` back as it is, school day or not. With beyond = 'stop', undefined when the
 * count runs past the end of the year going forward, or before its start going back.
 */
export function addSchoolDays(cal: SchoolCalendar, date: SchoolDate, n: number, beyond: BeyondYear = 'stop'): SchoolDate | undefined {
  if (!Number.isInteger(n) || Math.abs(n) > MAX_STEP) throw new RangeError(`school day step out of range: ${n}`)
  if (!isSchoolDateString(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`)
  const step = n > 0 ? 1 : -1
  let remaining = Math.abs(n)
  let d = date
  while (remaining > 0) {
    d = addDays(d, step)
    if (beyond === 'stop' && (step > 0 ? d > cal.year.endsOn : d < cal.year.startsOn)) return undefined
    if (countsAsDay(cal, d, beyond)) remaining--
  }
  return d
}

export interface WeekdayPattern {
  from: SchoolDate
  to: SchoolDate
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  weekdays: readonly number[]
}

/** Three school years: anything longer is a typo in a year, not a plan. */
export const MAX_PATTERN_SPAN_DAYS = 1100

/**
 * Every date from `from` to `to` that falls on one of `weekdays`: the school days among them,
 * and the others with the reason they were skipped.
 */
export function weekdayDates(cal: SchoolCalendar, pattern: WeekdayPattern): { dates: SchoolDate[]; skipped: SkippedDate[] } {
  const { from, to, weekdays } = pattern
  if (!isSchoolDateString(from) || !isSchoolDateString(to)) throw new RangeError('from and to must be YYYY-MM-DD dates')
  if (weekdays.some((w) => !Number.isInteger(w) || w < 1 || w > 7)) throw new RangeError('weekdays are 1 (Monday) to 7 (Sunday)')
  if (daysFrom(from, to) > MAX_PATTERN_SPAN_DAYS) throw new RangeError('date range too long')
  const wanted = new Set(weekdays)
  const dates: SchoolDate[] = []
  const skipped: SkippedDate[] = []
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (!wanted.has(isoWeekday(d))) continue
    const reason = notSchoolDayReason(cal, d)
    if (reason === undefined) dates.push(d)
    else skipped.push(skippedDate(cal, d, reason))
  }
  return { dates, skipped }
}

// ---------------------------------------------------------------------------------------------
// The calendar file

/**
 * The calendar import format, one day off per line:
 *
 *     # Calendrier 2026-2027, École Sainte-Marie
 *     date,type,libelle_fr,libelle_en
 *     2026-10-09,pedagogique,Journée pédagogique,PD day
 *     2026-12-21,conge,Congé des Fêtes,Winter break
 *     2027-02-15,ferie,Jour de la Famille,Family Day
 *
 * - The first line that is not blank or a comment is the header. Columns are found by name,
 *   in any order, case and accents ignored: date; type; libelle_fr (or label_fr); libelle_en
 *   (or label_en, optional). Other columns are ignored.
 * - Separator: ',' or ';' (the one the header uses; French Excel writes ';').
 * - Lines starting with '#' are comments; blank lines are skipped; a UTF-8 BOM is tolerated;
 *   CRLF or LF. A field may be double-quoted to hold the separator ("Congé, jour 1"), with ""
 *   for a quote inside; fields never span lines.
 * - type: conge | ferie | holiday → holiday; pedagogique | pd_day → pd_day;
 *   fermeture | closure → closure (accents and case ignored: 'Congé', 'Férié', 'Pédagogique').
 * - date: YYYY-MM-DD, a real calendar date.
 * - libelle_fr is required; libelle_en may be empty.
 *
 * Each error has a code (the message catalogues say it in French and English), the file's line
 * number (1-based) and values for the message. A fatal error means the whole file must be
 * refused: nothing is applied. Non-fatal ones (a line repeated word for word, a date outside
 * the school year, a day off on a weekend) are reported, and the line is dropped or kept as
 * said per code.
 */
export type CalendarFileErrorCode =
  | 'calendar.empty' // fatal: no header, or a header and no day
  | 'calendar.tooLarge' // fatal: over MAX_CALENDAR_FILE_CHARS or MAX_CALENDAR_ROWS
  | 'calendar.missingColumn' // fatal: values.column is the missing header name
  | 'calendar.badQuotes' // fatal: a quoted field is not closed
  | 'calendar.badDate' // fatal: values.value
  | 'calendar.badType' // fatal: values.value
  | 'calendar.missingLabel' // fatal: libelle_fr empty
  | 'calendar.labelTooLong' // fatal: values.max
  | 'calendar.conflict' // fatal: same date twice with a different type or label; values.date, values.firstLine
  | 'calendar.duplicate' // not fatal, line dropped: same date, type and labels as values.firstLine
  | 'calendar.outsideYear' // not fatal, line dropped: date outside the school year given
  | 'calendar.weekend' // not fatal, line kept: a day off on a Saturday or Sunday changes nothing

export interface CalendarFileError {
  /** 1-based line of the file; 0 for the file as a whole. */
  line: number
  code: CalendarFileErrorCode
  values: Record<string, string | number>
  fatal: boolean
}

export interface CalendarImport {
  days: DayOff[]
  errors: CalendarFileError[]
  /** False when any error is fatal: apply nothing. */
  ok: boolean
}

export const MAX_CALENDAR_ROWS = 1000
export const MAX_CALENDAR_FILE_CHARS = 500_000
const LABEL_MAX = CATALOGUE_LIMITS.labelMax

const FATAL: Record<CalendarFileErrorCode, boolean> = {
  'calendar.empty': true,
  'calendar.tooLarge': true,
  'calendar.missingColumn': true,
  'calendar.badQuotes': true,
  'calendar.badDate': true,
  'calendar.badType': true,
  'calendar.missingLabel': true,
  'calendar.labelTooLong': true,
  'calendar.conflict': true,
  'calendar.duplicate': false,
  'calendar.outsideYear': false,
  'calendar.weekend': false,
}

const TYPE_WORDS: Record<string, DayOffKind> = {
  conge: 'holiday',
  ferie: 'holiday',
  holiday: 'holiday',
  pedagogique: 'pd_day',
  pd_day: 'pd_day',
  fermeture: 'closure',
  closure: 'closure',
}

const COLUMN_NAMES: Record<string, 'date' | 'type' | 'labelFr' | 'labelEn'> = {
  date: 'date',
  type: 'type',
  libelle_fr: 'labelFr',
  label_fr: 'labelFr',
  libelle_en: 'labelEn',
  label_en: 'labelEn',
}

function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
}

/** Splits one line; null when a quote is left open. */
function splitFields(line: string, sep: string): string[] | null {
  const fields: string[] = []
  let field = ''
  let i = 0
  let quoted = false
  while (i < line.length) {
    const c = line[i]!
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"'
        i += 2
        continue
      }
      if (c === '"') quoted = false
      else field += c
    } else if (c === '"' && field.trim() === '') {
      quoted = true
      field = ''
    } else if (c === sep) {
      fields.push(field.trim())
      field = ''
    } else field += c
    i++
  }
  if (quoted) return null
  fields.push(field.trim())
  return fields
}

export function parseCalendarFile(text: string, options: { year?: SchoolYearSpan } = {}): CalendarImport {
  const errors: CalendarFileError[] = []
  const fail = (line: number, code: CalendarFileErrorCode, values: Record<string, string | number> = {}) =>
    errors.push({ line, code, values, fatal: FATAL[code] })
  const done = (days: DayOff[]): CalendarImport => {
    const ok = !errors.some((e) => e.fatal)
    return { days: ok ? days : [], errors, ok }
  }

  if (text.length > MAX_CALENDAR_FILE_CHARS) {
    fail(0, 'calendar.tooLarge', { max: MAX_CALENDAR_FILE_CHARS })
    return done([])
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/)

  let headerAt = -1
  let sep = ','
  let columns: Partial<Record<'date' | 'type' | 'labelFr' | 'labelEn', number>> = {}
  const days: DayOff[] = []
  const firstLineOf = new Map<SchoolDate, { line: number; day: DayOff }>()
  let rows = 0

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!
    const lineNo = i + 1
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue

    if (headerAt < 0) {
      headerAt = lineNo
      sep = raw.split(';').length > raw.split(',').length ? ';' : ','
      const names = splitFields(raw, sep)
      if (!names) {
        fail(lineNo, 'calendar.badQuotes')
        return done([])
      }
      columns = {}
      names.forEach((name, index) => {
        const key = COLUMN_NAMES[fold(name).replace(/[\s-]+/g, '_')]
        if (key && columns[key] === undefined) columns[key] = index
      })
      for (const [key, column] of [
        ['date', 'date'],
        ['type', 'type'],
        ['labelFr', 'libelle_fr'],
      ] as const) {
        if (columns[key] === undefined) fail(lineNo, 'calendar.missingColumn', { column })
      }
      if (errors.length > 0) return done([])
      continue
    }

    rows++
    if (rows > MAX_CALENDAR_ROWS) {
      fail(lineNo, 'calendar.tooLarge', { max: MAX_CALENDAR_ROWS })
      return done([])
    }
    const fields = splitFields(raw, sep)
    if (!fields) {
      fail(lineNo, 'calendar.badQuotes')
      continue
    }
    const at = (col: number | undefined) => (col === undefined ? '' : (fields[col] ?? ''))
    const date = at(columns.date)
    const typeWord = at(columns.type)
    const labelFr = at(columns.labelFr)
    const labelEn = at(columns.labelEn)

    let bad = false
    if (!isSchoolDateString(date)) {
      fail(lineNo, 'calendar.badDate', { value: date })
      bad = true
    }
    const kind = TYPE_WORDS[fold(typeWord)]
    if (!kind) {
      fail(lineNo, 'calendar.badType', { value: typeWord })
      bad = true
    }
    if (labelFr === '') {
      fail(lineNo, 'calendar.missingLabel')
      bad = true
    } else if (labelFr.length > LABEL_MAX || labelEn.length > LABEL_MAX) {
      fail(lineNo, 'calendar.labelTooLong', { max: LABEL_MAX })
      bad = true
    }
    if (bad || !kind) continue

    const day: DayOff = { date, kind, labelFr, labelEn: labelEn === '' ? null : labelEn }
    const first = firstLineOf.get(date)
    if (first) {
      const same = first.day.kind === day.kind && first.day.labelFr === day.labelFr && (first.day.labelEn ?? null) === day.labelEn
      fail(lineNo, same ? 'calendar.duplicate' : 'calendar.conflict', { date, firstLine: first.line })
      continue
    }
    firstLineOf.set(date, { line: lineNo, day })

    if (options.year && (date < options.year.startsOn || date > options.year.endsOn)) {
      fail(lineNo, 'calendar.outsideYear', { date, startsOn: options.year.startsOn, endsOn: options.year.endsOn })
      continue
    }
    if (isWeekend(date)) fail(lineNo, 'calendar.weekend', { date })
    days.push(day)
  }

  if (headerAt < 0 || rows === 0) fail(headerAt < 0 ? 0 : headerAt, 'calendar.empty')
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  return done(days)
}
